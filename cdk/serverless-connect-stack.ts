import { type Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ControlApi } from './control-api.js';
import { Dispatcher } from './dispatcher.js';
import { type KafkaAuth, KafkaConnectivity } from './kafka-connectivity.js';
import { Observability } from './observability.js';
import { grantS3SinkBuckets } from './s3-sink-grants.js';
import { grantSearchDomains } from './search-domain-grants.js';
import { StateTables } from './state-tables.js';
import { type Reservation, TaskFunctions } from './task-functions.js';
import { WorkerSettings } from './worker-settings.js';

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
  /**
   * How long the Basic authorizer keeps the secret, and API Gateway its decision: a rotated password
   * is honoured within twice this. @default Duration.minutes(5)
   */
  readonly basicAuthCacheTtl?: Duration;
  /** Requests per IP address per 5 minutes before AWS WAF blocks it (10 and up). @default 300 */
  readonly apiRateLimit?: number;
  /** Log the requests AWS WAF blocks, credential headers redacted. @default false */
  readonly wafLogging?: boolean;
  /** @default Duration.minutes(1) */
  readonly dispatchRate?: Duration;
  /** How long a task run keeps polling a task that found nothing (see TaskFunctionsProps). @default 0 */
  readonly taskIdleMs?: number;
  /** Task runner reserved concurrency; `'none'` or 0 = unreserved (see TaskFunctionsProps). @default 20 */
  readonly taskReservedConcurrency?: Reservation;
  /** Sink function reserved concurrency; `'none'` or 0 = unreserved. @default 20 */
  readonly sinkReservedConcurrency?: Reservation;
  /**
   * Worker properties in Kafka's worker-config shape: config providers and their allowlists (which
   * also decide the IAM grants), override policy, FileStream, HTTP sink reach, consumer group prefixes.
   * @default {} (no config providers, no FileStream)
   */
  readonly workerProperties?: Record<string, string>;
  /** `tasks.max.limit`, unless workerProperties sets it. @default 64 */
  readonly tasksMaxLimit?: number;
  /** Customer managed KMS keys of the secrets / parameters the config providers read. @default none */
  readonly providerKeyArns?: string[];
  /** MSK IAM: topic prefixes the functions may use (DLQ topics included). @default ['*'] (every topic) */
  readonly topicPrefixes?: string[];
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
  /** Bytes of source backlog (a CDC slot's retained WAL) that raise an alarm. @default 1 GiB */
  readonly backlogBytesThreshold?: number;
  /** `GET /`'s commit. @default 'unknown' */
  readonly gitCommit?: string;
  /**
   * Amazon OpenSearch Service domain and OpenSearch Serverless collection ARNs the sink functions may
   * call with SigV4 (the Elasticsearch/OpenSearch sink's `aws.*` keys). @default none
   */
  readonly searchDomainArns?: string[];
  /** Buckets the S3 sink may write (`s3.bucket.name`), granted to the functions that run sink tasks. @default none */
  readonly s3SinkBuckets?: string[];
}

/** Serverless Connect on AWS (docs/architecture.md, AWS shape): composes the constructs, and nothing else. */
export class ServerlessConnectStack extends Stack {
  readonly worker: WorkerSettings;
  readonly tables: StateTables;
  readonly kafka: KafkaConnectivity;
  readonly tasks: TaskFunctions;
  readonly dispatcher: Dispatcher;
  readonly controlApi: ControlApi;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: ServerlessConnectStackProps = {}) {
    super(scope, id, props);
    const logRetention = props.logRetention;
    this.worker = new WorkerSettings(this, 'Worker', {
      workerProperties: props.workerProperties,
      tasksMaxLimit: props.tasksMaxLimit,
      providerKeyArns: props.providerKeyArns,
    });
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
      groupIdPrefixes: this.worker.groupIdPrefixes,
      topicPrefixes: props.topicPrefixes,
    });
    this.tasks = new TaskFunctions(this, 'Tasks', {
      tables: this.tables,
      kafka: this.kafka,
      worker: this.worker,
      taskReservedConcurrency: props.taskReservedConcurrency,
      sinkReservedConcurrency: props.sinkReservedConcurrency,
      taskIdleMs: props.taskIdleMs,
      logRetention,
    });
    const sinkRoles = [this.tasks.taskRunner.role, this.tasks.sink.role].filter((r) => r !== undefined);
    grantSearchDomains(this.tasks, sinkRoles, props.searchDomainArns ?? []);
    grantS3SinkBuckets(this.tasks, [this.tasks.taskRunner, this.tasks.sink], props.s3SinkBuckets ?? []);
    const sinkFunction = (props.sinkMappings ?? true) ? this.tasks.sink : undefined;
    this.dispatcher = new Dispatcher(this, 'Dispatcher', {
      tables: this.tables,
      taskFunction: this.tasks.taskRunner,
      sinkFunction,
      kafka: this.kafka,
      rate: props.dispatchRate,
      logRetention,
    });
    this.controlApi = new ControlApi(this, 'ControlApi', {
      tables: this.tables,
      kafka: this.kafka,
      worker: this.worker,
      sinkFunction,
      dispatcher: this.dispatcher.function,
      basicAuthSecretArn: props.basicAuthSecretArn,
      basicAuthSecretTtl: props.basicAuthCacheTtl,
      rateLimit: props.apiRateLimit,
      logBlockedRequests: props.wafLogging,
      gitCommit: props.gitCommit,
      logRetention,
    });
    this.observability = new Observability(this, 'Observability', {
      dispatcher: this.dispatcher.function,
      workers: [this.tasks.taskRunner, this.tasks.sink],
      functions: [this.controlApi.function, this.dispatcher.function, this.tasks.taskRunner, this.tasks.sink],
      alarmTopicArn: props.alarmTopicArn,
      lagThreshold: props.lagThreshold,
      backlogBytesThreshold: props.backlogBytesThreshold,
    });
  }
}
