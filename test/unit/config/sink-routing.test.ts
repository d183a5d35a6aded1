import { describe, expect, it } from 'vitest';
import { aliasOf, mappedTopic, sinkAlias, sinkGroupId } from '../../../lib/config/sink-routing.js';
import type { ConnectorRecord } from '../../../lib/store/ports.js';

const sink = (config: Record<string, string>) => ({ type: 'sink', config }) as unknown as ConnectorRecord;

describe('sink routing', () => {
  it('maps a sink with exactly one topic and no regex, whatever other sinks read', () => {
    expect(mappedTopic(sink({ topics: ' orders ' }))).toBe('orders');
    expect(mappedTopic(sink({ topics: 'a,b' }))).toBeUndefined();
    expect(mappedTopic(sink({ 'topics.regex': 'a.*' }))).toBeUndefined();
    expect(
      mappedTopic({ type: 'source', config: { topics: 'a' } } as unknown as ConnectorRecord),
    ).toBeUndefined();
  });

  it('names one alias per connector, valid for Lambda whatever the name holds, and reads it back', () => {
    const alias = sinkAlias('orders/eu ✓');
    expect(alias).toMatch(/^sc-[0-9a-f]{40}$/);
    expect(sinkAlias('orders/eu ✓')).toBe(alias);
    expect(sinkAlias('orders/us')).not.toBe(alias);
    expect(aliasOf(`arn:aws:lambda:eu-west-1:123456789012:function:sink:${alias}`)).toBe(alias);
    expect(aliasOf('arn:aws:lambda:eu-west-1:123456789012:function:sink')).toBeUndefined();
    expect(aliasOf(undefined)).toBeUndefined();
  });

  it("names a sink's consumer group connect-<name> unless consumer.override.group.id says otherwise", () => {
    expect(sinkGroupId({ name: 'orders', config: {} })).toBe('connect-orders');
    expect(sinkGroupId({ name: 'orders', config: { 'consumer.override.group.id': ' legacy ' } })).toBe(
      'legacy',
    );
  });
});
