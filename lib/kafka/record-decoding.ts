import type { KafkaMessage } from 'kafkajs';
import type { ConsumedRecord } from './types.js';

/** What a record weighs in a batch: its key and value bytes. */
export const sizeOf = (r: ConsumedRecord) => (r.value?.length ?? 0) + (r.key?.length ?? 0);

/** A kafkajs message as the runtime's consumed record. */
export function decode(topic: string, partition: number, m: KafkaMessage): ConsumedRecord {
  const headers = hasHeaders(m) ? decodeHeaders(m) : [];
  return {
    topic,
    partition,
    offset: Number(m.offset),
    key: m.key ?? null,
    value: m.value ?? null,
    headers,
    timestamp: Number(m.timestamp),
    timestampType: timestampTypeOf(m),
  };
}

/**
 * The record's timestamp type, from the attribute bit kafkajs decodes but does not type: a record batch
 * (magic 2) carries it in `batchContext.timestampType` (0 CreateTime, 1 LogAppendTime; kafkajs then
 * gives every record the batch's max timestamp, the broker's append time); a legacy message (magic 1)
 * in bit 3 of its own attributes; magic 0 has no timestamp.
 */
export function timestampTypeOf(m: KafkaMessage): ConsumedRecord['timestampType'] {
  const raw = m as KafkaMessage & { magicByte?: number; batchContext?: { timestampType?: number } };
  if (raw.batchContext?.timestampType !== undefined)
    return raw.batchContext.timestampType === 1 ? 'LogAppendTime' : 'CreateTime';
  if (raw.magicByte === 0) return 'NoTimestampType';
  return (m.attributes & 0x08) !== 0 ? 'LogAppendTime' : 'CreateTime';
}

function hasHeaders(m: KafkaMessage): boolean {
  for (const _ in m.headers) return true;
  return false;
}

function decodeHeaders(m: KafkaMessage): ConsumedRecord['headers'] {
  return Object.entries(m.headers ?? {}).flatMap(([key, v]) =>
    (Array.isArray(v) ? v : [v]).map((value) => ({
      key,
      value: value === undefined ? null : Buffer.isBuffer(value) ? value : Buffer.from(String(value)),
    })),
  );
}
