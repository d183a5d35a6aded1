import type { Logger } from '@aws-lambda-powertools/logger';
import { LambdaClient, type SourceAccessConfiguration } from '@aws-sdk/client-lambda';
import { deploymentFromEnv } from '../lib/config/deployment.js';
import { secretStringReader } from '../lib/config/providers/aws-secrets-manager.js';
import { awsSinkMappings } from '../lib/control/aws-sink-mappings.js';
import { createHerder } from '../lib/control/herder.js';
import { LoggerLevels, type LogLevel } from '../lib/control/loggers.js';
import { restApi } from '../lib/control/rest/routes.js';
import type { RestReply, RestRequest } from '../lib/control/rest/types.js';
import { localSinkMappings, type SinkMappings } from '../lib/control/sink-mappings.js';
import { CONTROL_ENV, ENV } from '../lib/env.js';
import { createKafka, KafkaAdmin } from '../lib/kafka/index.js';
import { kafkaOptionsFromEnv } from '../lib/kafka/options.js';
import { plugins } from '../lib/plugins.js';
import { createDynamoClient, dynamoStateStore, tableNamesFromEnv } from '../lib/store/index.js';

export type RestHandler = (request: RestRequest) => Promise<RestReply>;

/**
 * Builds the REST API over DynamoDB, Kafka and (on AWS, when SINK_FUNCTION_NAME is set) Lambda event
 * source mappings, from the environment. Called once per container; the Kafka admin connects on first use.
 */
export async function controlPlaneFromEnv(env: NodeJS.ProcessEnv, logger: Logger): Promise<RestHandler> {
  const store = dynamoStateStore({
    client: createDynamoClient({ endpoint: env[ENV.dynamodbEndpoint] }),
    tables: tableNamesFromEnv(env),
  });
  const readSecret = secretStringReader();
  const deployment = deploymentFromEnv(env);
  const herder = createHerder({
    store,
    plugins: plugins(deployment.plugins),
    workerId: env[ENV.workerId] ?? 'control-api',
    commit: env[CONTROL_ENV.gitCommit] ?? 'unknown',
    providers: deployment.providers,
    limits: deployment.limits,
    sinkMappings: sinkMappings(env),
    admin: async () => new KafkaAdmin(createKafka(await kafkaOptionsFromEnv(env, readSecret))),
    loggers: new LoggerLevels({ onChange: (name, level) => applyLevel(logger, name, level) }),
  });
  return restApi(herder);
}

function sinkMappings(env: NodeJS.ProcessEnv): SinkMappings {
  const functionName = env[ENV.sinkFunction];
  if (!functionName) return localSinkMappings();
  const access: SourceAccessConfiguration[] = [];
  const auth = env[ENV.kafkaAuth] ?? 'none';
  const secret = env[ENV.kafkaSecretArn];
  const authType = {
    'scram-sha-512': 'SASL_SCRAM_512_AUTH',
    'scram-sha-256': 'SASL_SCRAM_256_AUTH',
    mtls: 'CLIENT_CERTIFICATE_TLS_AUTH',
  }[auth];
  if (authType && secret) access.push({ Type: authType as SourceAccessConfiguration['Type'], URI: secret });
  const arn = env[CONTROL_ENV.mskClusterArn];
  if (!arn) {
    for (const id of list(env[CONTROL_ENV.esmSubnets]))
      access.push({ Type: 'VPC_SUBNET', URI: `subnet:${id}` });
    for (const id of list(env[CONTROL_ENV.esmSecurityGroups]))
      access.push({ Type: 'VPC_SECURITY_GROUP', URI: `security_group:${id}` });
  }
  return awsSinkMappings({
    client: new LambdaClient({}),
    functionName,
    source: arn
      ? { mskClusterArn: arn, accessConfigurations: access }
      : { bootstrapServers: list(env[ENV.kafkaBrokers]), accessConfigurations: access },
  });
}

/** The logger name that `/admin/loggers` maps onto the function's Powertools logger, besides `root`. */
export const SERVICE_LOGGER = 'control-api';

/** Kafka's levels onto Powertools': `root` and `control-api` set the function's logger. */
function applyLevel(logger: Logger, name: string, level: LogLevel): void {
  if (name !== 'root' && name !== SERVICE_LOGGER) return;
  const mapped = { FATAL: 'CRITICAL', OFF: 'SILENT' }[level as string] ?? level;
  logger.setLogLevel(mapped as Parameters<Logger['setLogLevel']>[0]);
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
