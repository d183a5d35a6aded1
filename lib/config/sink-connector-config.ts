import {
  type ConfigDef,
  ConfigType,
  ConfigValue,
  Importance,
  invalidValue,
  Regex,
  Width,
} from '../api/config-def.js';
import { COMMON_GROUP, connectorConfigDef, ERROR_GROUP } from './connector-config.js';
import type { ResolvePlugin } from './plugin-lookup.js';

/** Sink connectors' keys (Kafka's `SinkConnectorConfig.configDef()`). */
export function sinkConnectorConfigDef(resolvePlugin?: ResolvePlugin): ConfigDef {
  return connectorConfigDef(resolvePlugin)
    .define({
      name: 'topics',
      type: ConfigType.LIST,
      defaultValue: '',
      importance: Importance.HIGH,
      documentation: 'List of topics to consume, separated by commas',
      group: COMMON_GROUP,
      orderInGroup: 4,
      width: Width.LONG,
      displayName: 'Topics',
    })
    .define({
      name: 'topics.regex',
      type: ConfigType.STRING,
      defaultValue: '',
      validator: Regex,
      importance: Importance.HIGH,
      documentation:
        'Regular expression giving topics to consume. Under the hood, the regex is compiled to a <code>java.util.regex.Pattern</code>. Only one of topics or topics.regex should be specified.',
      group: COMMON_GROUP,
      orderInGroup: 4,
      width: Width.LONG,
      displayName: 'Topics regex',
    })
    .define({
      name: 'errors.deadletterqueue.topic.name',
      type: ConfigType.STRING,
      defaultValue: '',
      importance: Importance.MEDIUM,
      documentation:
        'The name of the topic to be used as the dead letter queue (DLQ) for messages that result in an error when processed by this sink connector, or its transformations or converters. The topic name is blank by default, which means that no messages are to be recorded in the DLQ.',
      group: ERROR_GROUP,
      orderInGroup: 6,
      width: Width.MEDIUM,
      displayName: 'Dead Letter Queue Topic Name',
    })
    .define({
      name: 'errors.deadletterqueue.topic.replication.factor',
      type: ConfigType.SHORT,
      defaultValue: 3,
      importance: Importance.MEDIUM,
      documentation:
        "Replication factor used to create the dead letter queue topic when it doesn't already exist.",
      group: ERROR_GROUP,
      orderInGroup: 7,
      width: Width.MEDIUM,
      displayName: 'Dead Letter Queue Topic Replication Factor',
    })
    .define({
      name: 'errors.deadletterqueue.context.headers.enable',
      type: ConfigType.BOOLEAN,
      defaultValue: false,
      importance: Importance.MEDIUM,
      documentation:
        'If true, add headers containing error context to the messages written to the dead letter queue. To avoid clashing with headers from the original record, all error context header keys, all error context header keys will start with <code>__connect.errors.</code>',
      group: ERROR_GROUP,
      orderInGroup: 8,
      width: Width.MEDIUM,
      displayName: 'Enable Error Context Headers',
    });
}

function isBlank(value: unknown): boolean {
  return value === null || value === undefined || String(value).trim() === '';
}

/**
 * Kafka's `SinkConnectorConfig.validate(props, validated)`: topics vs topics.regex and the DLQ topic not
 * consumed by the connector. Errors are added to `validated` (entries created when missing).
 */
export function validateSinkProps(
  props: Readonly<Record<string, unknown>>,
  validated: Map<string, ConfigValue>,
): void {
  const topicsList = props.topics;
  const topicsRegex = props['topics.regex'];
  const dlqTopic = String(props['errors.deadletterqueue.topic.name'] ?? '').trim();
  const hasTopics = !isBlank(topicsList);
  const hasRegex = !isBlank(topicsRegex);
  const add = (name: string, value: unknown, message: string) => {
    let entry = validated.get(name);
    if (!entry) {
      entry = new ConfigValue(name, { value });
      validated.set(name, entry);
    }
    entry.addErrorMessage(message);
  };
  if (hasTopics && hasRegex) {
    const message = 'topics and topics.regex are mutually exclusive options, but both are set.';
    add('topics', topicsList, message);
    add('topics.regex', topicsRegex, message);
  }
  if (!hasTopics && !hasRegex) {
    const message = 'Must configure one of topics or topics.regex';
    add('topics', topicsList, message);
    add('topics.regex', topicsRegex, message);
  }
  if (dlqTopic === '') return;
  if (hasTopics) {
    const topics = [
      ...new Set(
        String(topicsList)
          .trim()
          .split(/\s*,\s*/)
          .filter((t) => t !== ''),
      ),
    ];
    if (topics.includes(dlqTopic)) {
      add(
        'topics',
        topicsList,
        `The DLQ topic '${dlqTopic}' may not be included in the list of topics ('topics=[${topics.join(', ')}]') consumed by the connector`,
      );
    }
  }
  if (hasRegex) {
    let matches = false;
    try {
      matches = new RegExp(`^(?:${String(topicsRegex)})$`).test(dlqTopic);
    } catch {
      // An invalid regex is already reported by the topics.regex validator.
    }
    if (matches) {
      add(
        'topics.regex',
        topicsRegex,
        `The DLQ topic '${dlqTopic}' may not be matched by the regex for the topics ('topics.regex=${String(topicsRegex)}') consumed by the connector`,
      );
    }
  }
}

/** {@link validateSinkProps} for create/update: throws the first error as Kafka's `ConfigException`. */
export function ensureValidSinkProps(props: Readonly<Record<string, unknown>>): void {
  const validated = new Map<string, ConfigValue>();
  validateSinkProps(props, validated);
  for (const v of validated.values()) {
    const first = v.errorMessages[0];
    if (first !== undefined) throw invalidValue(v.name, v.value, first);
  }
}
