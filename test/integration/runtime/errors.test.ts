import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoundedConsumer } from '../../../lib/kafka/bounded-consumer.js';
import { createKafka } from '../../../lib/kafka/client.js';
import { RecordProducer } from '../../../lib/kafka/producer.js';
import { type RuntimeFixture, runtimeFixture } from '../../support/runtime.js';
import { KAFKA_BROKERS, uniqueName } from '../../support/services.js';

const dir = mkdtempSync(join(tmpdir(), 'sc-errors-'));
const kafka = createKafka({ brokers: KAFKA_BROKERS });
let rt: RuntimeFixture;
let producer: RecordProducer;
beforeAll(async () => {
  rt = await runtimeFixture();
  producer = new RecordProducer(kafka);
});
afterAll(async () => {
  await producer.disconnect();
  await rt.dispose();
});

const lines = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
const json = (v: unknown) => Buffer.from(JSON.stringify(v));

async function readAll(topic: string) {
  const consumer = new BoundedConsumer(kafka, { groupId: uniqueName('check'), topics: [topic] });
  const batch = await consumer.poll({ maxRecords: 1_000, maxBytes: 1 << 24, maxWaitMs: 10_000 });
  await consumer.stop();
  return batch;
}

async function poisonedTopic() {
  const topic = uniqueName('orders');
  await producer.send(
    [json({ id: 1 }), Buffer.from('{not json'), json({ id: 3 })].map((value) => ({
      topic,
      key: null,
      value,
      headers: [{ key: 'origin', value: Buffer.from('test') }],
    })),
  );
  return topic;
}

function sinkConfig(topic: string, file: string, extra: Record<string, string>) {
  return {
    'connector.class': 'FileStreamSink',
    name: uniqueName('sink'),
    file,
    topics: topic,
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter.schemas.enable': 'false',
    ...extra,
  };
}

describe('errors.tolerance and the dead-letter queue', () => {
  it('sends a poison record to the DLQ with __connect.errors.* headers while good records flow', async () => {
    // Prepare
    const topic = await poisonedTopic();
    const dlq = uniqueName('dlq');
    const file = join(dir, `${uniqueName('out')}.txt`);
    const config = sinkConfig(topic, file, {
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': dlq,
      'errors.deadletterqueue.topic.replication.factor': '1',
      'errors.deadletterqueue.context.headers.enable': 'true',
    });
    await rt.create({ name: config.name, config, type: 'sink', taskConfigs: [config] });
    // Act
    await rt.until(() => lines(file).length >= 2);
    const [dead] = await readAll(dlq);
    // Assess
    expect(lines(file)).toEqual(['{"id":1}', '{"id":3}']);
    expect(dead?.value?.toString()).toBe('{not json');
    const headers = Object.fromEntries(dead!.headers.map((h) => [h.key, h.value?.toString()]));
    expect(headers).toMatchObject({
      origin: 'test',
      '__connect.errors.topic': topic,
      '__connect.errors.partition': '0',
      '__connect.errors.offset': '1',
      '__connect.errors.connector.name': config.name,
      '__connect.errors.task.id': '0',
      '__connect.errors.stage': 'VALUE_CONVERTER',
      '__connect.errors.class.name': 'org.apache.kafka.connect.json.JsonConverter',
      '__connect.errors.exception.class.name': 'DataError',
    });
    expect(headers['__connect.errors.exception.stacktrace']).toContain('DataError');
    expect(await rt.admin.groupOffsets(`connect-${config.name}`)).toEqual([
      { topic, partition: 0, offset: 3 },
    ]);
  });

  it('fails the task with a trace under errors.tolerance=none and commits nothing past the poison', async () => {
    // Prepare
    const topic = await poisonedTopic();
    const file = join(dir, `${uniqueName('out')}.txt`);
    const config = sinkConfig(topic, file, {});
    await rt.create({ name: config.name, config, type: 'sink', taskConfigs: [config] });
    // Act
    await rt.until(async () => (await rt.env.store.status.getTasks(config.name))[0]?.state === 'FAILED');
    const invokedAfterFailure = await rt.tick();
    // Assess
    const [task] = await rt.env.store.status.getTasks(config.name);
    expect(task?.trace).toContain('Tolerance exceeded in error handler (stage VALUE_CONVERTER)');
    expect(task?.trace).toContain('Caused by:');
    expect(invokedAfterFailure.filter((i) => i.connector === config.name)).toEqual([]); // FAILED until restarted
    expect(lines(file)).toEqual([]);
    expect(await rt.admin.groupOffsets(`connect-${config.name}`)).toEqual([]);
  });

  it('brings a FAILED task back on restart once its cause is fixed', async () => {
    // Prepare: the sink's directory does not exist, so the task fails to start.
    const topic = uniqueName('events');
    await producer.send([{ topic, key: null, value: json({ ok: true }), headers: [] }]);
    const missing = join(dir, uniqueName('later'));
    const file = join(missing, 'out.txt');
    const config = sinkConfig(topic, file, {});
    await rt.create({ name: config.name, config, type: 'sink', taskConfigs: [config] });
    await rt.until(async () => (await rt.env.store.status.getTasks(config.name))[0]?.state === 'FAILED');
    const [failed] = await rt.env.store.status.getTasks(config.name);
    // Act
    mkdirSync(missing);
    await rt.env.store.configs.update(config.name, (c) => ({
      ...c,
      restartRequest: {
        epoch: 1,
        includeTasks: true,
        onlyFailed: true,
        requestedAt: new Date().toISOString(),
      },
    }));
    await rt.until(() => lines(file).length === 1);
    // Assess
    expect(failed?.trace).toContain("Couldn't find or create file");
    const [task] = await rt.env.store.status.getTasks(config.name);
    expect(task).toMatchObject({ state: 'RUNNING', restartEpoch: 1 });
    expect(task?.trace).toBeUndefined();
  });

  it('sends source records that an SMT rejects to the DLQ under tolerance all, and moves the rest', async () => {
    // Prepare
    const input = join(dir, `${uniqueName('numbers')}.txt`);
    writeFileSync(input, '1\n2\nnot-a-number\n4\n');
    const topic = uniqueName('numbers');
    const dlq = uniqueName('src-dlq');
    const config = {
      'connector.class': 'FileStreamSource',
      name: uniqueName('src'),
      file: input,
      topic,
      transforms: 'toInt',
      'transforms.toInt.type': 'org.apache.kafka.connect.transforms.Cast$Value',
      'transforms.toInt.spec': 'int32',
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': dlq,
      'errors.deadletterqueue.topic.replication.factor': '1',
      'errors.deadletterqueue.context.headers.enable': 'true',
    };
    await rt.create({ name: config.name, config, type: 'source', taskConfigs: [config] });
    // Act
    await rt.tick();
    const good = await readAll(topic);
    const [dead] = await readAll(dlq);
    // Assess
    expect(good.map((r) => JSON.parse(r.value!.toString()).payload)).toEqual([1, 2, 4]);
    expect(dead?.value?.toString()).toBe('"not-a-number"');
    const stage = dead?.headers.find((h) => h.key === '__connect.errors.stage')?.value?.toString();
    expect(stage).toBe('TRANSFORMATION');
    expect(dead?.headers.find((h) => h.key === '__connect.errors.class.name')?.value?.toString()).toBe(
      'org.apache.kafka.connect.transforms.Cast$Value',
    );
    expect((await rt.env.store.offsets.getAll(config.name))[0]?.offset).toEqual({ position: 19 });
  });
});
