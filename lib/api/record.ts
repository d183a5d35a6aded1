import type { Schema } from './data/schema.js';
import { ConnectHeaders, type Header } from './header.js';

/** The fields every record has (Kafka's `ConnectRecord`), as passed to constructors and `with()`. */
export interface ConnectRecordProps {
  topic: string;
  /** `null` lets the producer choose. */
  kafkaPartition?: number | null;
  keySchema?: Schema | null;
  key?: unknown;
  valueSchema?: Schema | null;
  value?: unknown;
  /** Epoch milliseconds, or `null`. */
  timestamp?: number | null;
  headers?: ConnectHeaders | Iterable<Header>;
}

/**
 * An immutable record (Kafka's `ConnectRecord`). Copy with changes via `with({...})` (Kafka's `newRecord`);
 * the copy gets its own copy of the headers.
 */
export abstract class ConnectRecord {
  readonly topic: string;
  readonly kafkaPartition: number | null;
  readonly keySchema: Schema | null;
  readonly key: unknown;
  readonly valueSchema: Schema | null;
  readonly value: unknown;
  readonly timestamp: number | null;
  readonly headers: ConnectHeaders;

  protected constructor(props: ConnectRecordProps) {
    this.topic = props.topic;
    this.kafkaPartition = props.kafkaPartition ?? null;
    this.keySchema = props.keySchema ?? null;
    this.key = props.key ?? null;
    this.valueSchema = props.valueSchema ?? null;
    this.value = props.value ?? null;
    this.timestamp = props.timestamp ?? null;
    this.headers = new ConnectHeaders(props.headers);
  }

  /** A copy with some fields replaced; the subclass's own fields are kept. */
  abstract with(changes: Partial<ConnectRecordProps>): this;

  protected baseProps(changes: Partial<ConnectRecordProps>): ConnectRecordProps {
    return {
      topic: this.topic,
      kafkaPartition: this.kafkaPartition,
      keySchema: this.keySchema,
      key: this.key,
      valueSchema: this.valueSchema,
      value: this.value,
      timestamp: this.timestamp,
      headers: this.headers,
      ...changes,
    };
  }
}

/** A source partition or offset: primitive values only (Kafka's `OffsetUtils.validateFormat`). */
export type SourceOffsetMap = Readonly<Record<string, string | number | boolean | null>>;

export interface SourceRecordProps extends ConnectRecordProps {
  sourcePartition: SourceOffsetMap | null;
  sourceOffset: SourceOffsetMap | null;
}

/**
 * A record produced by a SourceTask (Kafka's `SourceRecord`): the source partition it came from and the
 * offset to resume after it.
 *
 * @example
 * new SourceRecord({ sourcePartition: { file: 'a.txt' }, sourceOffset: { position: 42 },
 *   topic: 'lines', valueSchema: Schemas.STRING, value: 'hello' });
 */
export class SourceRecord extends ConnectRecord {
  readonly sourcePartition: SourceOffsetMap | null;
  readonly sourceOffset: SourceOffsetMap | null;

  constructor(props: SourceRecordProps) {
    super(props);
    this.sourcePartition = props.sourcePartition;
    this.sourceOffset = props.sourceOffset;
    Object.freeze(this);
  }

  override with(changes: Partial<SourceRecordProps>): this {
    return new SourceRecord({
      sourcePartition: this.sourcePartition,
      sourceOffset: this.sourceOffset,
      ...this.baseProps(changes),
      ...changes,
    }) as this;
  }
}

/** How a record's timestamp was set (Kafka's `TimestampType`). */
export const TimestampType = {
  NO_TIMESTAMP_TYPE: 'NoTimestampType',
  CREATE_TIME: 'CreateTime',
  LOG_APPEND_TIME: 'LogAppendTime',
} as const;
export type TimestampType = (typeof TimestampType)[keyof typeof TimestampType];

export interface SinkRecordProps extends ConnectRecordProps {
  kafkaPartition: number;
  kafkaOffset: number;
  timestampType?: TimestampType;
  /** Before SMTs; defaults to `topic`. */
  originalTopic?: string;
  /** Before SMTs; defaults to `kafkaPartition`. */
  originalKafkaPartition?: number;
  /** Before SMTs; defaults to `kafkaOffset`. */
  originalKafkaOffset?: number;
}

/**
 * A record consumed from Kafka for a SinkTask (Kafka's `SinkRecord`). The `original*` fields keep the
 * topic, partition and offset the record was consumed from, whatever SMTs change; offsets are committed
 * by them.
 */
export class SinkRecord extends ConnectRecord {
  declare readonly kafkaPartition: number;
  readonly kafkaOffset: number;
  readonly timestampType: TimestampType;
  readonly originalTopic: string;
  readonly originalKafkaPartition: number;
  readonly originalKafkaOffset: number;

  constructor(props: SinkRecordProps) {
    super(props);
    this.kafkaOffset = props.kafkaOffset;
    this.timestampType = props.timestampType ?? TimestampType.NO_TIMESTAMP_TYPE;
    this.originalTopic = props.originalTopic ?? props.topic;
    this.originalKafkaPartition = props.originalKafkaPartition ?? props.kafkaPartition;
    this.originalKafkaOffset = props.originalKafkaOffset ?? props.kafkaOffset;
    Object.freeze(this);
  }

  override with(changes: Partial<SinkRecordProps>): this {
    return new SinkRecord({
      kafkaOffset: this.kafkaOffset,
      timestampType: this.timestampType,
      originalTopic: this.originalTopic,
      originalKafkaPartition: this.originalKafkaPartition,
      originalKafkaOffset: this.originalKafkaOffset,
      ...(this.baseProps(changes) as ConnectRecordProps & { kafkaPartition: number }),
      ...changes,
    } as SinkRecordProps) as this;
  }
}
