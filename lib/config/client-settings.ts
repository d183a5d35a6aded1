import { ConfigError } from '../api/index.js';
import type { BoundedConsumerOptions } from '../kafka/bounded-consumer.js';
import type { CompressionType } from '../kafka/compression.js';
import type { RecordProducerOptions } from '../kafka/producer.js';
import { clientOverrides } from './client-overrides.js';

/**
 * `consumer.override.*` and `producer.override.*` mapped onto kafkajs, for the keys kafkajs has an
 * equivalent of. Keys without one (e.g. `linger.ms`: kafkajs has no send buffer; we hand it whole
 * batches) are answered in `ignored`, so the runtime can say so instead of pretending.
 */
export interface ConsumerSettings {
  options: Partial<BoundedConsumerOptions>;
  /** `max.poll.records`: a sink batch holds at most this many records. */
  maxPollRecords?: number;
  ignored: string[];
}

export interface ProducerSettings {
  /** Undefined when nothing applies: the process's shared idempotent producer serves the connector. */
  options?: RecordProducerOptions;
  ignored: string[];
}

type Mapper<T> = (value: string, key: string) => Partial<T>;

const CONSUMER: Record<string, Mapper<ConsumerSettings['options'] & { maxPollRecords: number }>> = {
  'group.id': () => ({}), // applied by sinkGroupId (sink-routing.ts), the one rule for a sink's group
  'auto.offset.reset': (v, k) => {
    if (v === 'earliest' || v === 'latest') return { fromBeginning: v === 'earliest' };
    throw invalid(k, v, 'kafkajs supports earliest and latest');
  },
  'max.poll.records': (v, k) => ({ maxPollRecords: positive(k, v) }),
  'session.timeout.ms': (v, k) => ({ sessionTimeout: positive(k, v) }),
  'heartbeat.interval.ms': (v, k) => ({ heartbeatInterval: positive(k, v) }),
  'max.poll.interval.ms': (v, k) => ({ rebalanceTimeout: positive(k, v) }),
  'fetch.min.bytes': (v, k) => ({ minBytes: positive(k, v) }),
  'fetch.max.bytes': (v, k) => ({ maxBytes: positive(k, v) }),
  'fetch.max.wait.ms': (v, k) => ({ maxWaitTimeInMs: positive(k, v) }),
  'max.partition.fetch.bytes': (v, k) => ({ maxBytesPerPartition: positive(k, v) }),
  'metadata.max.age.ms': (v, k) => ({ topicRefreshMs: positive(k, v) }),
  'isolation.level': (v, k) => {
    if (v === 'read_committed' || v === 'read_uncommitted')
      return { readUncommitted: v === 'read_uncommitted' };
    throw invalid(k, v, 'String must be one of: read_committed, read_uncommitted');
  },
};

/** Every codec of Kafka's producer is registered with kafkajs (lib/kafka/compression.ts). */
const COMPRESSION_TYPES = { none: true, gzip: true, snappy: true, lz4: true, zstd: true } satisfies Record<
  CompressionType,
  true
>;

const PRODUCER: Record<string, Mapper<RecordProducerOptions>> = {
  acks: (v, k) => {
    const acks = ({ all: -1, '-1': -1, '0': 0, '1': 1 } as const)[v as 'all'];
    if (acks === undefined) throw invalid(k, v, 'String must be one of: all, -1, 0, 1');
    return { acks };
  },
  'enable.idempotence': (v, k) => {
    if (v !== 'true' && v !== 'false') throw invalid(k, v, 'Expected value to be either true or false');
    return { idempotent: v === 'true' };
  },
  'compression.type': (v, k) => {
    if (Object.hasOwn(COMPRESSION_TYPES, v)) return { compression: v as CompressionType };
    throw invalid(k, v, `String must be one of: ${Object.keys(COMPRESSION_TYPES).join(', ')}`);
  },
  'max.request.size': (v, k) => ({ maxRequestBytes: positive(k, v) }),
};

export function consumerSettings(config: Readonly<Record<string, string>>): ConsumerSettings {
  const { mapped, ignored } = apply(clientOverrides(config, 'consumer'), CONSUMER);
  const { maxPollRecords, ...options } = mapped;
  return { options, ignored, ...(maxPollRecords === undefined ? {} : { maxPollRecords }) };
}

export function producerSettings(config: Readonly<Record<string, string>>): ProducerSettings {
  const overrides = clientOverrides(config, 'producer');
  const { mapped, ignored } = apply(overrides, PRODUCER);
  if (Object.keys(mapped).length === 0) return { ignored };
  // Kafka's rule: acks other than all turn idempotence off unless it was asked for, which then fails.
  const acks = mapped.acks ?? -1;
  if (mapped.idempotent === true && acks !== -1)
    throw new ConfigError('Must set acks to all in order to use the idempotent producer.');
  return { options: { idempotent: acks === -1 && mapped.idempotent !== false, ...mapped, acks }, ignored };
}

function apply<T>(
  overrides: Record<string, unknown>,
  mappers: Record<string, Mapper<T>>,
): { mapped: Partial<T>; ignored: string[] } {
  let mapped: Partial<T> = {};
  const ignored: string[] = [];
  for (const [key, raw] of Object.entries(overrides)) {
    const mapper = mappers[key];
    if (mapper) mapped = { ...mapped, ...mapper(String(raw).trim(), key) };
    else ignored.push(key);
  }
  return { mapped, ignored: ignored.sort() };
}

function positive(key: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw invalid(key, value, 'Value must be a positive integer');
  return n;
}

function invalid(key: string, value: string, why: string): ConfigError {
  return new ConfigError(key, value, why);
}

/**
 * The error of each override value kafkajs cannot honour, by unprefixed key, for validation: a config
 * that would fail its task at start is refused when it is stored instead.
 */
export function overrideErrors(client: 'producer' | 'consumer', config: Readonly<Record<string, string>>) {
  const mappers: Record<string, Mapper<unknown>> = client === 'producer' ? PRODUCER : CONSUMER;
  const errors = new Map<string, string>();
  for (const [key, raw] of Object.entries(clientOverrides(config, client))) {
    try {
      mappers[key]?.(String(raw).trim(), key);
    } catch (error) {
      errors.set(key, (error as Error).message);
    }
  }
  if (client === 'producer' && errors.size === 0) {
    try {
      producerSettings(config);
    } catch (error) {
      errors.set('enable.idempotence', (error as Error).message);
    }
  }
  return errors;
}
