import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '../../api/errors.js';
import type { ConfigProvider } from './config-provider.js';
import { lookupSecretKeys } from './secret-fields.js';

/** The one call the provider needs; tests pass a fake, production {@link secretsManagerSource}. */
export interface SecretSource {
  /** The secret's string value, or `undefined` when it has none (binary secret) or does not exist. */
  getSecretString(secretId: string): Promise<string | undefined>;
}

/** {@link SecretSource} over an AWS SDK v3 Secrets Manager client. */
export function secretsManagerSource(client: SecretsManagerClient): SecretSource {
  return {
    async getSecretString(secretId) {
      try {
        const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
        return out.SecretString;
      } catch (e) {
        if ((e as { name?: string }).name === 'ResourceNotFoundException') return undefined;
        throw new ConfigError(
          `Could not read secret ${secretId}: ${(e as { name?: string }).name ?? 'error'}`,
        );
      }
    },
  };
}

/**
 * AWS Secrets Manager as a config provider (Apache Kafka ships none): `${secretsmanager:<secret id>:<json field>}`
 * or `${secretsmanager:<secret id>}` for the whole secret string; see {@link lookupSecretKeys}.
 *
 * @example
 * awsSecretsManagerConfigProvider(secretsManagerSource(new SecretsManagerClient({})))
 */
export function awsSecretsManagerConfigProvider(source: SecretSource): ConfigProvider {
  return { get: (path, keys) => lookupSecretKeys(path, keys, (id) => source.getSecretString(id)) };
}
