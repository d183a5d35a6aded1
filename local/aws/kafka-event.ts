/**
 * The event a Kafka event source mapping invokes its function with, built as Lambda builds it
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-msk.html and with-kafka.html, "Example event"):
 * records grouped under `<topic>-<partition>`, key and value in base64, each header one object of bytes.
 */
import type { KafkaMessage } from 'kafkajs';

/** One record as the poller holds it between the fetch and the invocation. */
export interface KafkaRecord {
  topic: string;
  partition: number;
  offset: number;
  /** Unix ms. */
  timestamp: number;
  timestampType: 'CREATE_TIME' | 'LOG_APPEND_TIME';
  key: Buffer | null;
  value: Buffer | null;
  /** In the order read; a key repeated in the record stays repeated. */
  headers: [string, Buffer][];
}

/** Where the records came from: the MSK cluster (with its ARN) or self-managed brokers. */
export interface KafkaEventSource {
  eventSourceArn?: string;
  bootstrapServers: string[];
}

export interface KafkaEventRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: 'CREATE_TIME' | 'LOG_APPEND_TIME';
  key?: string;
  value?: string;
  headers: Record<string, number[]>[];
}

export interface KafkaEvent {
  eventSource: 'aws:kafka' | 'SelfManagedKafka';
  eventSourceArn?: string;
  bootstrapServers: string;
  records: Record<string, KafkaEventRecord[]>;
}

/** The `records` key and the `itemIdentifier.partition` of a partial batch response. */
export const partitionKey = (r: { topic: string; partition: number }) => `${r.topic}-${r.partition}`;

/** A record of a kafkajs batch; the timestamp type is the record batch's attribute bit. */
export function fromKafkajs(topic: string, partition: number, message: KafkaMessage): KafkaRecord {
  const context = (message as { batchContext?: { timestampType?: number } }).batchContext;
  const headers: [string, Buffer][] = [];
  // kafkajs folds a repeated header key into an array; Lambda sends one object per header.
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v !== undefined) headers.push([name, Buffer.isBuffer(v) ? v : Buffer.from(String(v))]);
    }
  }
  return {
    topic,
    partition,
    offset: Number(message.offset),
    timestamp: Number(message.timestamp),
    timestampType: context?.timestampType === 1 ? 'LOG_APPEND_TIME' : 'CREATE_TIME',
    key: message.key ?? null,
    value: message.value ?? null,
    headers,
  };
}

/**
 * A record as the event carries it. A null key is left out, as in AWS's filtering example
 * (kafka-filtering.html); a null value (a tombstone) is left out the same way, which is a choice.
 * Header bytes are unsigned (0–255), as in AWS's example.
 */
export function eventRecord(r: KafkaRecord): KafkaEventRecord {
  return {
    topic: r.topic,
    partition: r.partition,
    offset: r.offset,
    timestamp: r.timestamp,
    timestampType: r.timestampType,
    ...(r.key === null ? {} : { key: r.key.toString('base64') }),
    ...(r.value === null ? {} : { value: r.value.toString('base64') }),
    headers: r.headers.map(([name, bytes]) => ({ [name]: [...bytes] })),
  };
}

/** The invocation event for `records`, which keep their order within each partition. */
export function buildKafkaEvent(source: KafkaEventSource, records: KafkaRecord[]): KafkaEvent {
  const grouped: Record<string, KafkaEventRecord[]> = {};
  for (const r of records) {
    const key = partitionKey(r);
    grouped[key] ??= [];
    grouped[key].push(eventRecord(r));
  }
  const bootstrapServers = source.bootstrapServers.join(',');
  return source.eventSourceArn === undefined
    ? { eventSource: 'SelfManagedKafka', bootstrapServers, records: grouped }
    : { eventSource: 'aws:kafka', eventSourceArn: source.eventSourceArn, bootstrapServers, records: grouped };
}

/**
 * An upper bound of what `r` adds to the event's JSON: its object, a comma, and the first time its
 * partition appears, the `"<key>":[]` around it. Lets the poller cut a batch at 6 MB without
 * serialising it once per record.
 */
export function recordJsonBytes(r: KafkaRecord): number {
  // Counted, not serialised: the event is serialised once, when it is sent. Exact for what eventRecord
  // writes: base64 has no character JSON escapes, the numbers are integers.
  let headers = 2 + Math.max(0, r.headers.length - 1);
  for (const [name, bytes] of r.headers) {
    let digits = Math.max(0, bytes.length - 1);
    for (const byte of bytes) digits += byte < 10 ? 1 : byte < 100 ? 2 : 3;
    headers += Buffer.byteLength(JSON.stringify(name)) + 5 + digits;
  }
  return (
    RECORD_FRAME +
    Buffer.byteLength(JSON.stringify(r.topic)) +
    String(r.partition).length +
    String(r.offset).length +
    String(r.timestamp).length +
    r.timestampType.length +
    base64(r.key, KEY_FIELD) +
    base64(r.value, VALUE_FIELD) +
    headers +
    Buffer.byteLength(partitionKey(r)) +
    8
  );
}

function base64(b: Buffer | null, field: number): number {
  return b === null ? 0 : field + 4 * Math.ceil(b.length / 3);
}

/** eventRecord's JSON without its values (empty topic and type, one-digit numbers, no headers). */
const RECORD_FRAME =
  JSON.stringify({ topic: '', partition: 0, offset: 0, timestamp: 0, timestampType: '', headers: [] })
    .length -
  2 -
  3 -
  2;
/** What a key or a value adds besides its base64: `,"key":""`, `,"value":""`. */
const KEY_FIELD = ',"key":""'.length;
const VALUE_FIELD = ',"value":""'.length;
