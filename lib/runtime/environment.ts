import type { ConfigProvider } from '../config/providers/config-provider.js';
import type { PluginPolicy } from '../config/worker-properties.js';
import { KafkaAdmin } from '../kafka/admin.js';
import { BoundedConsumer } from '../kafka/bounded-consumer.js';
import { createKafka, type KafkaOptions } from '../kafka/client.js';
import { RecordProducer } from '../kafka/producer.js';
import { plugins } from '../plugins.js';
import { createDynamoClient } from '../store/dynamo-client.js';
import { dynamoStateStore, type TableNames } from '../store/state-store.js';
import type { RuntimeDeps } from './task-runner.js';
import type { WorkerConfig } from './worker-config.js';

export interface RuntimeEnvironment extends RuntimeDeps {
  producer: RecordProducer;
  close(): Promise<void>;
}

/**
 * Builds the runtime's clients once per process (a warm Lambda container or the local process): one
 * DynamoDB client, one Kafka client with one idempotent producer and one admin. Lambda and local mode both
 * come through here, so they run the same code.
 */
export function createRuntime(options: {
  kafka: KafkaOptions;
  dynamodbEndpoint?: string;
  tables: TableNames;
  worker: WorkerConfig;
  log: RuntimeDeps['log'];
  onBatch?: RuntimeDeps['onBatch'];
  /** The deployment's config providers (`deploymentFromEnv`). @default none */
  providers?: Record<string, ConfigProvider>;
  /** Which plugins are installed and how far they reach. @default plugins()'s */
  plugins?: PluginPolicy;
}): RuntimeEnvironment {
  const dynamo = createDynamoClient({ endpoint: options.dynamodbEndpoint });
  const kafka = createKafka(options.kafka);
  const producer = new RecordProducer(kafka);
  const admin = new KafkaAdmin(kafka);
  return {
    store: dynamoStateStore({ client: dynamo, tables: options.tables }),
    registry: plugins(options.plugins),
    worker: options.worker,
    providers: options.providers ?? {},
    admin,
    producer,
    send: (records) => producer.send(records),
    newConsumer: (consumerOptions) => new BoundedConsumer(kafka, consumerOptions),
    newProducer: (producerOptions) => new RecordProducer(kafka, producerOptions),
    log: options.log,
    onBatch: options.onBatch,
    async close() {
      await producer.disconnect();
      await admin.disconnect();
      dynamo.destroy();
    },
  };
}
