import { Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import { registerCompressionCodecs } from './compression.js';

// Every kafkajs client in the project comes from this module, so its codecs are in place before any is made.
registerCompressionCodecs();

// kafkajs's request queue schedules its next check with a delay that can come out negative, which
// Node >= 23 reports as a TimeoutNegativeWarning (and clamps to 1 ms, the intended behaviour). Drop just
// that warning so it does not drown real ones.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const name =
    typeof warning === 'string' ? (rest[0] as { type?: string } | string | undefined) : warning.name;
  const type = typeof name === 'string' ? name : name?.type;
  if (type === 'TimeoutNegativeWarning') return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

/** How to reach Kafka; built from environment variables by `kafkaOptionsFromEnv`. */
export interface KafkaOptions {
  brokers: string[];
  clientId?: string;
  ssl?: KafkaConfig['ssl'];
  sasl?: KafkaConfig['sasl'];
  /** kafkajs log level; quiet by default because the runtime reports through its own logger. */
  logLevel?: logLevel;
}

/** Builds a kafkajs client. Every kafkajs client in the project comes from here. */
export function createKafka(options: KafkaOptions): Kafka {
  return new Kafka({
    clientId: options.clientId ?? 'serverless-connect',
    brokers: options.brokers,
    ssl: options.ssl,
    sasl: options.sasl,
    logLevel: options.logLevel ?? logLevel.NOTHING,
    retry: { retries: 5, initialRetryTime: 100 },
  });
}

/**
 * Answers the cluster id when a broker really serves metadata, or throws. Used to wait for a broker
 * that has just been started: an open port is not enough, the controller must have elected itself.
 */
export async function describeCluster(brokers: string[], timeoutMs = 5_000): Promise<string> {
  const admin = new Kafka({
    clientId: 'serverless-connect-probe',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.clusterId;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}
