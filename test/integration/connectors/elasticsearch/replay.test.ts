import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENSEARCH_URL } from '../../../support/services.js';
import { type ConnectFixture, connectFixture } from '../support.js';
import { committed, documents, jsonValues, produce, taskState, topicWith } from './support.js';

// 200 records on 2 partitions: 4 versions of each of 50 keys, a key always on the same partition.
const KEYS = 50;
const history = Array.from({ length: 4 * KEYS }, (_, i) => {
  const key = i % KEYS;
  return { key: `k${key}`, value: { key, round: Math.floor(i / KEYS) }, partition: key % 2 };
});
/** Per key, the offset of its last record: the version its document must end with. */
const lastOffsets = () => {
  const next = [0, 0];
  const last = new Map<string, number>();
  for (const m of history) last.set(m.key, next[m.partition]!++);
  return last;
};

let cf: ConnectFixture;
beforeAll(async () => {
  // Small batches, so a worker restart lands mid-stream.
  cf = await connectFixture('es-replay', { maxRecords: 40 });
});
afterAll(async () => {
  await cf.dispose();
});

/** Records committed on the connector's topic (connectors are named after their topics). */
const total = async (name: string) =>
  Object.values(await committed(cf, name, name)).reduce((a, b) => a + b, 0);

/** Stops the connector, moves its offsets back to the start, and resumes it: every record comes again. */
async function replayFromStart(name: string, topic: string): Promise<void> {
  expect((await cf.call('PUT', `/connectors/${name}/stop`)).status).toBe(204);
  const offsets = [0, 1].map((p) => ({
    partition: { kafka_topic: topic, kafka_partition: p },
    offset: { kafka_offset: 0 },
  }));
  for (let i = 0; ; i++) {
    const reply = await cf.call('PATCH', `/connectors/${name}/offsets`, { offsets });
    if (reply.status === 200) break;
    if (i > 30) throw new Error(`offsets not altered: ${JSON.stringify(reply.body)}`);
    await cf.tick();
  }
  expect((await cf.call('PUT', `/connectors/${name}/resume`)).status).toBe(202);
}

describe('no duplicate and no older value after a restart and a replay', () => {
  it('key ids with external versions: one document per key, at the version of its last offset', async () => {
    // Prepare
    const topic = await topicWith('es-replay', history, 2);
    const name = topic;
    await cf.create(name, {
      'connector.class': 'ElasticsearchSink',
      topics: topic,
      'connection.url': OPENSEARCH_URL,
      'schema.ignore': 'true',
      'batch.size': '7',
      ...jsonValues(false),
    });
    // Act: a worker restart mid-stream (tasks start cold), then every offset replayed
    await cf.until(async () => (await total(name)) >= 40);
    await cf.restartWorker();
    await cf.until(async () => (await total(name)) === 200);
    await replayFromStart(name, topic);
    await cf.until(
      async () => (await total(name)) === 200 && (await taskState(cf, name)).state === 'RUNNING',
    );
    // Assess
    const docs = await documents(topic);
    expect(docs.size).toBe(KEYS);
    for (const [key, offset] of lastOffsets()) {
      expect(docs.get(key)?.version).toBe(offset);
      expect(docs.get(key)?.source.round).toBe(3);
    }
  });

  it('a newer value written after the replayed offsets is not overwritten by their replay', async () => {
    // Prepare
    const topic = await topicWith('es-newer', history, 2);
    const name = topic;
    await cf.create(name, {
      'connector.class': 'ElasticsearchSink',
      topics: topic,
      'connection.url': OPENSEARCH_URL,
      'schema.ignore': 'true',
      ...jsonValues(false),
    });
    await cf.until(async () => (await total(name)) === 200);
    await produce(topic, [{ key: 'k0', value: { key: 0, round: 4 }, partition: 0 }]);
    await cf.until(async () => (await total(name)) === 201);
    // Act
    await replayFromStart(name, topic);
    await cf.until(
      async () => (await total(name)) === 201 && (await taskState(cf, name)).state === 'RUNNING',
    );
    // Assess
    const k0 = (await documents(topic)).get('k0');
    expect(k0).toEqual({ source: { key: 0, round: 4 }, version: 100 });
  });

  it('key.ignore=true: one document per record, however often it is replayed', async () => {
    // Prepare
    const topic = await topicWith('es-replay-ids', history, 2);
    const name = topic;
    await cf.create(name, {
      'connector.class': 'ElasticsearchSink',
      topics: topic,
      'connection.url': OPENSEARCH_URL,
      'key.ignore': 'true',
      'schema.ignore': 'true',
      ...jsonValues(false),
    });
    // Act
    await cf.until(async () => (await total(name)) >= 40);
    await cf.restartWorker();
    await cf.until(async () => (await total(name)) === 200);
    await replayFromStart(name, topic);
    await cf.until(
      async () => (await total(name)) === 200 && (await taskState(cf, name)).state === 'RUNNING',
    );
    // Assess
    const docs = await documents(topic);
    expect(docs.size).toBe(200);
    expect(docs.get(`${topic}+1+99`)?.source).toEqual({ key: 49, round: 3 });
  });

  it('Aiven’s class with behavior.on.version.conflict=ignore replays the same way; with fail it stops', async () => {
    // Prepare
    const topic = await topicWith('os-replay', history, 2);
    const config = (conflicts: string) => ({
      'connector.class': 'io.aiven.kafka.connect.opensearch.OpenSearchSinkConnector',
      topics: topic,
      'connection.url': OPENSEARCH_URL,
      'schema.ignore': 'true',
      'behavior.on.version.conflict': conflicts,
      ...jsonValues(false),
    });
    await cf.create(topic, config('ignore'));
    await cf.until(async () => (await total(topic)) === 200);
    // Act
    await replayFromStart(topic, topic);
    await cf.until(
      async () => (await total(topic)) === 200 && (await taskState(cf, topic)).state === 'RUNNING',
    );
    await cf.create(`${topic}-strict`, config('fail'));
    await cf.until(async () => (await taskState(cf, `${topic}-strict`)).state === 'FAILED');
    // Assess
    const docs = await documents(topic);
    expect(docs.size).toBe(KEYS);
    for (const [key, offset] of lastOffsets()) expect(docs.get(key)?.version).toBe(offset);
    expect((await taskState(cf, `${topic}-strict`)).trace).toContain('version_conflict_engine_exception');
  });
});
