import type { ConsumedRecord } from './types.js';

/**
 * The Lambda event source mapping's Kafka event (MSK: `aws:kafka`; self-managed: `SelfManagedKafka`):
 * records grouped by `<topic>-<partition>`, keys and values base64, headers as arrays of byte arrays.
 */
export interface KafkaEsmEvent {
  eventSource: 'aws:kafka' | 'SelfManagedKafka' | string;
  eventSourceArn?: string;
  bootstrapServers?: string;
  records: Record<string, EsmRecord[]>;
}

export interface EsmRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: 'CREATE_TIME' | 'LOG_APPEND_TIME' | string;
  key?: string | null;
  value?: string | null;
  headers?: Record<string, number[]>[];
}

export function isKafkaEsmEvent(event: unknown): event is KafkaEsmEvent {
  const e = event as KafkaEsmEvent | undefined;
  return (
    typeof e === 'object' &&
    e !== null &&
    (e.eventSource === 'aws:kafka' || e.eventSource === 'SelfManagedKafka') &&
    typeof e.records === 'object'
  );
}

/** Decodes an event into records in partition order (offset order inside each partition). */
export function decodeEsmEvent(event: KafkaEsmEvent): ConsumedRecord[] {
  const out: ConsumedRecord[] = [];
  for (const list of Object.values(event.records)) {
    for (const r of list) {
      out.push({
        topic: r.topic,
        partition: r.partition,
        offset: Number(r.offset),
        timestamp: Number(r.timestamp),
        timestampType: r.timestampType === 'LOG_APPEND_TIME' ? 'LogAppendTime' : 'CreateTime',
        key: r.key == null ? null : Buffer.from(r.key, 'base64'),
        value: r.value == null ? null : Buffer.from(r.value, 'base64'),
        headers: (r.headers ?? []).flatMap((h) =>
          Object.entries(h).map(([key, bytes]) => ({ key, value: Buffer.from(bytes) })),
        ),
      });
    }
  }
  return out;
}

/**
 * The item identifier of a failed record in a Kafka partial batch response (`batchItemFailures`): an
 * object `{ partition: "<topic>-<partition>", offset }`. A flat string, as SQS uses, is treated as invalid
 * and the whole batch is retried.
 */
export function esmItemIdentifier(record: { topic: string; partition: number; offset: number }): {
  partition: string;
  offset: number;
} {
  return { partition: `${record.topic}-${record.partition}`, offset: record.offset };
}
