import type { ConfigDef, ConfigValue } from '../api/config-def.js';

/** Kafka's plugin types as the REST API names them (lowercase `PluginType`). */
export type PluginKind =
  | 'source'
  | 'sink'
  | 'transformation'
  | 'predicate'
  | 'converter'
  | 'header_converter';

/**
 * What validation needs to know about one plugin class. The registry (`lib/plugins.ts`) builds these.
 */
export interface ResolvedPlugin {
  kind: PluginKind;
  /** The plugin's own config spec (`Connector.config()`, `Transformation.config()`, ...). */
  config(): ConfigDef;
  /**
   * Connectors only: the multi-key check of `Connector.validate(props)`. When absent, `config().validate`
   * is used, as Kafka's default `Connector.validate` does.
   */
  validate?(props: Readonly<Record<string, string>>): ConfigValue[];
}

/**
 * Finds a plugin by full class name or alias; `undefined` when unknown. Must not throw for unknown names.
 */
export type ResolvePlugin = (className: string) => ResolvedPlugin | undefined;

/** The interface names Kafka prints in "does not implement" messages. */
export const PLUGIN_INTERFACE: Record<PluginKind, string> = {
  source: 'SourceConnector',
  sink: 'SinkConnector',
  transformation: 'Transformation',
  predicate: 'Predicate',
  converter: 'Converter',
  header_converter: 'HeaderConverter',
};
