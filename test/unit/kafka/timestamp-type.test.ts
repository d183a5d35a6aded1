import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { timestampTypeOf } from '../../../lib/kafka/bounded-consumer.js';

const message = (extra: object): KafkaMessage =>
  ({
    key: null,
    value: null,
    timestamp: '0',
    attributes: 0,
    offset: '0',
    headers: {},
    ...extra,
  }) as KafkaMessage;

describe('timestampTypeOf', () => {
  it('reads a record batch’s timestamp type (magic 2)', () => {
    expect(timestampTypeOf(message({ magicByte: 2, batchContext: { timestampType: 1 } }))).toBe(
      'LogAppendTime',
    );
    expect(timestampTypeOf(message({ magicByte: 2, batchContext: { timestampType: 0 } }))).toBe('CreateTime');
  });

  it('reads a legacy message’s attribute bit (magic 1), and magic 0 has none', () => {
    expect(timestampTypeOf(message({ magicByte: 1, attributes: 0x08 }))).toBe('LogAppendTime');
    expect(timestampTypeOf(message({ magicByte: 1, attributes: 0 }))).toBe('CreateTime');
    expect(timestampTypeOf(message({ magicByte: 0 }))).toBe('NoTimestampType');
  });
});
