import { ENV } from '../env.js';

/**
 * Worker-level settings: what Kafka Connect keeps in the worker properties. Connector configs override
 * the converters; the batch limits bound every task invocation.
 */
export interface WorkerConfig {
  /** Shown as `worker_id` in status: `host:port` locally, the function and log stream on AWS. */
  workerId: string;
  keyConverter: string;
  valueConverter: string;
  headerConverter: string;
  /** Converter props applied before the connector's own `key.converter.*` etc. */
  keyConverterProps: Record<string, string>;
  valueConverterProps: Record<string, string>;
  batch: BatchLimits;
  /**
   * How long a lease is taken or renewed for, at most (less when the budget ends sooner): a runner renews
   * it between batches, so a crashed runner's task is free again within this plus the margin, not after
   * its whole budget (a Lambda's 5 minutes).
   */
  leaseTtlMs: number;
  /** Slack on top of the lease's time, for the renewal's own latency. */
  leaseMarginMs: number;
}

export interface BatchLimits {
  maxRecords: number;
  maxBytes: number;
  /** Longest a batch may run when the caller gives no deadline (local mode). */
  maxDurationMs: number;
  /** Kept free before the Lambda deadline for the final produce/commit/status writes. */
  safetyMarginMs: number;
  /**
   * How long a run keeps polling a task that found nothing (`TASK_IDLE_MS`), so data that arrives meanwhile
   * is taken within `idlePollMs` rather than at the next dispatcher tick. Idle time is billed on Lambda:
   * 0 (end at the first empty batch) unless the deployment asks; local mode asks for 10 s
   * (`LOCAL_TASK_IDLE_MS`).
   */
  idleMs: number;
  /** The pause between two empty batches of a lingering run. */
  idlePollMs: number;
}

const num = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(n) && n > 0 ? n : fallback;
};

/** Kafka Connect's quickstart worker defaults: JSON keys and values with schemas, simple headers. */
export function workerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return {
    workerId: env[ENV.workerId] ?? 'localhost',
    keyConverter: 'org.apache.kafka.connect.json.JsonConverter',
    valueConverter: 'org.apache.kafka.connect.json.JsonConverter',
    headerConverter: 'org.apache.kafka.connect.storage.SimpleHeaderConverter',
    keyConverterProps: {},
    valueConverterProps: {},
    batch: {
      maxRecords: num(env[ENV.batchMaxRecords], 10_000),
      maxBytes: num(env[ENV.batchMaxBytes], 16 * 1024 * 1024),
      maxDurationMs: 20_000,
      safetyMarginMs: 5_000,
      idleMs: num(env[ENV.taskIdleMs], 0),
      idlePollMs: 50,
    },
    leaseTtlMs: 20_000,
    leaseMarginMs: num(env[ENV.leaseMs], 10_000),
  };
}

/**
 * Set by local mode on every simulated function: the id of this local-mode start (`npm start`), which
 * goes in front of the worker id and so into every lease owner. A restarted local mode can then prove
 * the leases of its earlier starts dead and free them at once (local/local-instance.ts). Never set on AWS,
 * where nothing can prove a container dead and a lease simply expires.
 */
export const LOCAL_INSTANCE_ENV = 'SC_LOCAL_INSTANCE';

/** Worker ids (hence lease owners) of local mode begin with this, the instance id and `/`. */
export const LOCAL_OWNER_PREFIX = 'local:';

/** The lease-owner prefix of one local-mode instance: `local:<instance>/`. */
export function localInstancePrefix(instance: string): string {
  return `${LOCAL_OWNER_PREFIX}${instance}/`;
}

/** `workerId`, prefixed with the local-mode instance when `SC_LOCAL_INSTANCE` is set. */
export function withLocalInstance(workerId: string, env: NodeJS.ProcessEnv = process.env): string {
  const instance = env[LOCAL_INSTANCE_ENV];
  return instance ? `${localInstancePrefix(instance)}${workerId}` : workerId;
}
