export { KafkaAdmin, type NewTopic } from './admin.js';
export { BoundedConsumer, type BoundedConsumerOptions } from './bounded-consumer.js';
export { createKafka, describeCluster, type KafkaOptions } from './client.js';
export type { CompressionType } from './compression.js';
export { KafkaDeadlineError, kafkaDeadline, withKafkaDeadline } from './deadline.js';
export { KafkaError } from './errors.js';
export { decodeEsmEvent, esmItemIdentifier, isKafkaEsmEvent, type KafkaEsmEvent } from './esm-event.js';
export { RecordProducer, type SendOptions } from './producer.js';
export type {
  ConsumedRecord,
  RecordMetadata,
  TopicPartitionOffset,
  WireHeader,
  WireRecord,
} from './types.js';
