import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENSEARCH_URL, uniqueName } from '../../../support/services.js';
import { type ConnectFixture, connectFixture, readTopic } from '../support.js';
import { committed, count, documents, jsonValues, opensearch, taskState, topicWith } from './support.js';

// A record the cluster refuses: "n" is mapped as a long, and one value is not a number.
const MESSAGES = [
  { key: 'good-1', value: { n: 1 } },
  { key: 'bad', value: { n: 'not a number' } },
  { key: 'good-2', value: { n: 2 } },
];

let cf: ConnectFixture;
beforeAll(async () => {
  cf = await connectFixture('es-malformed');
});
afterAll(async () => {
  await cf.dispose();
});

/** A topic with the messages, and its index made beforehand with `n` mapped as a long. */
async function strictTopic(prefix: string): Promise<string> {
  const topic = await topicWith(prefix, MESSAGES);
  await opensearch.indices.create({
    index: topic,
    body: { mappings: { properties: { n: { type: 'long' } } } },
  });
  return topic;
}

const sink = (topic: string, extra: Record<string, string>) => ({
  'connector.class': 'io.confluent.connect.elasticsearch.ElasticsearchSinkConnector',
  topics: topic,
  'connection.url': OPENSEARCH_URL,
  'schema.ignore': 'true',
  ...jsonValues(false),
  ...extra,
});

describe('documents the cluster refuses, per behavior.on.malformed.documents', () => {
  for (const behavior of ['ignore', 'warn']) {
    it(`${behavior}: indexes the others, skips the refused one and commits past it`, async () => {
      // Prepare
      const topic = await strictTopic(`es-${behavior}`);
      const name = topic;
      // Act
      await cf.create(name, sink(topic, { 'behavior.on.malformed.documents': behavior }));
      await cf.until(async () => (await committed(cf, name, topic))[0] === 3);
      // Assess
      expect([...(await documents(topic)).keys()].sort()).toEqual(['good-1', 'good-2']);
      expect((await taskState(cf, name)).state).toBe('RUNNING');
    });
  }

  it('fail: fails the task, with Confluent’s message, and commits nothing past the batch', async () => {
    // Prepare
    const topic = await strictTopic('es-fail');
    // Act
    await cf.create(topic, sink(topic, { 'behavior.on.malformed.documents': 'fail' }));
    await cf.until(async () => (await taskState(cf, topic)).state === 'FAILED');
    // Assess
    expect((await taskState(cf, topic)).trace).toContain(
      'Indexing record failed. Please check DLQ topic for errors.',
    );
    expect((await committed(cf, topic, topic))[0]).toBeUndefined();
  });

  it('with errors.tolerance=all and a DLQ: the refused record lands in the DLQ with the cluster’s reason', async () => {
    // Prepare
    const topic = await strictTopic('es-dlq');
    const dlq = uniqueName('es-dlq-topic');
    // Act
    await cf.create(
      topic,
      sink(topic, {
        'behavior.on.malformed.documents': 'ignore',
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': dlq,
        'errors.deadletterqueue.topic.replication.factor': '1',
        'errors.deadletterqueue.context.headers.enable': 'true',
      }),
    );
    await cf.until(async () => (await committed(cf, topic, topic))[0] === 3);
    // Assess
    const dead = await readTopic(dlq);
    expect(dead.map((r) => [String(r.key), String(r.value)])).toEqual([['bad', '{"n":"not a number"}']]);
    const header = (key: string) => String(dead[0]?.headers.find((h) => h.key === key)?.value);
    expect(header('__connect.errors.exception.message')).toMatch(
      /^Indexing failed: mapper_parsing_exception/,
    );
    expect(header('__connect.errors.stage')).toBe('TASK_PUT');
    expect(await count(topic)).toBe(2);
  });

  it('Aiven’s report: to the DLQ, and nothing is reported under ignore', async () => {
    // Prepare
    const [reported, ignored] = [await strictTopic('os-report'), await strictTopic('os-ignore')];
    const dlq = uniqueName('os-dlq-topic');
    const aiven = (topic: string, behavior: string) => ({
      ...sink(topic, { 'behavior.on.malformed.documents': behavior }),
      'connector.class': 'io.aiven.kafka.connect.opensearch.OpenSearchSinkConnector',
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': dlq,
      'errors.deadletterqueue.topic.replication.factor': '1',
    });
    // Act
    await cf.create(reported, aiven(reported, 'report'));
    await cf.create(ignored, aiven(ignored, 'ignore'));
    await cf.until(
      async () =>
        (await committed(cf, reported, reported))[0] === 3 &&
        (await committed(cf, ignored, ignored))[0] === 3,
    );
    // Assess
    const dead = await readTopic(dlq);
    expect(dead.map((r) => String(r.key))).toEqual(['bad']);
    expect(await count(reported)).toBe(2);
    expect(await count(ignored)).toBe(2);
  });

  it('a record that cannot become a document (a null key as id) follows drop.invalid.message', async () => {
    // Prepare
    const topic = await topicWith('es-invalid', [
      { key: null, value: { n: 1 } },
      { key: 'ok', value: { n: 2 } },
    ]);
    // Act
    await cf.create(`${topic}-drop`, sink(topic, { 'drop.invalid.message': 'true' }));
    await cf.until(async () => (await committed(cf, `${topic}-drop`, topic))[0] === 2);
    await cf.create(`${topic}-no-drop`, sink(topic, {}));
    await cf.until(async () => (await taskState(cf, `${topic}-no-drop`)).state === 'FAILED');
    // Assess
    expect([...(await documents(topic)).keys()]).toEqual(['ok']);
    expect((await taskState(cf, `${topic}-no-drop`)).trace).toContain(
      'Key is used as document id and can not be null.',
    );
  });
});
