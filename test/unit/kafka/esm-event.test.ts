import { describe, expect, it } from 'vitest';
import { decodeEsmEvent, esmItemIdentifier, isKafkaEsmEvent } from '../../../lib/kafka/esm-event.js';

// The shape AWS documents for the MSK / self-managed Kafka event source mapping payload.
const event = {
  eventSource: 'aws:kafka',
  eventSourceArn: 'arn:aws:kafka:us-east-1:123456789012:cluster/demo/abc',
  bootstrapServers: 'b-1.demo:9098',
  records: {
    'orders-0': [
      {
        topic: 'orders',
        partition: 0,
        offset: 15,
        timestamp: 1_700_000_000_000,
        timestampType: 'CREATE_TIME',
        key: Buffer.from('k1').toString('base64'),
        value: Buffer.from('{"id":1}').toString('base64'),
        headers: [{ source: [104, 105] }],
      },
    ],
    'orders-1': [
      {
        topic: 'orders',
        partition: 1,
        offset: 3,
        timestamp: 1,
        timestampType: 'LOG_APPEND_TIME',
        key: null,
        value: null,
      },
    ],
  },
};

describe('the event source mapping decoder', () => {
  it('recognises MSK and self-managed events and nothing else', () => {
    expect(isKafkaEsmEvent(event)).toBe(true);
    expect(isKafkaEsmEvent({ ...event, eventSource: 'SelfManagedKafka' })).toBe(true);
    expect(isKafkaEsmEvent({ Records: [] })).toBe(false);
  });

  it('decodes base64 keys, values and byte-array headers with their coordinates', () => {
    const [first, second] = decodeEsmEvent(event);
    expect(first).toMatchObject({ topic: 'orders', partition: 0, offset: 15, timestampType: 'CreateTime' });
    expect(first?.key?.toString()).toBe('k1');
    expect(first?.value?.toString()).toBe('{"id":1}');
    expect(first?.headers).toEqual([{ key: 'source', value: Buffer.from('hi') }]);
    expect(second).toMatchObject({ key: null, value: null, timestampType: 'LogAppendTime', headers: [] });
  });

  it('names a failed record the way partial batch responses for Kafka require', () => {
    expect(esmItemIdentifier({ topic: 'orders', partition: 1, offset: 3 })).toEqual({
      partition: 'orders-1',
      offset: 3,
    });
  });
});
