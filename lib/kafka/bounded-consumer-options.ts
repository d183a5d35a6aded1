export interface BoundedConsumerOptions {
  groupId: string;
  /** Exactly one of `topics` / `topicsRegex`. */
  topics?: string[];
  topicsRegex?: RegExp;
  /**
   * How often the topics matching `topicsRegex` are listed again; a new (or deleted) match makes the
   * consumer subscribe afresh (Kafka's `metadata.max.age.ms`). @default 300 000
   */
  topicRefreshMs?: number;
  /** Records held in memory before the fetch loop waits. @default 20 000 */
  maxBuffered?: number;
  /** Bytes (keys and values) held in memory before the fetch loop waits. @default 64 MiB */
  maxBufferedBytes?: number;
  /** Where a group with no committed offset starts (`auto.offset.reset`). @default true (earliest) */
  fromBeginning?: boolean;
  // kafkajs consumer settings that `consumer.override.*` may set (config/client-settings.ts).
  sessionTimeout?: number;
  heartbeatInterval?: number;
  rebalanceTimeout?: number;
  minBytes?: number;
  /** @default 32 MiB */
  maxBytes?: number;
  maxWaitTimeInMs?: number;
  /** @default 8 MiB */
  maxBytesPerPartition?: number;
  readUncommitted?: boolean;
}
