import {
  ConfigDef,
  ConfigType,
  Importance,
  invalidValue,
  lambdaValidator,
  NO_DEFAULT,
  NonNullValidator,
  type Validator,
  Width,
} from '../api/config-def.js';
import { TOPIC_CREATION_GROUP } from './connector-config.js';

const INCLUDE_DOC =
  'A list of regular expression literals used to match the topic names used by the source connector. This list is used to include topics that should be created using the topic settings defined by this group.';
const EXCLUDE_DOC =
  'A list of regular expression literals used to match the topic names used by the source connector. This list is used to exclude topics from being created with the topic settings defined by this group. Note that exclusion rules have precedent and override any inclusion rules for the topics.';
const REPLICATION_DOC =
  "The replication factor for new topics created for this connector using this group. This value may be -1 to use the broker'sdefault replication factor, or may be a positive number not larger than the number of brokers in the Kafka cluster. A value larger than the number of brokers in the Kafka cluster will result in an error when the new topic is created. For the default group this configuration is required. For any other group defined in topic.creation.groups this config is optional and if it's missing it gets the value of the default group";
const PARTITIONS_DOC =
  "The number of partitions new topics created for this connector. This value may be -1 to use the broker's default number of partitions, or a positive number representing the desired number of partitions. For the default group this configuration is required. For any other group defined in topic.creation.groups this config is optional and if it's missing it gets the value of the default group";

const replicationFactor: Validator = lambdaValidator((name, value) => {
  if (value !== -1 && Number(value) < 1) {
    throw invalidValue(
      name,
      value,
      "Replication factor must be positive and not larger than the number of brokers in the Kafka cluster, or -1 to use the broker's default",
    );
  }
}, "Positive number not larger than the number of brokers in the Kafka cluster, or -1 to use the broker's default");
const partitions: Validator = lambdaValidator((name, value) => {
  if (value !== -1 && Number(value) < 1) {
    throw invalidValue(
      name,
      value,
      "Number of partitions must be positive, or -1 to use the broker's default",
    );
  }
}, "Positive number, or -1 to use the broker's default");
const regexList: Validator = lambdaValidator((name, value) => {
  for (const r of (value as string[]) ?? []) {
    try {
      new RegExp(r);
    } catch (e) {
      throw invalidValue(name, value, `Syntax error in regular expression: ${(e as Error).message}`);
    }
  }
}, "Positive number, or -1 to use the broker's default");

function groupDef(group: string, rf: unknown, parts: unknown, isDefault: boolean): ConfigDef {
  let order = 0;
  const listCheck = isDefault ? NonNullValidator : regexList;
  return new ConfigDef()
    .define({
      name: 'include',
      type: ConfigType.LIST,
      defaultValue: isDefault ? '.*' : [],
      validator: listCheck,
      importance: Importance.LOW,
      documentation: INCLUDE_DOC,
      group,
      orderInGroup: ++order,
      width: Width.LONG,
      displayName: `Inclusion Topic Pattern for ${group}`,
    })
    .define({
      name: 'exclude',
      type: ConfigType.LIST,
      defaultValue: [],
      validator: listCheck,
      importance: Importance.LOW,
      documentation: EXCLUDE_DOC,
      group,
      orderInGroup: ++order,
      width: Width.LONG,
      displayName: `Exclusion Topic Pattern for ${group}`,
    })
    .define({
      name: 'replication.factor',
      type: ConfigType.SHORT,
      defaultValue: rf,
      validator: replicationFactor,
      importance: Importance.LOW,
      documentation: REPLICATION_DOC,
      group,
      orderInGroup: ++order,
      width: Width.LONG,
      displayName: `Replication Factor for Topics in ${group}`,
    })
    .define({
      name: 'partitions',
      type: ConfigType.INT,
      defaultValue: parts,
      validator: partitions,
      importance: Importance.LOW,
      documentation: PARTITIONS_DOC,
      group,
      orderInGroup: ++order,
      width: Width.LONG,
      displayName: `Partition Count for Topics in ${group}`,
    });
}

/** Kafka's `TopicCreationConfig.defaultGroupConfigDef()`: replication factor and partitions required. */
export function defaultTopicCreationGroupDef(): ConfigDef {
  return groupDef('default', NO_DEFAULT, NO_DEFAULT, true);
}

/** One resolved topic-creation group. */
export interface TopicCreationGroup {
  name: string;
  include: RegExp[];
  exclude: RegExp[];
  replicationFactor: number;
  partitions: number;
  /** Every other `topic.creation.<group>.<key>`: topic-level configs such as `cleanup.policy`. */
  topicConfigs: Record<string, string>;
}

/** Whether the connector asks for topic creation at all (any `topic.creation.*` key). */
export function usesTopicCreation(props: Readonly<Record<string, unknown>>): boolean {
  return Object.keys(props).some((k) => k.startsWith('topic.creation.'));
}

const anchored = (r: string) => new RegExp(`^(?:${r})$`);
const GROUP_KEYS = new Set(['include', 'exclude', 'replication.factor', 'partitions']);

function topicConfigs(props: Readonly<Record<string, unknown>>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(props)) {
    const rest = k.slice(prefix.length);
    if (k.startsWith(prefix) && !GROUP_KEYS.has(rest)) out[rest] = String(v);
  }
  return out;
}

/**
 * Parses the topic-creation groups of a source connector config: the listed groups in order (`default`
 * dropped if listed, duplicates ignored), each falling back to the default group's replication factor and
 * partitions, then `default` last (which matches every topic).
 * @throws ConfigError with Kafka's wording when a value is invalid or a default-group key is missing
 */
export function topicCreationGroups(props: Readonly<Record<string, unknown>>): TopicCreationGroup[] {
  const defaults = new ConfigDef().embed(
    'topic.creation.default.',
    'default',
    0,
    defaultTopicCreationGroupDef(),
  );
  const d = defaults.parse(props);
  const rf = d['topic.creation.default.replication.factor'];
  const parts = d['topic.creation.default.partitions'];
  const listed = String(props['topic.creation.groups'] ?? '').trim();
  const names = [...new Set(listed === '' ? [] : listed.split(/\s*,\s*/))].filter((g) => g !== 'default');
  const groups = names.map((name): TopicCreationGroup => {
    const prefix = `topic.creation.${name}.`;
    const def = new ConfigDef().embed(
      prefix,
      `${TOPIC_CREATION_GROUP}: ${name}`,
      0,
      groupDef(`${TOPIC_CREATION_GROUP}: ${name}`, rf, parts, false),
    );
    const g = def.parse(props);
    return {
      name,
      include: (g[`${prefix}include`] as string[]).map(anchored),
      exclude: (g[`${prefix}exclude`] as string[]).map(anchored),
      replicationFactor: g[`${prefix}replication.factor`] as number,
      partitions: g[`${prefix}partitions`] as number,
      topicConfigs: topicConfigs(props, prefix),
    };
  });
  groups.push({
    name: 'default',
    include: [/^.*$/],
    exclude: [],
    replicationFactor: rf as number,
    partitions: parts as number,
    topicConfigs: topicConfigs(props, 'topic.creation.default.'),
  });
  return groups;
}

/** The group used for a new topic: the first listed group whose include matches and exclude doesn't, else `default`. */
export function topicCreationGroupFor(
  topic: string,
  groups: readonly TopicCreationGroup[],
): TopicCreationGroup {
  const match = groups.find(
    (g) =>
      g.name !== 'default' && g.include.some((r) => r.test(topic)) && !g.exclude.some((r) => r.test(topic)),
  );
  return match ?? (groups.find((g) => g.name === 'default') as TopicCreationGroup);
}
