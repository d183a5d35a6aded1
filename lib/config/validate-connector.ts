import {
  type ConfigInfo,
  type ConfigInfos,
  type ConfigKey,
  type ConfigKeyInfo,
  ConfigValue,
  configInfos,
  configKeyInfo,
  configValueInfo,
  mergeConfigInfos,
} from '../api/config-def.js';
import {
  type ClientConfigOverridePolicy,
  type ConverterRole,
  clientOverrides,
  clientsUsed,
  converterConfig,
  OverridePolicy,
} from './client-overrides.js';
import { overrideErrors } from './client-settings.js';
import { enrichConnectorConfigDef } from './enrich.js';
import type { ResolvePlugin } from './plugin-lookup.js';
import { sinkConnectorConfigDef, validateSinkProps } from './sink-connector-config.js';
import { sourceConnectorConfigDef } from './source-connector-config.js';

export interface ValidateConnectorOptions {
  /** Finds connector, converter, transformation and predicate classes by name or alias. */
  resolvePlugin: ResolvePlugin;
  /** The worker's `connector.client.config.override.policy`. @default OverridePolicy.All */
  overridePolicy?: ClientConfigOverridePolicy;
}

/** Kafka's `prefixedConfigInfos`: one entry per validated value, names prefixed; counts values with errors. */
function prefixedConfigInfos(
  keys: readonly ConfigKey[],
  values: readonly ConfigValue[],
  prefix: string,
): ConfigInfos {
  const byName = new Map(keys.map((k) => [k.name, k]));
  const groups = new Set<string>();
  const configs: ConfigInfo[] = [];
  let errorCount = 0;
  for (const v of values) {
    const key = byName.get(v.name);
    let definition: ConfigKeyInfo | null = null;
    if (key) {
      if (key.group !== null) groups.add(key.group);
      definition = { ...configKeyInfo(key), name: prefix + key.name };
    }
    if (v.errorMessages.length > 0) errorCount++;
    const prefixed = new ConfigValue(prefix + v.name, {
      value: v.value,
      recommendedValues: v.recommendedValues,
      errorMessages: v.errorMessages,
    });
    configs.push({ definition, value: configValueInfo(prefixed, key?.type ?? null) });
  }
  return { name: '', error_count: errorCount, groups: [...groups], configs };
}

function validateConverter(
  props: Readonly<Record<string, unknown>>,
  role: ConverterRole,
  classValue: ConfigValue | undefined,
  resolvePlugin: ResolvePlugin,
): ConfigInfos | undefined {
  const className = props[`${role}.converter`];
  if (className === undefined || className === null || !classValue || classValue.errorMessages.length > 0)
    return undefined;
  const plugin = resolvePlugin(String(className).trim());
  if (!plugin) return undefined;
  const def = plugin.config();
  return prefixedConfigInfos(def.keys(), def.validate(converterConfig(props, role)), `${role}.converter.`);
}

/**
 * Validates a connector config as Kafka's `AbstractHerder.validateConnectorConfig` does (its
 * steps 3–7) and returns the `ConfigInfos` reply. Config providers must already be resolved by the caller
 * (step 2) and the path check (step 1) is the REST layer's.
 *
 * @returns `undefined` when `connector.class` is missing or not a known source/sink connector; the caller
 *   answers 400 (`Connector config {…} contains no connector type`) or its own not-found message.
 */
export function validateConnectorConfig(
  props: Readonly<Record<string, string | null>>,
  options: ValidateConnectorOptions,
): ConfigInfos | undefined {
  const { resolvePlugin } = options;
  const policy = options.overridePolicy ?? OverridePolicy.All;
  const connType = props['connector.class'];
  if (connType === undefined || connType === null) return undefined;
  const connector = resolvePlugin(connType.trim());
  if (!connector || (connector.kind !== 'source' && connector.kind !== 'sink')) return undefined;

  const base =
    connector.kind === 'source'
      ? sourceConnectorConfigDef(resolvePlugin)
      : sinkConnectorConfigDef(resolvePlugin);
  const enriched = enrichConnectorConfigDef(base, props, resolvePlugin, false);
  const validated = enriched.validateAll(props);
  if (connector.kind === 'sink') validateSinkProps(props, validated);
  for (const [key, value] of Object.entries(props)) {
    if (value !== null) continue;
    let entry = validated.get(key);
    if (!entry) {
      entry = new ConfigValue(key);
      validated.set(key, entry);
    }
    entry.addErrorMessage('Null value can not be supplied as the configuration value.');
  }

  // The connector's own keys come after the framework's; on a shared name its definition and value win.
  const ownDef = connector.config();
  const keys = new Map(enriched.keys().map((k) => [k.name, k]));
  for (const k of ownDef.keys()) keys.set(k.name, k);
  const groups = new Set([...enriched.groups(), ...ownDef.groups()]);
  const stringProps = Object.fromEntries(Object.entries(props).filter(([, v]) => v !== null)) as Record<
    string,
    string
  >;
  const ownValues = connector.validate ? connector.validate(stringProps) : ownDef.validate(stringProps);
  const values = [...validated.values(), ...ownValues];
  const latest = new Map(values.map((v) => [v.name, v]));

  const main = configInfos({
    name: connType,
    keys: [...keys.values()],
    values: [...latest.values()],
    groups: [...groups],
  });
  const overrides = clientsUsed(connector.kind, props).map((client) => {
    const prefix = `${client}.override.`;
    const values = policy.validate(clientOverrides(props, client));
    if (client !== 'admin') {
      // Values the kafkajs client cannot take (client-settings.ts), beyond Kafka's policy check.
      const errors = overrideErrors(client, stringProps);
      for (const v of values) {
        const error = errors.get(v.name);
        if (error) v.addErrorMessage(error);
      }
    }
    return prefixedConfigInfos([], values, prefix);
  });
  const converters = (['header', 'key', 'value'] as const).map((role) =>
    validateConverter(props, role, validated.get(`${role}.converter`), resolvePlugin),
  );
  const parts = [main, ...overrides, ...converters].filter((p): p is ConfigInfos => p !== undefined);
  return mergeConfigInfos(connType, ...parts);
}

/**
 * The message of the 400 reply to create/update with an invalid config, exactly as Kafka's
 * `AbstractHerder.maybeAddConfigErrors` words it: every error string on its own line, and the endpoint
 * with a literal `{connectorType}` (Kafka does not fill it in). `undefined` when there is no error.
 */
export function invalidConfigMessage(infos: ConfigInfos): string | undefined {
  if (infos.error_count === 0) return undefined;
  const lines = infos.configs.flatMap((c) => c.value?.errors ?? []);
  return (
    `Connector configuration is invalid and contains the following ${infos.error_count} error(s):` +
    lines.map((l) => `\n${l}`).join('') +
    '\nYou can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`'
  );
}
