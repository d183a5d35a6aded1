import { ConfigError } from '../../api/errors.js';
import {
  AWS_PROVIDER_PARAMS,
  PROVIDER_CLASSES,
  type ProviderSpec,
  providerSpecs,
  type WorkerProperties,
} from '../worker-properties.js';
import { awsSecretsManagerConfigProvider, powertoolsSecretSource } from './aws-secrets-manager.js';
import { awsSsmConfigProvider, powertoolsParameterSource } from './aws-ssm.js';
import { type ConfigProvider, parseAllowedPaths } from './config-provider.js';
import { directoryConfigProvider } from './directory.js';
import { envConfigProvider } from './env.js';
import { fileConfigProvider } from './file.js';
import { awsReference, type NotFoundStrategy } from './secret-fields.js';

export interface ProviderEnvironment {
  /** What `${env:…}` reads. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Endpoint of Secrets Manager / SSM (an emulator in tests). @default the SDK's */
  awsEndpoint?: string;
}

/**
 * The worker's config providers, exactly those the deployment declares (`config.providers`, as Kafka's
 * worker config): none when it declares none, so a REST caller cannot read the worker's environment or
 * files unless the operator chose so. The AWS clients are created on first use only.
 */
export function workerConfigProviders(
  props: WorkerProperties,
  environment: ProviderEnvironment = {},
): Record<string, ConfigProvider> {
  const out: Record<string, ConfigProvider> = {};
  for (const spec of providerSpecs(props)) out[spec.name] = create(spec, environment);
  return out;
}

function create(spec: ProviderSpec, environment: ProviderEnvironment): ConfigProvider {
  const { params } = spec;
  switch (spec.className) {
    case PROVIDER_CLASSES.env:
      return envConfigProvider({ allowlistPattern: params['allowlist.pattern'], env: environment.env });
    case PROVIDER_CLASSES.file:
      return fileConfigProvider({ allowedPaths: parseAllowedPaths(params['allowed.paths']) });
    case PROVIDER_CLASSES.directory:
      return directoryConfigProvider({ allowedPaths: parseAllowedPaths(params['allowed.paths']) });
    case PROVIDER_CLASSES.secretsManager:
      return lazy(
        () =>
          awsSecretsManagerConfigProvider(powertoolsSecretSource(clientOptions(params, environment)), {
            allowedSecrets: list(params[AWS_PROVIDER_PARAMS.allowedSecrets]),
            notFound: notFound(params),
            rawEncoding: params.RawSecretEncoding === 'base64' ? 'base64' : 'none',
          }),
        (text) => awsReference(text, 7),
      );
    case PROVIDER_CLASSES.ssm:
      return lazy(
        () =>
          awsSsmConfigProvider(powertoolsParameterSource(clientOptions(params, environment)), {
            allowedParameters: list(params[AWS_PROVIDER_PARAMS.allowedParameters]),
            notFound: notFound(params),
          }),
        (text) => awsReference(text, 6),
      );
    default:
      throw new ConfigError(`Config provider class ${String(spec.className)} is not available`);
  }
}

/** A provider whose AWS client is built on first use, so local mode never builds one it does not need. */
function lazy(make: () => ConfigProvider, parseReference: ConfigProvider['parseReference']): ConfigProvider {
  let provider: ConfigProvider | undefined;
  return {
    get: (path, keys) => {
      provider ??= make();
      return provider.get(path, keys);
    },
    parseReference,
  };
}

function clientOptions(params: Record<string, string>, environment: ProviderEnvironment) {
  const maxAge = Number(params['cache.max.age.seconds']);
  return {
    region: params.region,
    endpoint: params.endpoint ?? environment.awsEndpoint,
    ...(Number.isFinite(maxAge) && maxAge >= 0 && params['cache.max.age.seconds']
      ? { maxAgeSeconds: maxAge }
      : {}),
  };
}

function notFound(params: Record<string, string>): NotFoundStrategy {
  return params.NotFoundStrategy?.toLowerCase() === 'ignore' ? 'ignore' : 'fail';
}

function list(value: string | undefined): string[] | undefined {
  const items = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length > 0 ? items : undefined;
}
