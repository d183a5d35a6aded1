import type { ConfigProvider } from './providers/config-provider.js';
import { type ProviderEnvironment, workerConfigProviders } from './providers/worker-providers.js';
import {
  type PluginPolicy,
  parseWorkerProperties,
  pluginPolicy,
  WORKER_PROPERTIES_ENV,
  type WorkerLimits,
  type WorkerProperties,
  workerLimits,
} from './worker-properties.js';

/** What the deployment decided, read once per process: the same for the control plane and the worker. */
export interface Deployment {
  properties: WorkerProperties;
  providers: Record<string, ConfigProvider>;
  plugins: PluginPolicy;
  limits: WorkerLimits;
}

/**
 * The deployment's settings from {@link WORKER_PROPERTIES_ENV}. Inside a Lambda function
 * (`AWS_LAMBDA_FUNCTION_NAME` set) the AWS defaults apply: no FileStream unless enabled for a directory,
 * no private addresses for the HTTP sink. A bad declaration throws, so the function fails to start
 * rather than run with a policy nobody chose.
 */
export function deploymentFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
  providerEnvironment: ProviderEnvironment = {},
): Deployment {
  const properties = parseWorkerProperties(env[WORKER_PROPERTIES_ENV]);
  return {
    properties,
    providers: workerConfigProviders(properties, { env, ...providerEnvironment }),
    plugins: pluginPolicy(properties, Boolean(env.AWS_LAMBDA_FUNCTION_NAME)),
    limits: workerLimits(properties),
  };
}
