import type { Logger } from '@aws-lambda-powertools/logger';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { deploymentFromEnv } from '../lib/config/deployment.js';
import { secretStringReader } from '../lib/config/providers/aws-secrets-manager.js';
import { awsSinkMappingsFromEnv } from '../lib/control/aws-sink-mappings-env.js';
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
  return withDispatch(restApi(herder), env[CONTROL_ENV.dispatcherFunction], logger);
}

/**
 * After a change to connectors succeeded (create, config, pause, resume, restart, stop, delete, offsets),
 * the dispatcher is started at once (asynchronously: the reply waits only for Lambda's 202), so a new or
 * resumed task runs now, as in Kafka Connect, rather than at the next schedule (a minute on AWS). Should
 * that fail, the schedule still runs it: logged, never the caller's error. The run is told which
 * connector changed and starts only its tasks: two changes in a row (a source, then its sink) would
 * otherwise both start the first one's task, the second runner finding it leased after a cold start.
 */
function withDispatch(api: RestHandler, dispatcher: string | undefined, logger: Logger): RestHandler {
  if (!dispatcher) return api;
  // Bounded: a VPC without a route to Lambda must cost a request a second at most, not API Gateway's 29 s.
  const lambda = new LambdaClient({
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 1_000 },
  });
  return async (request) => {
    const reply = await api(request);
    if (request.method !== 'GET' && reply.status < 300 && request.path.startsWith('/connectors')) {
      const connector = changedConnector(request, reply);
      const Payload = JSON.stringify(connector === undefined ? {} : { connector });
      await lambda
        .send(new InvokeCommand({ FunctionName: dispatcher, InvocationType: 'Event', Payload }))
        .catch((error: unknown) => logger.warn('could not start the dispatcher', { error: String(error) }));
    }
    return reply;
  };
}

/** The connector a successful change was about: the created one's name, or the one its path names. */
function changedConnector(request: RestRequest, reply: RestReply): string | undefined {
  const segment = request.path.split('/')[2];
  if (segment === undefined || segment === '') {
    const name = (reply.body as { name?: unknown } | undefined)?.name;
    return typeof name === 'string' ? name : undefined;
  }
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined; // a run for every connector, as the schedule's
  }
}

/** The same mappings as the dispatcher's reconciler builds; none (local bookkeeping) without a sink function. */
function sinkMappings(env: NodeJS.ProcessEnv): SinkMappings {
  return awsSinkMappingsFromEnv(env, new LambdaClient({})) ?? localSinkMappings();
}

/** The logger name that `/admin/loggers` maps onto the function's Powertools logger, besides `root`. */
export const SERVICE_LOGGER = 'control-api';

/** Kafka's levels onto Powertools': `root` and `control-api` set the function's logger. */
function applyLevel(logger: Logger, name: string, level: LogLevel): void {
  if (name !== 'root' && name !== SERVICE_LOGGER) return;
  const mapped = { FATAL: 'CRITICAL', OFF: 'SILENT' }[level as string] ?? level;
  logger.setLogLevel(mapped as Parameters<Logger['setLogLevel']>[0]);
}
