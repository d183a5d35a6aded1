import { ConfigError } from '../../api/errors.js';
import type { ConfigData, ConfigProvider } from './config-provider.js';

export interface EnvConfigProviderOptions {
  /** `allowlist.pattern`: only variables whose whole name matches are visible. @default '.*' */
  allowlistPattern?: string;
  /** The environment to read. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
}

// The function's own credentials and our worker settings are never config values, whatever the pattern.
const NEVER_EXPOSED =
  /^(AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AWS_ACCESS_KEY_ID|AWS_CONTAINER_AUTHORIZATION_TOKEN|CONNECT_WORKER_PROPERTIES)$/;

/**
 * Kafka's `EnvVarConfigProvider` (KIP-887): `${env:NAME}` or `${env::NAME}`. A non-empty path is refused.
 * Unlike Kafka's, the process's AWS credentials are never visible, even under `allowlist.pattern=.*`.
 */
export function envConfigProvider(options: EnvConfigProviderOptions = {}): ConfigProvider {
  const allow = new RegExp(`^(?:${options.allowlistPattern ?? '.*'})$`);
  const env = options.env ?? process.env;
  return {
    async get(path, keys): Promise<ConfigData> {
      if (path !== undefined && path !== null && path !== '') {
        throw new ConfigError(`Path is not supported for EnvVarConfigProvider, invalid value '${path}'`);
      }
      const data: Record<string, string> = {};
      for (const key of keys) {
        const value = env[key];
        if (value !== undefined && allow.test(key) && !NEVER_EXPOSED.test(key)) data[key] = value;
      }
      return { data };
    },
  };
}
