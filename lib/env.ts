/**
 * Names of the environment variables that carry configuration into the runtime. The CDK constructs set
 * them and the runtime reads them, both through these constants, so a name is written once.
 */
export const ENV = {
  /** Comma-separated `host:port` list of Kafka bootstrap brokers. */
  kafkaBrokers: 'KAFKA_BROKERS',
  /** `none` | `scram-sha-512` | `scram-sha-256` | `mtls` | `msk-iam`. */
  kafkaAuth: 'KAFKA_AUTH',
  /** ARN of the Secrets Manager secret holding SASL/SCRAM username/password or mTLS key/cert. */
  kafkaSecretArn: 'KAFKA_SECRET_ARN',
  /** `true` to connect to Kafka over TLS. */
  kafkaTls: 'KAFKA_TLS',
  /** DynamoDB endpoint override (DynamoDB Local); unset on AWS. */
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
  /** Table names. */
  configsTable: 'CONFIGS_TABLE',
  statusTable: 'STATUS_TABLE',
  offsetsTable: 'OFFSETS_TABLE',
  /** Name or ARN of the task-runner function the dispatcher invokes. */
  taskFunction: 'TASK_FUNCTION_NAME',
  /** Name or ARN of the sink function that event source mappings feed. */
  sinkFunction: 'SINK_FUNCTION_NAME',
  /** Identifies this worker in status documents (`worker_id`). */
  workerId: 'WORKER_ID',
  /** Upper bound on records per bounded batch. */
  batchMaxRecords: 'BATCH_MAX_RECORDS',
  /** Upper bound on bytes per bounded batch. */
  batchMaxBytes: 'BATCH_MAX_BYTES',
  /** How long a run keeps polling a task that found nothing before it ends, in ms; unset or 0 = not at all. */
  taskIdleMs: 'TASK_IDLE_MS',
  /** How long a task lease lives, in ms. */
  leaseMs: 'LEASE_MS',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];

/**
 * Variables only the control plane reads; the CDK's control API construct sets them.
 */
export const CONTROL_ENV = {
  /** `GET /`'s commit. */
  gitCommit: 'GIT_COMMIT',
  /** Name or ARN of the dispatcher, started after a change so a new or resumed task need not wait for the schedule. */
  dispatcherFunction: 'DISPATCHER_FUNCTION_NAME',
  /** MSK cluster ARN for sink event source mappings; unset = self-managed Kafka at KAFKA_BROKERS. */
  mskClusterArn: 'MSK_CLUSTER_ARN',
  /** Comma-separated subnet ids / security group ids a self-managed Kafka mapping reaches brokers through. */
  esmSubnets: 'ESM_SUBNET_IDS',
  esmSecurityGroups: 'ESM_SECURITY_GROUP_IDS',
} as const;

/** Variables of the optional HTTP Basic authorizer in front of the control API. */
export const AUTH_ENV = {
  /** ARN of the Secrets Manager secret holding `{"username","password"}`. */
  basicAuthSecretArn: 'BASIC_AUTH_SECRET_ARN',
  /**
   * Seconds the authorizer keeps the secret before reading it again, so a rotation is honoured within
   * this time (plus API Gateway's cache of the decision). Unset = 300.
   */
  basicAuthSecretTtlSeconds: 'BASIC_AUTH_SECRET_TTL_SECONDS',
} as const;
