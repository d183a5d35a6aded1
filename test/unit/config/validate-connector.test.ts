import { describe, expect, it } from 'vitest';
import { ConfigDef, NO_DEFAULT } from '../../../lib/api/config-def.js';
import { converterConfig, OverridePolicy } from '../../../lib/config/client-overrides.js';
import type { ResolvedPlugin, ResolvePlugin } from '../../../lib/config/plugin-lookup.js';
import { topicCreationGroupFor, topicCreationGroups } from '../../../lib/config/topic-creation.js';
import { invalidConfigMessage, validateConnectorConfig } from '../../../lib/config/validate-connector.js';

const fileSink: ResolvedPlugin = {
  kind: 'sink',
  config: () =>
    new ConfigDef().define({
      name: 'file',
      type: 'STRING',
      defaultValue: null,
      importance: 'HIGH',
      documentation: 'Destination filename.',
    }),
};
const fileSource: ResolvedPlugin = {
  kind: 'source',
  config: () =>
    new ConfigDef().define({
      name: 'topic',
      type: 'LIST',
      defaultValue: NO_DEFAULT,
      importance: 'HIGH',
      documentation: 'The topic to publish data to',
    }),
};
const insertField: ResolvedPlugin = {
  kind: 'transformation',
  config: () =>
    new ConfigDef().define({
      name: 'static.field',
      type: 'STRING',
      defaultValue: null,
      importance: 'MEDIUM',
      documentation: 'Field name for static data.',
    }),
};
const json: ResolvedPlugin = {
  kind: 'converter',
  config: () =>
    new ConfigDef()
      .define({
        name: 'converter.type',
        type: 'STRING',
        defaultValue: NO_DEFAULT,
        importance: 'LOW',
        documentation: '',
      })
      .define({
        name: 'schemas.enable',
        type: 'BOOLEAN',
        defaultValue: true,
        importance: 'HIGH',
        documentation: '',
        group: 'Schemas',
        orderInGroup: 1,
      }),
};
const plugins: Record<string, ResolvedPlugin> = {
  FileStreamSink: fileSink,
  FileStreamSource: fileSource,
  InsertField: insertField,
  JsonConverter: json,
};
const resolvePlugin: ResolvePlugin = (name) => plugins[name];

function errorsOf(result: ReturnType<typeof validateConnectorConfig>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of result?.configs ?? [])
    if (c.value && c.value.errors.length > 0) out[c.value.name] = c.value.errors;
  return out;
}

describe('validateConnectorConfig', () => {
  it('accepts a valid sink config with no errors and Kafka groups', () => {
    // Act
    const result = validateConnectorConfig(
      {
        'connector.class': 'FileStreamSink',
        name: 'local-file-sink',
        topics: 'connect-test',
        file: '/tmp/out.txt',
      },
      { resolvePlugin },
    );
    // Assess
    expect(result?.name).toBe('FileStreamSink');
    expect(result?.error_count).toBe(0);
    expect(result?.groups).toEqual(['Common', 'Transforms', 'Predicates', 'Error Handling']);
    const file = result?.configs.find((c) => c.definition?.name === 'file');
    expect(file?.value?.value).toBe('/tmp/out.txt');
  });

  it('reports missing name and the sink topics rule', () => {
    const result = validateConnectorConfig(
      { 'connector.class': 'FileStreamSink', 'tasks.max': '0' },
      { resolvePlugin },
    );

    expect(errorsOf(result)).toEqual({
      name: ['Missing required configuration "name" which has no default value.'],
      'tasks.max': ['Invalid value 0 for configuration tasks.max: Value must be at least 1'],
      topics: ['Must configure one of topics or topics.regex'],
      'topics.regex': ['Must configure one of topics or topics.regex'],
    });
    expect(result?.error_count).toBe(4);
  });

  it('reports topics with topics.regex, and a DLQ topic among the consumed topics', () => {
    const result = validateConnectorConfig(
      {
        'connector.class': 'FileStreamSink',
        name: 's',
        topics: 'a,dlq',
        'topics.regex': 'd.*',
        'errors.deadletterqueue.topic.name': 'dlq',
      },
      { resolvePlugin },
    );

    expect(errorsOf(result)).toEqual({
      topics: [
        'topics and topics.regex are mutually exclusive options, but both are set.',
        "The DLQ topic 'dlq' may not be included in the list of topics ('topics=[a, dlq]') consumed by the connector",
      ],
      'topics.regex': [
        'topics and topics.regex are mutually exclusive options, but both are set.',
        "The DLQ topic 'dlq' may not be matched by the regex for the topics ('topics.regex=d.*') consumed by the connector",
      ],
    });
  });

  it('adds per-alias transform keys and the negate-without-predicate error', () => {
    // Act
    const result = validateConnectorConfig(
      {
        'connector.class': 'FileStreamSource',
        name: 'src',
        topic: 't',
        transforms: 'ins,bad',
        'transforms.ins.type': 'InsertField',
        'transforms.ins.negate': 'true',
        'transforms.bad.type': 'Nope',
      },
      { resolvePlugin },
    );
    // Assess
    expect(result?.groups).toEqual([
      'Common',
      'Transforms',
      'Predicates',
      'Error Handling',
      'Topic Creation',
      'Exactly Once Support',
      'offsets.topic',
      'Transforms: ins',
      'Transforms: bad',
    ]);
    expect(errorsOf(result)).toEqual({
      'transforms.ins.type': [
        "Config 'transforms.ins.negate' was provided but there is no config 'transforms.ins.predicate' defining a predicate to be negated.",
      ],
      'transforms.bad.type': [
        'Invalid value Nope for configuration transforms.bad.type: Class Nope could not be found.',
      ],
    });
    const names = result?.configs.map((c) => c.definition?.name);
    expect(names).toContain('transforms.ins.static.field');
    expect(names).toContain('transforms.ins.predicate');
  });

  it('reports duplicate aliases and null values', () => {
    const result = validateConnectorConfig(
      {
        'connector.class': 'FileStreamSource',
        name: 'src',
        topic: 't',
        transforms: 'a,a',
        'transforms.a.type': 'InsertField',
        extra: null,
      },
      { resolvePlugin },
    );

    expect(errorsOf(result)).toMatchObject({
      transforms: ['Invalid value [a, a] for configuration transforms: Duplicate alias provided.'],
      extra: ['Null value can not be supplied as the configuration value.'],
    });
    expect(result?.configs[0]?.definition).toBeNull();
  });

  it('validates converter sub-keys with prefixed names and appends the converter groups', () => {
    const result = validateConnectorConfig(
      {
        'connector.class': 'FileStreamSink',
        name: 's',
        topics: 't',
        'value.converter': 'JsonConverter',
        'value.converter.schemas.enable': 'maybe',
      },
      { resolvePlugin },
    );

    expect(errorsOf(result)).toEqual({
      'value.converter.schemas.enable': [
        'Invalid value maybe for configuration schemas.enable: Expected value to be either true or false',
      ],
    });
    expect(result?.groups.at(-1)).toBe('Schemas');
  });

  it('applies the client override policy', () => {
    const result = validateConnectorConfig(
      {
        'connector.class': 'FileStreamSink',
        name: 's',
        topics: 't',
        'consumer.override.max.poll.records': '10',
        'consumer.override.security.protocol': 'SSL',
      },
      { resolvePlugin, overridePolicy: OverridePolicy.Principal },
    );

    expect(errorsOf(result)).toEqual({
      'consumer.override.max.poll.records': [
        "The 'Principal' policy does not allow 'max.poll.records' to be overridden in the connector configuration.",
      ],
    });
  });

  it('refuses override values the kafkajs clients cannot honour', () => {
    const result = validateConnectorConfig(
      {
        'connector.class': 'FileStreamSink',
        name: 's',
        topics: 't',
        'consumer.override.auto.offset.reset': 'none',
        'consumer.override.max.poll.records': '10',
      },
      { resolvePlugin },
    );

    expect(errorsOf(result)).toEqual({
      'consumer.override.auto.offset.reset': [
        'Invalid value none for configuration auto.offset.reset: kafkajs supports earliest and latest',
      ],
    });
  });

  it('returns undefined without a known connector class', () => {
    expect(validateConnectorConfig({ name: 'x' }, { resolvePlugin })).toBeUndefined();
    expect(validateConnectorConfig({ 'connector.class': 'Nope' }, { resolvePlugin })).toBeUndefined();
  });

  it('words the create/update error like Kafka', () => {
    const result = validateConnectorConfig(
      { 'connector.class': 'FileStreamSink', name: 's' },
      { resolvePlugin },
    );

    expect(invalidConfigMessage(result as NonNullable<typeof result>)).toBe(
      'Connector configuration is invalid and contains the following 2 error(s):\n' +
        'Must configure one of topics or topics.regex\nMust configure one of topics or topics.regex\n' +
        'You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`',
    );
  });
});

describe('converterConfig', () => {
  it('strips the prefix and fills converter.type', () => {
    expect(
      converterConfig(
        { 'key.converter': 'X', 'key.converter.schemas.enable': 'false', 'value.converter.a': '1' },
        'key',
      ),
    ).toEqual({
      'converter.type': 'key',
      'schemas.enable': 'false',
    });
  });
});

describe('topic creation groups', () => {
  it('uses the first listed group whose include matches and exclude does not, else default', () => {
    // Prepare
    const groups = topicCreationGroups({
      'topic.creation.groups': 'compacted,default,logs',
      'topic.creation.default.replication.factor': '3',
      'topic.creation.default.partitions': '5',
      'topic.creation.compacted.include': 'c-.*',
      'topic.creation.compacted.exclude': 'c-skip',
      'topic.creation.compacted.cleanup.policy': 'compact',
      'topic.creation.logs.include': '.*',
      'topic.creation.logs.partitions': '1',
    });
    // Act / Assess
    expect(groups.map((g) => g.name)).toEqual(['compacted', 'logs', 'default']);
    expect(topicCreationGroupFor('c-1', groups)).toMatchObject({
      name: 'compacted',
      partitions: 5,
      replicationFactor: 3,
      topicConfigs: { 'cleanup.policy': 'compact' },
    });
    expect(topicCreationGroupFor('c-skip', groups)).toMatchObject({ name: 'logs', partitions: 1 });
  });

  it('requires the default group settings', () => {
    expect(() => topicCreationGroups({ 'topic.creation.default.partitions': '1' })).toThrow(
      'Missing required configuration "topic.creation.default.replication.factor" which has no default value.',
    );
  });
});
