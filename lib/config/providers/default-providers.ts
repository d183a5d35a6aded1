import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { awsSecretsManagerConfigProvider, secretsManagerSource } from './aws-secrets-manager.js';
import { awsSsmConfigProvider, ssmSource } from './aws-ssm.js';
import type { ConfigProvider } from './config-provider.js';
import { directoryConfigProvider } from './directory.js';
import { envConfigProvider } from './env.js';
import { fileConfigProvider } from './file.js';

/**
 * The worker's `config.providers`: `env`, `file`, `directory` (and `dir`), `secretsmanager`, `ssm`.
 * The AWS clients are created on first use only, so local mode never builds one it does not need.
 */
export function defaultConfigProviders(): Record<string, ConfigProvider> {
  let secrets: ConfigProvider | undefined;
  let ssm: ConfigProvider | undefined;
  const directory = directoryConfigProvider();
  return {
    env: envConfigProvider(),
    file: fileConfigProvider(),
    directory,
    dir: directory,
    secretsmanager: {
      get: (path, keys) => {
        secrets ??= awsSecretsManagerConfigProvider(secretsManagerSource(new SecretsManagerClient({})));
        return secrets.get(path, keys);
      },
    },
    ssm: {
      get: (path, keys) => {
        ssm ??= awsSsmConfigProvider(ssmSource(new SSMClient({})));
        return ssm.get(path, keys);
      },
    },
  };
}
