import { Duration } from 'aws-cdk-lib';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV } from '../lib/env.js';
import { ENTRIES, LAZY_MODULES } from './bundling.js';
import { ConnectFunction } from './connect-function.js';
import type { KafkaConnectivity } from './kafka-connectivity.js';
import type { StateTables } from './state-tables.js';
import type { WorkerSettings } from './worker-settings.js';

export interface TaskFunctionsProps {
  /** The state tables. Required. */
  readonly tables: StateTables;
  /** Kafka settings, placement and grants. Required. */
  readonly kafka: KafkaConnectivity;
  /** @default 1024 */
  readonly taskMemorySize?: number;
  /** One invocation's time budget; a full batch chains the next invocation. @default Duration.minutes(5) */
  readonly taskTimeout?: Duration;
  /**
   * Reserved concurrency of the task runner: the most tasks that run at once, over all connectors. 20
   * because the account's concurrency (1,000 by default) is shared with every function in the region:
   * with `tasks.max.limit` 64, a connector asking for its maximum makes its tasks take turns (a throttled
   * asynchronous invocation is retried by Lambda, and the dispatcher asks again each tick) instead of
   * taking concurrency the rest of the account needs; and a reservation is also a guarantee, so a burst
   * elsewhere cannot stop the tasks. Lambda refuses reservations that leave fewer than 100 unreserved
   * executions, so accounts with a low limit (new accounts may have 10) pass `'none'` (or 0): unreserved,
   * not Lambda's 0, which would stop the function.
   * @default 20
   */
  readonly taskReservedConcurrency?: Reservation;
  /** @default 1024 */
  readonly sinkMemorySize?: number;
  /** @default Duration.minutes(5) */
  readonly sinkTimeout?: Duration;
  /**
   * Reserved concurrency of the sink function: the ceiling for all event source mappings together
   * (each partition of a mapping takes up to one). 20 for the reasons of `taskReservedConcurrency`;
   * throttled mappings back off and deliver later, they lose nothing. `'none'` (or 0) = unreserved.
   * @default 20
   */
  readonly sinkReservedConcurrency?: Reservation;
  /** `BATCH_MAX_RECORDS`. @default the runtime's default */
  readonly batchMaxRecords?: number;
  /** `BATCH_MAX_BYTES`. @default the runtime's default */
  readonly batchMaxBytes?: number;
  /** `LEASE_MS`. @default the runtime's default */
  readonly leaseMs?: number;
  /**
   * `TASK_IDLE_MS`: how long a task run keeps polling a source (or a polled sink) that found nothing, so
   * new data is taken within 50 ms instead of at the next schedule. Billed as Lambda duration: each idle
   * task costs up to this much per dispatcher tick; longer than `taskTimeout` keeps every task running.
   * @default 0 (a run ends at its first empty batch)
   */
  readonly taskIdleMs?: number;
  /** The deployment's worker properties and config provider reach. Required. */
  readonly worker: WorkerSettings;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

/**
 * The functions that move data: the task runner (one bounded batch per invocation, invoked by the
 * dispatcher and by itself) and the sink function that Kafka event source mappings feed.
 */
export class TaskFunctions extends Construct {
  readonly taskRunner: ConnectFunction;
  readonly sink: ConnectFunction;

  constructor(scope: Construct, id: string, props: TaskFunctionsProps) {
    super(scope, id);
    const { tables, kafka, worker } = props;
    const environment = {
      ...tables.environment,
      ...kafka.environment,
      ...worker.environment,
      ...batchEnvironment(props),
    };
    const placement = { vpc: kafka.vpc, vpcSubnets: kafka.subnets, securityGroups: kafka.securityGroups };
    this.taskRunner = new ConnectFunction(this, 'TaskRunner', {
      entry: ENTRIES.taskRunner,
      nodeModules: LAZY_MODULES,
      serviceName: 'task-runner',
      description: 'Serverless Connect: one bounded batch of a connector task',
      memorySize: props.taskMemorySize ?? 1024,
      timeout: props.taskTimeout ?? Duration.minutes(5),
      reservedConcurrentExecutions: reservation(props.taskReservedConcurrency, 'taskReservedConcurrency'),
      logRetention: props.logRetention,
      environment,
      ...placement,
    });
    // The dispatcher invokes again within a minute and the lease fences duplicates, so Lambda's own
    // async retries would only add load; a stale queued invocation is worth nothing.
    this.taskRunner.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(5) });
    this.sink = new ConnectFunction(this, 'Sink', {
      entry: ENTRIES.sink,
      nodeModules: LAZY_MODULES,
      serviceName: 'sink',
      description: 'Serverless Connect: sink connector batches from Kafka event source mappings',
      memorySize: props.sinkMemorySize ?? 1024,
      timeout: props.sinkTimeout ?? Duration.minutes(5),
      reservedConcurrentExecutions: reservation(props.sinkReservedConcurrency, 'sinkReservedConcurrency'),
      logRetention: props.logRetention,
      environment,
      ...placement,
    });
    // The task runner stores new task configs when a running connector asks (ConnectorMonitor); the
    // sink function never writes configs.
    tables.grantReadWriteData(this.taskRunner);
    tables.grantSink(this.sink);
    for (const fn of [this.taskRunner, this.sink]) {
      kafka.grantWorker(fn);
      worker.grantConfigProviders(fn);
    }
    kafka.grantEventSourceMapping(this.sink);
    // A full batch chains the next one by invoking itself. grantInvoke(self) would put the function's
    // ARN in its own default policy, which the function depends on: a cycle. A separate policy is not.
    new Policy(this, 'SelfInvoke', {
      roles: this.taskRunner.role ? [this.taskRunner.role] : [],
      statements: [
        new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.taskRunner.functionArn] }),
      ],
    });
  }
}

function batchEnvironment(props: TaskFunctionsProps): Record<string, string> {
  const env: Record<string, string> = {};
  if (props.batchMaxRecords !== undefined) env[ENV.batchMaxRecords] = String(props.batchMaxRecords);
  if (props.batchMaxBytes !== undefined) env[ENV.batchMaxBytes] = String(props.batchMaxBytes);
  if (props.leaseMs !== undefined) env[ENV.leaseMs] = String(props.leaseMs);
  if (props.taskIdleMs !== undefined) env[ENV.taskIdleMs] = String(props.taskIdleMs);
  return env;
}

/** Reserved concurrency: a number of executions, or `'none'` / 0 for none (the unreserved pool). */
export type Reservation = number | 'none';

/** The default reservation of the task runner and of the sink function (see their props). */
export const DEFAULT_RESERVED_CONCURRENCY = 20;

function reservation(value: Reservation | undefined, name: string): number | undefined {
  if (value === undefined) return DEFAULT_RESERVED_CONCURRENCY;
  if (value === 'none' || value === 0) return undefined;
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a whole number of executions, or 'none'; got ${String(value)}`);
  return value;
}
