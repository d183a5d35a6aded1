import type { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
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
  stringSource,
} from './secret-fields.js';

/** The one call the provider needs: a parameter's value (SecureString decrypted), `undefined` if absent. */
export type ParameterSource = StringSource;

export interface SsmProviderOptions {
  /** `allowed.parameters`: names or prefixes ending in `*` it may read; IAM grants the same. @default any */
  allowedParameters?: readonly string[];
  /** @default 'fail' */
  notFound?: NotFoundStrategy;
}

/** {@link ParameterSource} through Powertools' Parameters utility: decrypted, cached for `maxAgeSeconds`. */
export function powertoolsParameterSource(options: AwsClientOptions = {}): ParameterSource {
  // Loaded with the first parameter read, not with the bundle: a cold start without one does not pay.
  let provider: Promise<SSMProvider> | undefined;
  const load = () =>
    (provider ??= import('@aws-lambda-powertools/parameters/ssm').then(
      (m) => new m.SSMProvider({ clientConfig: clientConfig(options) }),
    ));
  return stringSource(
    async (name, maxAge) =>
      (await load()).get(name, maxAge > 0 ? { decrypt: true, maxAge } : { decrypt: true, forceFetch: true }),
    options,
    /ParameterNotFound/,
    'parameter',
  );
}

/** A parameter ARN (`arn:…:parameter/a/b`) names the parameter `/a/b`. */
function parameterName(id: string): string {
  const m = /^arn:[^:]+:ssm:[^:]*:[^:]*:parameter(\/.*)$/.exec(id);
  return m ? (m[1] as string) : id;
}

/**
 * SSM Parameter Store as a config provider, under MSK Connect's class name
 * `com.amazonaws.kafka.config.providers.SsmParamStoreConfigProvider`: `${ssm::/connect/db/password}` (MSK
 * Connect's form), `${ssm:/connect/db/password}`, or `${ssm:/connect/db:<json field>}`.
 */
export function awsSsmConfigProvider(
  source: ParameterSource,
  options: SsmProviderOptions = {},
): ConfigProvider {
  const read = async (id: string, maxAgeMs?: number) => {
    const name = parameterName(id);
    if (!isAllowedId(name, options.allowedParameters))
      throw new ConfigError(`Parameter ${name} is not in the provider's allowed.parameters`);
    return source(name, maxAgeMs);
  };
  return {
    parseReference: (text) => awsReference(text, 6),
    get: (path, keys) => lookupSecretKeys(path, keys, read, options.notFound),
  };
}
