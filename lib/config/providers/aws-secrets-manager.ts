import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { ConfigError } from '../../api/errors.js';
import type { ConfigProvider } from './config-provider.js';
import {
  type AwsClientOptions,
  awsReference,
  clientConfig,
  isAllowedId,
  lookupSecretKeys,
  type NotFoundStrategy,
  type StringSource,
  splitTtl,
  stringSource,
} from './secret-fields.js';

/** The one call the provider needs: a secret's string, `undefined` when it does not exist or is binary. */
export type SecretSource = StringSource;

export interface SecretsManagerProviderOptions {
  /** `allowed.secrets`: ARNs or names (IAM wildcards) it may read; IAM grants the same. @default any */
  allowedSecrets?: readonly string[];
  /** @default 'fail' */
  notFound?: NotFoundStrategy;
  /** `RawSecretEncoding`: `base64` returns whole-secret values Base64-encoded, as MSK Connect's does. */
  rawEncoding?: 'none' | 'base64';
}

/**
 * {@link SecretSource} through Powertools for AWS Lambda's Parameters utility, which caches each secret
 * for `maxAgeSeconds` (a warm container does not call Secrets Manager per batch).
 */
export function powertoolsSecretSource(options: AwsClientOptions = {}): SecretSource {
  // Loaded with the first secret read, not with the bundle: a cold start without one does not pay for it.
  let provider: Promise<SecretsProvider> | undefined;
  const load = () =>
    (provider ??= import('@aws-lambda-powertools/parameters/secrets').then(
      (m) => new m.SecretsProvider({ clientConfig: clientConfig(options) }),
    ));
  return stringSource(
    async (id, maxAge) => (await load()).get(id, maxAge > 0 ? { maxAge } : { forceFetch: true }),
    options,
    /ResourceNotFound/,
    'secret',
  );
}

/** A secret's string through Powertools' cache, `''` when absent (the Kafka credentials secret). */
export function secretStringReader(): (secretId: string) => Promise<string> {
  const source = powertoolsSecretSource();
  return async (id) => (await source(id)) ?? '';
}

/**
 * AWS Secrets Manager as a config provider, under MSK Connect's class name
 * `com.amazonaws.kafka.config.providers.SecretsManagerConfigProvider`:
 * `${secretsmanager:<name or ARN>:<json field>}`, `${secretsmanager:<name or ARN>}` for the whole string,
 * the ARN raw or URL-encoded, `?ttl=<ms>` on the key. See `lookupSecretKeys` for the rule.
 *
 * @example
 * awsSecretsManagerConfigProvider(powertoolsSecretSource({ region: 'eu-west-1' }), { allowedSecrets: ['prod/db-*'] })
 */
export function awsSecretsManagerConfigProvider(
  source: SecretSource,
  options: SecretsManagerProviderOptions = {},
): ConfigProvider {
  const read = async (id: string, maxAgeMs?: number) => {
    if (!isAllowedId(id, options.allowedSecrets))
      throw new ConfigError(`Secret ${id} is not in the provider's allowed.secrets`);
    return source(id, maxAgeMs);
  };
  return {
    parseReference: (text) => awsReference(text, 7),
    async get(path, keys) {
      const result = await lookupSecretKeys(path, keys, read, options.notFound);
      if (options.rawEncoding === 'base64') {
        for (const key of keys) {
          const whole = !path || splitTtl(key).key === '';
          const value = result.data[key];
          if (whole && value !== undefined) result.data[key] = Buffer.from(value).toString('base64');
        }
      }
      return result;
    },
  };
}
