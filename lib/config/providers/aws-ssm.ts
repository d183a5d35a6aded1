import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { ConfigError } from '../../api/errors.js';
import type { ConfigProvider } from './config-provider.js';
import { lookupSecretKeys } from './secret-fields.js';

/** The one call the provider needs; tests pass a fake, production {@link ssmSource}. */
export interface ParameterSource {
  /** The parameter's value, decrypted for SecureString; `undefined` when it does not exist. */
  getParameter(name: string): Promise<string | undefined>;
}

/** {@link ParameterSource} over an AWS SDK v3 SSM client, always `WithDecryption`. */
export function ssmSource(client: SSMClient): ParameterSource {
  return {
    async getParameter(name) {
      try {
        const out = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
        return out.Parameter?.Value;
      } catch (e) {
        if ((e as { name?: string }).name === 'ParameterNotFound') return undefined;
        throw new ConfigError(
          `Could not read parameter ${name}: ${(e as { name?: string }).name ?? 'error'}`,
        );
      }
    },
  };
}

/**
 * SSM Parameter Store as a config provider, SecureString decrypted: `${ssm:<parameter name>:<json field>}` or
 * `${ssm:<parameter name>}` for the whole value; see {@link lookupSecretKeys}.
 */
export function awsSsmConfigProvider(source: ParameterSource): ConfigProvider {
  return { get: (path, keys) => lookupSecretKeys(path, keys, (name) => source.getParameter(name)) };
}
