import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENSEARCH_URL } from '../../../support/services.js';
import { type ConnectFixture, connectFixture } from '../support.js';
import { count, documents, enveloped, jsonValues, opensearch, taskState, topicWith } from './support.js';

let cf: ConnectFixture;
beforeAll(async () => {
  cf = await connectFixture('es-sink');
});
afterAll(async () => {
  await cf.dispose();
});

const ORDER = {
  type: 'struct',
  name: 'order',
  optional: false,
  fields: [
    { field: 'id', type: 'int64', optional: false },
    { field: 'name', type: 'string', optional: false },
    { field: 'price', type: 'double', optional: true },
    {
      field: 'at',
      type: 'int64',
      optional: false,
      name: 'org.apache.kafka.connect.data.Timestamp',
      version: 1,
    },
  ],
};
const order = (id: number, name: string, price: number | null) =>
  enveloped(ORDER, { id, name, price, at: 1_700_000_000_000 + id });

describe('topic → OpenSearch through the REST API, Confluent’s class', () => {
  it('indexes by key with the offset as version, puts the mapping from the schema, deletes on tombstones', async () => {
    // Prepare
    const topic = await topicWith('es-orders', [
      { key: 'k1', value: order(1, 'first', 1.5) },
      { key: 'k2', value: order(2, 'second', null) },
      { key: 'k1', value: order(1, 'first again', 2.5) },
      { key: 'k3', value: order(3, 'third', 3) },
      { key: 'k2', value: null },
    ]);
    // Act
    await cf.create('es-orders', {
      'connector.class': 'io.confluent.connect.elasticsearch.ElasticsearchSinkConnector',
      topics: topic,
      'connection.url': OPENSEARCH_URL,
      'behavior.on.null.values': 'delete',
      ...jsonValues(true),
    });
    await cf.until(
      async () => (await count(topic)) === 2 && (await documents(topic)).get('k1')?.version === 2,
    );
    // Assess
    const docs = await documents(topic);
    expect([...docs.keys()].sort()).toEqual(['k1', 'k3']);
    expect(docs.get('k1')).toEqual({
      source: { id: 1, name: 'first again', price: 2.5, at: 1_700_000_000_001 },
      version: 2,
    });
    expect(docs.get('k3')?.version).toBe(3);
    const mapping = (await opensearch.indices.getMapping({ index: topic })).body[topic]?.mappings;
    expect(mapping?.properties).toEqual({
      id: { type: 'long' },
      name: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
      price: { type: 'double' },
      at: { type: 'date' },
    });
    expect((await taskState(cf, 'es-orders')).state).toBe('RUNNING');
  });

  it('with key.ignore=true writes every record as <topic>+<partition>+<offset>', async () => {
    // Prepare
    const topic = await topicWith(
      'es-events',
      [0, 1, 2, 3].map((i) => ({ key: 'same', value: { n: i }, partition: i % 2 })),
      2,
    );
    // Act
    await cf.create('es-events', {
      'connector.class': 'ElasticsearchSink',
      topics: topic,
      'connection.url': OPENSEARCH_URL,
      'key.ignore': 'true',
      'schema.ignore': 'true',
      ...jsonValues(false),
    });
    await cf.until(async () => (await count(topic)) === 4);
    // Assess
    const docs = await documents(topic);
    expect([...docs.keys()].sort()).toEqual([`${topic}+0+0`, `${topic}+0+1`, `${topic}+1+0`, `${topic}+1+1`]);
    expect(docs.get(`${topic}+1+1`)?.source).toEqual({ n: 3 });
    expect(docs.get(`${topic}+0+0`)?.version).toBe(1);
  });

  it('writes a logs data stream <type>-<dataset>-<namespace>, with @timestamp from the record', async () => {
    // Prepare
    const topic = await topicWith('es-logs', [
      { key: 'a', value: { msg: 'one' } },
      { key: 'b', value: { msg: 'two' } },
    ]);
    const stream = `logs-app-${topic}`;
    // Act
    await cf.create('es-logs', {
      'connector.class': 'ElasticsearchSink',
      topics: topic,
      'connection.url': OPENSEARCH_URL,
      'data.stream.type': 'logs',
      'data.stream.dataset': 'app',
      'schema.ignore': 'true',
      ...jsonValues(false),
    });
    await cf.until(async () => (await count(stream)) === 2);
    // Assess
    const info = await opensearch.indices.getDataStream({ name: stream });
    expect(info.body.data_streams.map((d) => d.name)).toEqual([stream]);
    const docs = [...(await documents(stream)).values()].map((d) => d.source);
    expect(docs.map((d) => d.msg).sort()).toEqual(['one', 'two']);
    expect(docs.every((d) => typeof d['@timestamp'] === 'number')).toBe(true);
  });
});

describe('topic → OpenSearch through the REST API, Aiven’s class', () => {
  it('upserts: a later record updates only the fields it has', async () => {
    // Prepare
    const topic = await topicWith('os-upserts', [
      { key: 'u1', value: { a: 1, b: 1 } },
      { key: 'u1', value: { b: 2 } },
      { key: 'u2', value: { a: 9 } },
    ]);
    // Act
    await cf.create('os-upserts', {
      'connector.class': 'io.aiven.kafka.connect.opensearch.OpensearchSinkConnector',
      topics: topic,
      'connection.url': OPENSEARCH_URL,
      'index.write.method': 'upsert',
      'schema.ignore': 'true',
      ...jsonValues(false),
    });
    await cf.until(async () => (await documents(topic).catch(() => new Map())).get('u1')?.source.b === 2);
    // Assess
    const docs = await documents(topic);
    expect(docs.get('u1')?.source).toEqual({ a: 1, b: 2 });
    expect(docs.get('u2')?.source).toEqual({ a: 9 });
  });

  it('writes a data stream <prefix>-<topic> under an index template of its own, and ignores tombstones', async () => {
    // Prepare
    const topic = await topicWith('os-stream', [
      { key: 'a', value: { msg: 'x', '@timestamp': '2024-05-06T07:08:09Z' } },
      { key: 'b', value: null },
      { key: 'c', value: { msg: 'y' } },
    ]);
    const stream = `web-${topic}`;
    // Act
    await cf.create('os-stream', {
      'connector.class': 'io.aiven.kafka.connect.opensearch.OpenSearchSinkConnector',
      topics: topic,
      'connection.url': OPENSEARCH_URL,
      'data.stream.enabled': 'true',
      'data.stream.prefix': 'web',
      'schema.ignore': 'true',
      ...jsonValues(false),
    });
    await cf.until(async () => (await count(stream)) === 2);
    // Assess
    const template = await opensearch.indices.getIndexTemplate({
      name: `${stream}-connector-data-stream-template`,
    });
    expect(template.body.index_templates[0]?.index_template.index_patterns).toEqual([stream]);
    const docs = [...(await documents(stream)).values()].map((d) => d.source);
    expect(docs.find((d) => d.msg === 'x')?.['@timestamp']).toBe('2024-05-06T07:08:09Z');
    expect(typeof docs.find((d) => d.msg === 'y')?.['@timestamp']).toBe('number');
  });
});
