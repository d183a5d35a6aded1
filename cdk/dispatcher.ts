import { Duration, Stack } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { CfnFunction, IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV } from '../lib/env.js';
import { ENTRIES } from './bundling.js';
import { ConnectFunction } from './connect-function.js';
import type { KafkaConnectivity } from './kafka-connectivity.js';
import { acknowledgeNag } from './nag.js';
import { grantSinkMappings } from './sink-mapping-grants.js';
import type { StateTables } from './state-tables.js';

export interface DispatcherProps {
  /** The state tables. Required. */
  readonly tables: StateTables;
  /** The task runner it invokes (InvocationType Event). Required. */
  readonly taskFunction: IFunction;
  /**
   * When set, sinks with an event source mapping are left to it, and each tick reconciles those mappings
   * (creates missing ones, deletes orphans, sets Enabled and BatchSize). @default none (every task is dispatched)
   */
  readonly sinkFunction?: IFunction;
  /** Where the mappings read from (the Kafka source and its access), needed with `sinkFunction`. */
  readonly kafka?: KafkaConnectivity;
  /** How often it runs. @default Duration.minutes(1) */
  readonly rate?: Duration;
  /** @default true */
  readonly enabled?: boolean;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default Duration.seconds(60) */
  readonly timeout?: Duration;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /**
   * Reserved concurrency; 1 keeps ticks from overlapping (they would only race for the same leases),
   * but accounts at the 10-execution minimum cannot reserve any. @default none (unreserved)
   */
  readonly reservedConcurrency?: number;
}

/**
 * The schedule: an EventBridge rule runs the dispatcher, which invokes a task runner for every task that
 * should run and holds no live lease. It speaks DynamoDB and Lambda only, so it runs outside any VPC.
 */
export class Dispatcher extends Construct {
  readonly function: ConnectFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: DispatcherProps) {
    super(scope, id);
    this.function = new ConnectFunction(this, 'Function', {
      entry: ENTRIES.dispatcher,
      serviceName: 'dispatcher',
      description: 'Serverless Connect: starts the task runs that are due',
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(60),
      logRetention: props.logRetention,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: {
        ...props.tables.environment,
        [ENV.taskFunction]: props.taskFunction.functionName,
        ...(props.sinkFunction
          ? {
              [ENV.sinkFunction]: props.sinkFunction.functionName,
              ...props.kafka?.environment,
              ...props.kafka?.controlEnvironment,
            }
          : {}),
      },
    });
    // The reconciler lists the sink function's aliases to find orphans.
    if (props.sinkFunction)
      grantSinkMappings(this.function, props.sinkFunction, { mappings: [], aliases: ['lambda:ListAliases'] });
    props.tables.grantDispatch(this.function);
    props.taskFunction.grantInvoke(this.function);
    const policy = this.function.role?.node.tryFindChild('DefaultPolicy');
    if (policy)
      acknowledgeNag(
        policy,
        `IAM5[Resource::<${Stack.of(this).getLogicalId(props.taskFunction.node.defaultChild as CfnFunction)}.Arn>:*]`,
        "grantInvoke's qualified ARNs (versions and aliases) of the task runner only",
      );
    this.rule = new Rule(this, 'Schedule', {
      description: 'Serverless Connect dispatcher tick',
      schedule: Schedule.rate(props.rate ?? Duration.minutes(1)),
      enabled: props.enabled ?? true,
      // The next tick is a retry; a late tick is worth nothing.
      targets: [new LambdaFunction(this.function, { retryAttempts: 0 })],
    });
  }
}
