import { type Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ControlApi } from './control-api.js';
import { Dispatcher } from './dispatcher.js';
import { type KafkaAuth, KafkaConnectivity } from './kafka-connectivity.js';
import { Observability } from './observability.js';
import { StateTables } from './state-tables.js';
import { TaskFunctions } from './task-functions.js';

export interface ServerlessConnectStackProps extends StackProps {
  /** `host:port` bootstrap brokers. @default looked up from `mskClusterArn` */
  readonly bootstrapServers?: string[];
  /** Amazon MSK cluster ARN. @default none (self-managed Kafka at `bootstrapServers`) */
  readonly mskClusterArn?: string;
  /** @default 'none' */
  readonly kafkaAuth?: KafkaAuth;
  /** SCRAM or mTLS secret ARN. @default none */
  readonly kafkaSecretArn?: string;
  /** TLS without client authentication. @default false */
  readonly kafkaTls?: boolean;
  /** VPC id where the brokers are. @default none (functions outside any VPC) */
  readonly vpcId?: string;
  /** Private subnet ids for the Kafka-speaking functions. @default none (required with vpcId) */
  readonly subnetIds?: string[];
  /** @default one new security group */
  readonly securityGroupIds?: string[];
  /** Sink connectors run on Lambda event source mappings; false = polled by the task runner. @default true */
  readonly sinkMappings?: boolean;
  /** HTTP Basic secret `{"username","password"}` instead of AWS_IAM. @default none (AWS_IAM) */
  readonly basicAuthSecretArn?: string;
  /** @default Duration.minutes(1) */
  readonly dispatchRate?: Duration;
  /** @default none */
  readonly taskReservedConcurrency?: number;
  /** @default none */
  readonly sinkReservedConcurrency?: number;
  /** Secrets and SSM parameters that connector configs reference through config providers. @default none */
  readonly providerSecretArns?: string[];
  /** @default none */
  readonly providerParameterArns?: string[];
  /** @default RemovalPolicy.RETAIN */
  readonly tableRemovalPolicy?: RemovalPolicy;
  /** @default true */
  readonly deletionProtection?: boolean;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** SNS topic ARN that alarms notify. @default none */
  readonly alarmTopicArn?: string;
  /** @default none (no lag alarm) */
  readonly lagThreshold?: number;
  /** `GET /`'s commit. @default 'unknown' */
  readonly gitCommit?: string;
}

/** Serverless Connect on AWS (DESIGN.md §6): composes the constructs, and nothing else. */
export class ServerlessConnectStack extends Stack {
  readonly tables: StateTables;
  readonly kafka: KafkaConnectivity;
  readonly tasks: TaskFunctions;
  readonly dispatcher: Dispatcher;
  readonly controlApi: ControlApi;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: ServerlessConnectStackProps = {}) {
    super(scope, id, props);
    const logRetention = props.logRetention;
    const providers = {
      providerSecretArns: props.providerSecretArns,
      providerParameterArns: props.providerParameterArns,
    };
    this.tables = new StateTables(this, 'State', {
      removalPolicy: props.tableRemovalPolicy ?? RemovalPolicy.RETAIN,
      deletionProtection: props.deletionProtection,
    });
    this.kafka = new KafkaConnectivity(this, 'Kafka', {
      bootstrapServers: props.bootstrapServers,
      mskClusterArn: props.mskClusterArn,
      auth: props.kafkaAuth,
      secretArn: props.kafkaSecretArn,
      tls: props.kafkaTls,
      vpcId: props.vpcId,
      subnetIds: props.subnetIds,
      securityGroupIds: props.securityGroupIds,
    });
    this.tasks = new TaskFunctions(this, 'Tasks', {
      tables: this.tables,
      kafka: this.kafka,
      taskReservedConcurrency: props.taskReservedConcurrency,
      sinkReservedConcurrency: props.sinkReservedConcurrency,
      logRetention,
      ...providers,
    });
    const sinkFunction = (props.sinkMappings ?? true) ? this.tasks.sink : undefined;
    this.dispatcher = new Dispatcher(this, 'Dispatcher', {
      tables: this.tables,
      taskFunction: this.tasks.taskRunner,
      sinkFunction,
      rate: props.dispatchRate,
      logRetention,
    });
    this.controlApi = new ControlApi(this, 'ControlApi', {
      tables: this.tables,
      kafka: this.kafka,
      sinkFunction,
      basicAuthSecretArn: props.basicAuthSecretArn,
      gitCommit: props.gitCommit,
      logRetention,
      ...providers,
    });
    this.observability = new Observability(this, 'Observability', {
      dispatcher: this.dispatcher.function,
      workers: [this.tasks.taskRunner, this.tasks.sink],
      functions: [this.controlApi.function, this.dispatcher.function, this.tasks.taskRunner, this.tasks.sink],
      alarmTopicArn: props.alarmTopicArn,
      lagThreshold: props.lagThreshold,
    });
  }
}
