import { describe, expect, it } from 'vitest';
import { DataError } from '../../../lib/api/index.js';
import { TimestampRouter } from '../../../lib/transforms/timestamp-router.js';
import { sourceRecord } from './records.js';

describe('TimestampRouter', () => {
  it('routes with the default formats in UTC', () => {
    // Prepare (Kafka's defaultConfiguration: 2017-01-03T06:30:01.864Z)
    const router = new TimestampRouter();
    router.configure({});
    // Act
    const result = router.apply(sourceRecord({ topic: 'test', timestamp: 1483425001864 }));
    // Assess
    expect(result.topic).toBe('test-20170103');
  });

  it('substitutes every placeholder with custom formats', () => {
    const router = new TimestampRouter();
    router.configure({
      'topic.format': 'x_$' + '{timestamp}_$' + '{topic}',
      'timestamp.format': "yyyy-MM-dd'T'HH",
    });
    expect(router.apply(sourceRecord({ topic: 'orders', timestamp: 0 })).topic).toBe(
      'x_1970-01-01T00_orders',
    );
  });

  it('fails on a record without timestamp', () => {
    const router = new TimestampRouter();
    router.configure({});
    expect(() => router.apply(sourceRecord({ timestamp: null }))).toThrow(DataError);
    expect(() => router.apply(sourceRecord({ timestamp: null }))).toThrow('Timestamp missing on record: ');
  });
});
