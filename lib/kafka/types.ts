/** A record as it travels on the wire: raw bytes and headers, before/after converters. */
export interface WireRecord {
  topic: string;
  /** `null`/absent lets the producer's partitioner choose. */
  partition?: number | null;
  key: Buffer | null;
  value: Buffer | null;
  headers: WireHeader[];
  /** Epoch milliseconds. */
  timestamp?: number | null;
}

/** Header values stay bytes at this edge; header converters turn them into Connect data. */
export interface WireHeader {
  key: string;
  value: Buffer | null;
}

/** A record read from Kafka, with its coordinates. */
export interface ConsumedRecord extends WireRecord {
  partition: number;
  /** Kafka offsets are 64-bit; a number is exact up to 2^53, far beyond any real log. */
  offset: number;
  timestamp: number;
  timestampType: 'CreateTime' | 'LogAppendTime' | 'NoTimestampType';
}

/** Where a produced record landed. */
export interface RecordMetadata {
  topic: string;
  partition: number;
  offset: number;
}

export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  /** The next offset to consume (Kafka's committed-offset convention). */
  offset: number;
}
