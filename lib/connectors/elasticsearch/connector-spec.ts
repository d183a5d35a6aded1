import { type ConfigDef, ConfigError, type ConfigValue, type ConnectorProps } from '../../api/index.js';
import { opensearchSinkConfigDef } from './aiven-config.js';
import { aivenProblems, aivenSettings } from './aiven-settings.js';
import { elasticsearchSinkConfigDef } from './confluent-config.js';
import { confluentProblems, confluentSettings } from './confluent-settings.js';
import type { SinkSettings } from './settings.js';

/** One connector class's view of a config: its spec, its multi-key rules, and the settings it gives. */
export interface ConnectorSpec {
  configDef(): ConfigDef;
  problems(parsed: Readonly<Record<string, unknown>>, props: ConnectorProps): [string, string][];
  settings(parsed: Readonly<Record<string, unknown>>): SinkSettings;
}

export const CONFLUENT: ConnectorSpec = {
  configDef: elasticsearchSinkConfigDef,
  problems: confluentProblems,
  settings: confluentSettings,
};

export const AIVEN: ConnectorSpec = {
  configDef: opensearchSinkConfigDef,
  problems: aivenProblems,
  settings: aivenSettings,
};

/** Each key checked, then the multi-key rules added to the keys they concern (when the keys parsed). */
export function validateConfig(spec: ConnectorSpec, props: ConnectorProps): ConfigValue[] {
  const values = spec.configDef().validate(props);
  if (values.some((v) => v.errorMessages.length > 0)) return values;
  const byName = new Map(values.map((v) => [v.name, v]));
  const parsed = Object.fromEntries(values.map((v) => [v.name, v.value]));
  for (const [key, message] of spec.problems(parsed, props)) byName.get(key)?.addErrorMessage(message);
  return values;
}

/** The settings of a valid config; a ConfigError naming every problem otherwise. */
export function parseSettings(spec: ConnectorSpec, props: ConnectorProps): SinkSettings {
  const parsed = spec.configDef().parse(props);
  const problems = [...new Set(spec.problems(parsed, props).map(([, message]) => message))];
  if (problems.length > 0) throw new ConfigError(problems.join(' '));
  return spec.settings(parsed);
}
