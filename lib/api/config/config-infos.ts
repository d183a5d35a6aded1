import type { ConfigDef } from './config-def.js';
import type { ConfigValue } from './config-value.js';
import { convertToString } from './parse.js';
import { type ConfigKey, ConfigType, hasDefault } from './types.js';

/** One key's definition as the REST API shows it (Kafka's `ConfigKeyInfo`). */
export interface ConfigKeyInfo {
  name: string;
  type: ConfigType;
  required: boolean;
  default_value: string | null;
  importance: string;
  documentation: string;
  group: string | null;
  width: string;
  display_name: string;
  dependents: string[];
  order: number;
}

/** One key's validated value as the REST API shows it (Kafka's `ConfigValueInfo`). */
export interface ConfigValueInfo {
  name: string;
  value: string | null;
  recommended_values: string[];
  errors: string[];
  visible: boolean;
}

export interface ConfigInfo {
  definition: ConfigKeyInfo | null;
  value: ConfigValueInfo | null;
}

/** The reply of `PUT /connector-plugins/{p}/config/validate` (Kafka's `ConfigInfos`). */
export interface ConfigInfos {
  name: string;
  error_count: number;
  groups: string[];
  configs: ConfigInfo[];
}

/** Renders a key: `required` when it has no default (then `default_value` is null). */
export function configKeyInfo(key: ConfigKey): ConfigKeyInfo {
  const required = !hasDefault(key);
  return {
    name: key.name,
    type: key.type,
    required,
    default_value: required ? null : convertToString(key.defaultValue, key.type),
    importance: key.importance,
    documentation: key.documentation,
    group: key.group,
    width: key.width,
    display_name: key.displayName,
    dependents: [...key.dependents],
    order: key.orderInGroup,
  };
}

/** Renders a validated value; `type` null for values with no definition. Passwords show `[hidden]`. */
export function configValueInfo(value: ConfigValue, type: ConfigType | null): ConfigValueInfo {
  const recommendedType = type === ConfigType.LIST ? ConfigType.STRING : type;
  return {
    name: value.name,
    value: convertToString(value.value, type),
    recommended_values: value.recommendedValues.map((v) => convertToString(v, recommendedType) as string),
    errors: [...value.errorMessages],
    visible: value.visible,
  };
}

/** The reply of `GET /connector-plugins/{p}/config`: every key of `def`, in definition order. */
export function configKeyInfos(def: ConfigDef | readonly ConfigKey[]): ConfigKeyInfo[] {
  const keys = Array.isArray(def) ? def : (def as ConfigDef).keys();
  return keys.map(configKeyInfo);
}

/**
 * Assembles a validate reply as Kafka's `AbstractHerder.generateResult`: first the values with no matching
 * definition (`definition: null`), then one entry per key in definition order (`value` null when that key
 * was not validated). `error_count` counts every error string.
 */
export function configInfos(options: {
  name: string;
  keys: ConfigDef | readonly ConfigKey[];
  values: readonly ConfigValue[];
  groups: readonly string[];
}): ConfigInfos {
  const keys = Array.isArray(options.keys) ? options.keys : (options.keys as ConfigDef).keys();
  const byName = new Map(options.values.map((v) => [v.name, v]));
  const defined = new Set(keys.map((k) => k.name));
  let errorCount = 0;
  const configs: ConfigInfo[] = [];
  for (const value of options.values) {
    if (defined.has(value.name)) continue;
    configs.push({ definition: null, value: configValueInfo(value, null) });
    errorCount += value.errorMessages.length;
  }
  for (const key of keys) {
    const value = byName.get(key.name);
    if (value) errorCount += value.errorMessages.length;
    configs.push({ definition: configKeyInfo(key), value: value ? configValueInfo(value, key.type) : null });
  }
  return { name: options.name, error_count: errorCount, groups: [...options.groups], configs };
}

/** Concatenates validate replies (Kafka's `mergeConfigInfos`): errors summed, configs appended, groups appended once each. */
export function mergeConfigInfos(name: string, ...parts: readonly ConfigInfos[]): ConfigInfos {
  return {
    name,
    error_count: parts.reduce((n, p) => n + p.error_count, 0),
    groups: [...new Set(parts.flatMap((p) => p.groups))],
    configs: parts.flatMap((p) => p.configs),
  };
}
