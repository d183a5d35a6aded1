import { describe, expect, it } from 'vitest';
import { ConnectHeaders } from '../../../../lib/api/index.js';
import { HasHeaderKey } from '../../../../lib/transforms/predicates/has-header-key.js';
import { RecordIsTombstone } from '../../../../lib/transforms/predicates/record-is-tombstone.js';
import { TopicNameMatches } from '../../../../lib/transforms/predicates/topic-name-matches.js';
import { sourceRecord } from '../records.js';

describe('HasHeaderKey', () => {
  it('is true when at least one header has the name', () => {
    const predicate = new HasHeaderKey();
    predicate.configure({ name: 'foo' });
    expect(predicate.test(sourceRecord({ headers: new ConnectHeaders().addString('foo', 'a') }))).toBe(true);
    expect(predicate.test(sourceRecord({ headers: new ConnectHeaders().addString('bar', 'a') }))).toBe(false);
    expect(predicate.test(sourceRecord())).toBe(false);
  });

  it('requires a non-empty name', () => {
    expect(() => new HasHeaderKey().configure({})).toThrow('Missing required configuration "name"');
    expect(() => new HasHeaderKey().configure({ name: '' })).toThrow('String must be non-empty');
  });
});

describe('RecordIsTombstone', () => {
  it('is true only for a null value', () => {
    const predicate = new RecordIsTombstone();
    predicate.configure({});
    expect(predicate.test(sourceRecord({ value: null }))).toBe(true);
    expect(predicate.test(sourceRecord({ value: '' }))).toBe(false);
  });
});

describe('TopicNameMatches', () => {
  it('matches the whole topic name', () => {
    // Kafka's TopicNameMatchesTest: pattern my-prefix-.*
    const predicate = new TopicNameMatches();
    predicate.configure({ pattern: 'my-prefix-.*' });
    expect(predicate.test(sourceRecord({ topic: 'my-prefix-' }))).toBe(true);
    expect(predicate.test(sourceRecord({ topic: 'my-prefix-foo' }))).toBe(true);
    expect(predicate.test(sourceRecord({ topic: 'x-my-prefix-' }))).toBe(false);
    expect(predicate.test(sourceRecord({ topic: 'your-prefix-' }))).toBe(false);
  });

  it('rejects empty and invalid patterns', () => {
    expect(() => new TopicNameMatches().configure({ pattern: '' })).toThrow('String must be non-empty');
    expect(() => new TopicNameMatches().configure({ pattern: '[' })).toThrow(/Invalid regex/);
  });

  it('has Kafka class names', () => {
    expect(TopicNameMatches.CLASS_NAME).toBe(
      'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
    );
    expect(new TopicNameMatches().version).toBe('3.9.1');
  });
});
