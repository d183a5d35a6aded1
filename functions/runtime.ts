import type { Logger } from '@aws-lambda-powertools/logger';
import { deploymentFromEnv } from '../lib/config/deployment.js';
import { secretStringReader } from '../lib/config/providers/aws-secrets-manager.js';
import { ENV } from '../lib/env.js';
import { kafkaOptionsFromEnv } from '../lib/kafka/options.js';
import { createRuntime, type RuntimeEnvironment } from '../lib/runtime/environment.js';
import { withLocalInstance, workerConfigFromEnv } from '../lib/runtime/worker-config.js';
import { tableNamesFromEnv } from '../lib/store/index.js';
import { emitBatch } from './metrics.js';

let runtime: Promise<RuntimeEnvironment> | undefined;

/**
 * The runtime of this container, built on the first invocation and reused while the container is warm
 * (DynamoDB and Kafka clients, the idempotent producer, warm tasks). `worker_id` is the function name
 * and log stream, so status tells which container ran a task.
 */
export function runtimeFromEnv(
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RuntimeEnvironment> {
  runtime ??= (async () => {
    const readSecret = secretStringReader();
    const deployment = deploymentFromEnv(env);
    const worker = workerConfigFromEnv(env);
    // Local mode puts its instance in front, so a restart can free the leases of a killed one at once.
    worker.workerId = withLocalInstance(
      env[ENV.workerId] ??
        `${env.AWS_LAMBDA_FUNCTION_NAME ?? 'local'}/${env.AWS_LAMBDA_LOG_STREAM_NAME ?? process.pid}`,
      env,
    );
    return createRuntime({
      kafka: await kafkaOptionsFromEnv(env, readSecret),
      dynamodbEndpoint: env[ENV.dynamodbEndpoint],
      tables: tableNamesFromEnv(env),
      worker,
      log: { info: (m, e) => logger.info(m, { ...e }), error: (m, e) => logger.error(m, { ...e }) },
      onBatch: emitBatch,
      providers: deployment.providers,
      plugins: deployment.plugins,
    });
  })().catch((error) => {
    runtime = undefined;
    throw error;
  });
  return runtime;
}
