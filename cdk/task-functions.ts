import { Duration } from 'aws-cdk-lib';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV } from '../lib/env.js';
import { ENTRIES, LAZY_MODULES } from './bundling.js';
import { ConnectFunction } from './connect-function.js';
import type { KafkaConnectivity } from './kafka-connectivity.js';
import type { StateTables } from './state-tables.js';

export interface TaskFunctionsProps {
  /** The state tables. Required. */
  readonly tables: StateTables;
  /** Kafka settings, placement and grants. Required. */
  readonly kafka: KafkaConnectivity;
  /** @default 1024 */
  readonly taskMemorySize?: number;
  /** One invocation's time budget; a full batch chains the next invocation. @default Duration.minutes(5) */
  readonly taskTimeout?: Duration;
  /** Reserved concurrency of the task runner: the most tasks that run at once. @default none (unreserved) */
  readonly taskReservedConcurrency?: number;
  /** @default 1024 */
  readonly sinkMemorySize?: number;
  /** @default Duration.minutes(5) */
  readonly sinkTimeout?: Duration;
  /** Reserved concurrency of the sink function, the ceiling for all mappings together. @default none (unreserved) */
  readonly sinkReservedConcurrency?: number;
  /** `BATCH_MAX_RECORDS`. @default the runtime's default */
  readonly batchMaxRecords?: number;
  /** `BATCH_MAX_BYTES`. @default the runtime's default */
  readonly batchMaxBytes?: number;
  /** `LEASE_MS`. @default the runtime's default */
  readonly leaseMs?: number;
  /** Secrets that `${secretsmanager:…}` config providers may read. @default none */
  readonly providerSecretArns?: string[];
  /** SSM parameter ARNs that `${ssm:…}` config providers may read. @default none */
  readonly providerParameterArns?: string[];
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
    const { tables, kafka } = props;
    const environment = { ...tables.environment, ...kafka.environment, ...batchEnvironment(props) };
    const placement = { vpc: kafka.vpc, vpcSubnets: kafka.subnets, securityGroups: kafka.securityGroups };
    this.taskRunner = new ConnectFunction(this, 'TaskRunner', {
      entry: ENTRIES.taskRunner,
      nodeModules: LAZY_MODULES,
      serviceName: 'task-runner',
      description: 'Serverless Connect: one bounded batch of a connector task',
      memorySize: props.taskMemorySize ?? 1024,
      timeout: props.taskTimeout ?? Duration.minutes(5),
      reservedConcurrentExecutions: props.taskReservedConcurrency,
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
      reservedConcurrentExecutions: props.sinkReservedConcurrency,
      logRetention: props.logRetention,
      environment,
      ...placement,
    });
    for (const fn of [this.taskRunner, this.sink]) {
      tables.grantReadWriteData(fn);
      kafka.grantWorker(fn);
    }
    kafka.grantEventSourceMapping(this.sink);
    grantConfigProviders([this.taskRunner, this.sink], props);
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
  return env;
}

/** Read access to exactly the secrets and parameters that connector configs may reference. */
export function grantConfigProviders(
  functions: ConnectFunction[],
  props: Pick<TaskFunctionsProps, 'providerSecretArns' | 'providerParameterArns'>,
): void {
  for (const fn of functions) {
    // The secrets are the user's, given by ARN; `Secret.grantRead` would need a construct per ARN.
    if (props.providerSecretArns?.length)
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          resources: props.providerSecretArns,
        }),
      );
    if (props.providerParameterArns?.length)
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['ssm:GetParameter', 'ssm:GetParameters'],
          resources: props.providerParameterArns,
        }),
      );
  }
}
