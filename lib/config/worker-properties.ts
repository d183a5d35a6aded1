import { ConfigError } from '../api/errors.js';

/**
 * The worker settings a deployment decides, in Kafka's worker-config shape: what a Kafka Connect operator
 * writes in `connect-distributed.properties`. On AWS the CDK app passes them as one JSON object in
 * {@link WORKER_PROPERTIES_ENV}; local mode reads a `.properties` file (`--worker-config`) or the same
 * variable. Nothing here comes from a REST caller: a connector config can never widen these.
 *
 * Kafka's own keys keep Kafka's names and defaults; ours are marked as such and have safe defaults.
 */
export type WorkerProperties = Readonly<Record<string, string>>;

/** The environment variable holding the worker properties as a JSON object of strings. */
export const WORKER_PROPERTIES_ENV = 'CONNECT_WORKER_PROPERTIES';

export const WORKER_KEYS = {
  /** Kafka's: comma-separated provider names; none unless declared. */
  configProviders: 'config.providers',
  /** Kafka's: `All` (default) | `None` | `Principal`. */
  overridePolicy: 'connector.client.config.override.policy',
  /** Ours: the largest `tasks.max` a connector may ask for. */
  tasksMaxLimit: 'tasks.max.limit',
  /** Ours: comma-separated absolute paths; when set, the FileStream connectors may read/write only under them. */
  fileStreamAllowedPaths: 'file.stream.allowed.paths',
  /** Ours: `true` registers the FileStream connectors (local mode always has them). */
  fileStreamEnabled: 'file.stream.enable',
  /** Ours: `true` lets the HTTP sink call loopback and private addresses (never instance metadata). */
  httpSinkAllowPrivate: 'http.sink.allow.private.networks',
  /** Ours: comma-separated prefixes a sink's consumer group must start with (`connect-` is always allowed). */
  groupIdPrefixes: 'consumer.group.id.allowed.prefixes',
} as const;

/** The provider classes we implement, by the class names their users already write. */
export const PROVIDER_CLASSES = {
  env: 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
  file: 'org.apache.kafka.common.config.provider.FileConfigProvider',
  directory: 'org.apache.kafka.common.config.provider.DirectoryConfigProvider',
  /** MSK Connect's (aws-samples/msk-config-providers), the names MSK Connect users write. */
  secretsManager: 'com.amazonaws.kafka.config.providers.SecretsManagerConfigProvider',
  ssm: 'com.amazonaws.kafka.config.providers.SsmParamStoreConfigProvider',
} as const;

export type ProviderClass = (typeof PROVIDER_CLASSES)[keyof typeof PROVIDER_CLASSES];

/** One declared provider: `config.providers.<name>.class` and its `config.providers.<name>.param.*`. */
export interface ProviderSpec {
  name: string;
  className: ProviderClass;
  params: Record<string, string>;
}

/** The provider params that bound what each AWS provider may read; the CDK grants IAM from the same keys. */
export const AWS_PROVIDER_PARAMS = {
  /** Comma-separated secret ARNs or names (`*` as in IAM) the Secrets Manager provider may read. */
  allowedSecrets: 'allowed.secrets',
  /** Comma-separated parameter names or prefixes ending in `*` the SSM provider may read. */
  allowedParameters: 'allowed.parameters',
} as const;

const KNOWN_CLASSES = new Set<string>(Object.values(PROVIDER_CLASSES));

/** Parses {@link WORKER_PROPERTIES_ENV}: absent or blank is `{}`; anything but an object of strings is refused. */
export function parseWorkerProperties(json: string | undefined): WorkerProperties {
  if (json === undefined || json.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new ConfigError(`${WORKER_PROPERTIES_ENV} is not a JSON object`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConfigError(`${WORKER_PROPERTIES_ENV} is not a JSON object`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')
      throw new ConfigError(`Worker property ${k} must be a string`);
    out[k] = String(v);
  }
  return out;
}

/** The providers `config.providers` declares, each with its class and params. An unknown class is refused. */
export function providerSpecs(props: WorkerProperties): ProviderSpec[] {
  return list(props[WORKER_KEYS.configProviders]).map((name) => {
    const prefix = `config.providers.${name}.`;
    const className = props[`${prefix}class`]?.trim();
    if (!className) throw new ConfigError(`Worker property ${prefix}class is missing`);
    if (!KNOWN_CLASSES.has(className))
      throw new ConfigError(
        `Config provider class ${className} (provider ${name}) is not available; known: ${[...KNOWN_CLASSES].join(', ')}`,
      );
    const params: Record<string, string> = {};
    const paramPrefix = `${prefix}param.`;
    for (const [k, v] of Object.entries(props))
      if (k.startsWith(paramPrefix)) params[k.slice(paramPrefix.length)] = v;
    return { name, className: className as ProviderClass, params };
  });
}

/** What the AWS providers may read, for IAM: the CDK grants exactly these, the providers refuse the rest. */
export function awsProviderReach(props: WorkerProperties): { secrets: string[]; parameters: string[] } {
  const specs = providerSpecs(props);
  const of = (cls: ProviderClass, key: string) =>
    specs.filter((s) => s.className === cls).flatMap((s) => list(s.params[key]));
  return {
    secrets: of(PROVIDER_CLASSES.secretsManager, AWS_PROVIDER_PARAMS.allowedSecrets),
    parameters: of(PROVIDER_CLASSES.ssm, AWS_PROVIDER_PARAMS.allowedParameters),
  };
}

/** Kafka's `connector.client.config.override.policy`. */
export type OverridePolicy = 'All' | 'None' | 'Principal';

/** The limits a deployment sets on what one connector config may ask for. */
export interface WorkerLimits {
  overridePolicy: OverridePolicy;
  /** @default 64 */
  tasksMaxLimit: number;
  /** Prefixes a sink's consumer group id must start with; `connect-` always included. */
  groupIdPrefixes: string[];
}

export const DEFAULT_TASKS_MAX_LIMIT = 64;

export function workerLimits(props: WorkerProperties): WorkerLimits {
  const policy = props[WORKER_KEYS.overridePolicy]?.trim() || 'All';
  if (policy !== 'All' && policy !== 'None' && policy !== 'Principal')
    throw new ConfigError(WORKER_KEYS.overridePolicy, policy, 'must be All, None or Principal');
  const limitText = props[WORKER_KEYS.tasksMaxLimit]?.trim();
  const limit = limitText ? Number(limitText) : DEFAULT_TASKS_MAX_LIMIT;
  if (!Number.isInteger(limit) || limit < 1)
    throw new ConfigError(WORKER_KEYS.tasksMaxLimit, limitText ?? '', 'must be a positive integer');
  return {
    overridePolicy: policy,
    tasksMaxLimit: limit,
    groupIdPrefixes: ['connect-', ...list(props[WORKER_KEYS.groupIdPrefixes])],
  };
}

/** Which plugins a deployment installs and how far they reach (passed to `plugins()`). */
export interface PluginPolicy {
  /** Register the FileStream connectors. Local mode: true; AWS: only when the deployment enables them. */
  fileStream: boolean;
  /** Absolute paths the FileStream connectors may use; empty = anywhere (local mode only). */
  fileStreamAllowedPaths: string[];
  /** Let the HTTP sink reach loopback and private ranges; instance metadata is refused regardless. */
  httpAllowPrivateNetworks: boolean;
}

/**
 * The plugin policy of a deployment. `onAws` decides the defaults: on AWS FileStream is off unless enabled
 * with allowed paths and the HTTP sink stays on public addresses; local mode is the user's own machine.
 */
export function pluginPolicy(props: WorkerProperties, onAws: boolean): PluginPolicy {
  const paths = list(props[WORKER_KEYS.fileStreamAllowedPaths]);
  for (const p of paths) if (!p.startsWith('/')) throw new ConfigError(`Path ${p} is not absolute`);
  const enabled = props[WORKER_KEYS.fileStreamEnabled]?.trim().toLowerCase() === 'true';
  if (onAws && enabled && paths.length === 0)
    throw new ConfigError(
      `${WORKER_KEYS.fileStreamEnabled} needs ${WORKER_KEYS.fileStreamAllowedPaths} on AWS`,
    );
  const allowPrivate = props[WORKER_KEYS.httpSinkAllowPrivate]?.trim().toLowerCase();
  return {
    fileStream: !onAws || enabled,
    fileStreamAllowedPaths: paths,
    httpAllowPrivateNetworks: allowPrivate === undefined ? !onAws : allowPrivate === 'true',
  };
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
