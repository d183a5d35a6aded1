import {
  ConfigDef,
  ConfigType,
  composite,
  Importance,
  invalidValue,
  lambdaValidator,
  NO_DEFAULT,
  NonEmptyStringWithoutControlChars,
  NonNullValidator,
  Range,
  type Validator,
  ValidString,
  Width,
} from '../api/config-def.js';
import { ConfigError } from '../api/errors.js';
import { PLUGIN_INTERFACE, type PluginKind, type ResolvePlugin } from './plugin-lookup.js';

export const COMMON_GROUP = 'Common';
export const TRANSFORMS_GROUP = 'Transforms';
export const PREDICATES_GROUP = 'Predicates';
export const ERROR_GROUP = 'Error Handling';
export const TOPIC_CREATION_GROUP = 'Topic Creation';
export const EXACTLY_ONCE_SUPPORT_GROUP = 'Exactly Once Support';
export const OFFSETS_TOPIC_GROUP = 'offsets.topic';

const CONVERTER_DOC = (what: 'key' | 'value') =>
  `Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka. This controls the format of the ${what}s in messages written to or read from Kafka, and since this is independent of connectors it allows any connector to work with any serialization format. Examples of common formats include JSON and Avro.`;
const HEADER_CONVERTER_DOC =
  'HeaderConverter class used to convert between Kafka Connect format and the serialized form that is written to Kafka. This controls the format of the header values in messages written to or read from Kafka, and since this is independent of connectors it allows any connector to work with any serialization format. Examples of common formats include JSON and Avro. By default, the SimpleHeaderConverter is used to serialize header values to strings and deserialize them by inferring the schemas.';

/** Kafka's alias validator: non-null and `Duplicate alias provided.` */
export function aliasValidator(kind: string): Validator {
  return composite(
    NonNullValidator,
    lambdaValidator((name, value) => {
      const aliases = value as unknown[];
      if (new Set(aliases).size < aliases.length)
        throw invalidValue(name, value, 'Duplicate alias provided.');
    }, `unique ${kind} aliases`),
  );
}

/**
 * A CLASS key naming a plugin of `kind`: `Class X could not be found.` when unknown, Kafka's
 * `Class class X does not implement the Converter interface` when of another kind. No check without a lookup.
 */
export function pluginClassValidator(kind: PluginKind, resolvePlugin?: ResolvePlugin): Validator | undefined {
  if (!resolvePlugin) return undefined;
  return lambdaValidator((name, value) => {
    if (value === null || value === undefined) return;
    const plugin = resolvePlugin(String(value));
    if (!plugin) throw invalidValue(name, value, `Class ${String(value)} could not be found.`);
    if (plugin.kind !== kind) {
      throw new ConfigError(
        `Class class ${String(value)} does not implement the ${PLUGIN_INTERFACE[kind]} interface`,
      );
    }
  });
}

/** The keys every connector has (Kafka's `ConnectorConfig.configDef()`). */
export function connectorConfigDef(resolvePlugin?: ResolvePlugin): ConfigDef {
  let order = 0;
  let errorOrder = 0;
  const common = { group: COMMON_GROUP };
  const errors = { group: ERROR_GROUP };
  return new ConfigDef()
    .define({
      name: 'name',
      type: ConfigType.STRING,
      defaultValue: NO_DEFAULT,
      validator: NonEmptyStringWithoutControlChars,
      importance: Importance.HIGH,
      documentation: 'Globally unique name to use for this connector.',
      ...common,
      orderInGroup: ++order,
      width: Width.MEDIUM,
      displayName: 'Connector name',
    })
    .define({
      name: 'connector.class',
      type: ConfigType.STRING,
      defaultValue: NO_DEFAULT,
      importance: Importance.HIGH,
      documentation:
        'Name or alias of the class for this connector. Must be a subclass of org.apache.kafka.connect.connector.Connector. If the connector is org.apache.kafka.connect.file.FileStreamSinkConnector, you can either specify this full name,  or use "FileStreamSink" or "FileStreamSinkConnector" to make the configuration a bit shorter',
      ...common,
      orderInGroup: ++order,
      width: Width.LONG,
      displayName: 'Connector class',
    })
    .define({
      name: 'tasks.max',
      type: ConfigType.INT,
      defaultValue: 1,
      validator: Range.atLeast(1),
      importance: Importance.HIGH,
      documentation: 'Maximum number of tasks to use for this connector.',
      ...common,
      orderInGroup: ++order,
      width: Width.SHORT,
      displayName: 'Tasks max',
    })
    .define({
      name: 'tasks.max.enforce',
      type: ConfigType.BOOLEAN,
      defaultValue: true,
      importance: Importance.LOW,
      documentation:
        '(Deprecated) Whether to enforce that the tasks.max property is respected by the connector. By default, connectors that generate too many tasks will fail, and existing sets of tasks that exceed the tasks.max property will also be failed. If this property is set to false, then connectors will be allowed to generate more than the maximum number of tasks, and existing sets of tasks that exceed the tasks.max property will be allowed to run. This property is deprecated and will be removed in an upcoming major release.',
      ...common,
      orderInGroup: ++order,
      width: Width.SHORT,
      displayName: 'Enforce tasks max',
    })
    .define({
      name: 'key.converter',
      type: ConfigType.CLASS,
      defaultValue: null,
      validator: pluginClassValidator('converter', resolvePlugin),
      importance: Importance.LOW,
      documentation: CONVERTER_DOC('key'),
      ...common,
      orderInGroup: ++order,
      width: Width.SHORT,
      displayName: 'Key converter class',
    })
    .define({
      name: 'value.converter',
      type: ConfigType.CLASS,
      defaultValue: null,
      validator: pluginClassValidator('converter', resolvePlugin),
      importance: Importance.LOW,
      documentation: CONVERTER_DOC('value'),
      ...common,
      orderInGroup: ++order,
      width: Width.SHORT,
      displayName: 'Value converter class',
    })
    .define({
      name: 'header.converter',
      type: ConfigType.CLASS,
      defaultValue: null,
      validator: pluginClassValidator('header_converter', resolvePlugin),
      importance: Importance.LOW,
      documentation: HEADER_CONVERTER_DOC,
      ...common,
      orderInGroup: ++order,
      width: Width.SHORT,
      displayName: 'Header converter class',
    })
    .define({
      name: 'transforms',
      type: ConfigType.LIST,
      defaultValue: [],
      validator: aliasValidator('transformation'),
      importance: Importance.LOW,
      documentation: 'Aliases for the transformations to be applied to records.',
      group: TRANSFORMS_GROUP,
      orderInGroup: ++order,
      width: Width.LONG,
      displayName: 'Transforms',
    })
    .define({
      name: 'predicates',
      type: ConfigType.LIST,
      defaultValue: [],
      validator: aliasValidator('predicate'),
      importance: Importance.LOW,
      documentation: 'Aliases for the predicates used by transformations.',
      group: PREDICATES_GROUP,
      orderInGroup: ++order,
      width: Width.LONG,
      displayName: 'Predicates',
    })
    .define({
      name: 'config.action.reload',
      type: ConfigType.STRING,
      defaultValue: 'restart',
      validator: ValidString.in('none', 'restart'),
      importance: Importance.LOW,
      documentation:
        "The action that Connect should take on the connector when changes in external configuration providers result in a change in the connector's configuration properties. A value of 'none' indicates that Connect will do nothing. A value of 'restart' indicates that Connect should restart/reload the connector with the updated configuration properties.The restart may actually be scheduled in the future if the external configuration provider indicates that a configuration value will expire in the future.",
      ...common,
      orderInGroup: ++order,
      width: Width.MEDIUM,
      displayName: 'Reload Action',
    })
    .define({
      name: 'errors.retry.timeout',
      type: ConfigType.LONG,
      defaultValue: 0,
      importance: Importance.MEDIUM,
      documentation:
        'The maximum duration in milliseconds that a failed operation will be reattempted. The default is 0, which means no retries will be attempted. Use -1 for infinite retries.',
      ...errors,
      orderInGroup: ++errorOrder,
      width: Width.MEDIUM,
      displayName: 'Retry Timeout for Errors',
    })
    .define({
      name: 'errors.retry.delay.max.ms',
      type: ConfigType.LONG,
      defaultValue: 60000,
      importance: Importance.MEDIUM,
      documentation:
        'The maximum duration in milliseconds between consecutive retry attempts. Jitter will be added to the delay once this limit is reached to prevent thundering herd issues.',
      ...errors,
      orderInGroup: ++errorOrder,
      width: Width.MEDIUM,
      displayName: 'Maximum Delay Between Retries for Errors',
    })
    .define({
      name: 'errors.tolerance',
      type: ConfigType.STRING,
      defaultValue: 'none',
      validator: ValidString.in('none', 'all'),
      importance: Importance.MEDIUM,
      documentation:
        "Behavior for tolerating errors during connector operation. 'none' is the default value and signals that any error will result in an immediate connector task failure; 'all' changes the behavior to skip over problematic records.",
      ...errors,
      orderInGroup: ++errorOrder,
      width: Width.SHORT,
      displayName: 'Error Tolerance',
    })
    .define({
      name: 'errors.log.enable',
      type: ConfigType.BOOLEAN,
      defaultValue: false,
      importance: Importance.MEDIUM,
      documentation:
        "If true, write each error and the details of the failed operation and problematic record to the Connect application log. This is 'false' by default, so that only errors that are not tolerated are reported.",
      ...errors,
      orderInGroup: ++errorOrder,
      width: Width.SHORT,
      displayName: 'Log Errors',
    })
    .define({
      name: 'errors.log.include.messages',
      type: ConfigType.BOOLEAN,
      defaultValue: false,
      importance: Importance.MEDIUM,
      documentation:
        "Whether to include in the log the Connect record that resulted in a failure. For sink records, the topic, partition, offset, and timestamp will be logged. For source records, the key and value (and their schemas), all headers, and the timestamp, Kafka topic, Kafka partition, source partition, and source offset will be logged. This is 'false' by default, which will prevent record keys, values, and headers from being written to log files.",
      ...errors,
      orderInGroup: ++errorOrder,
      width: Width.SHORT,
      displayName: 'Log Error Details',
    });
}
