import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sinkAlias } from '../../../lib/config/sink-routing.js';
import { WORKER_PROPERTIES_ENV } from '../../../lib/config/worker-properties.js';
import { ENV } from '../../../lib/env.js';
import { BoundedConsumer } from '../../../lib/kafka/bounded-consumer.js';
import { createKafka } from '../../../lib/kafka/client.js';
import type { KafkaEsmEvent } from '../../../lib/kafka/esm-event.js';
import { RecordProducer } from '../../../lib/kafka/producer.js';
import type { ConsumedRecord } from '../../../lib/kafka/types.js';
import { dispatchTick } from '../../../lib/runtime/dispatcher.js';
import { type RuntimeFixture, runtimeFixture } from '../../support/runtime.js';
import { DYNAMODB_ENDPOINT, KAFKA_BROKERS, uniqueName } from '../../support/services.js';

// The Lambda service cannot run here: the test builds the event the Kafka event source mapping would
// deliver (its documented format) from records really read from the broker, and calls the real handler
// with a stand-in Lambda context. Everything behind the handler — DynamoDB Local, Kafka — is real.
const dir = mkdtempSync(join(tmpdir(), 'sc-esm-'));
const kafka = createKafka({ brokers: KAFKA_BROKERS });
let rt: RuntimeFixture;
let handler: (
  event: KafkaEsmEvent,
  context: Context,
) => Promise<{ batchItemFailures: { itemIdentifier: unknown }[] }>;

beforeAll(async () => {
  rt = await runtimeFixture();
  Object.assign(process.env, {
    [ENV.kafkaBrokers]: KAFKA_BROKERS.join(','),
    [ENV.dynamodbEndpoint]: DYNAMODB_ENDPOINT,
    [ENV.configsTable]: rt.tables.configs,
    [ENV.statusTable]: rt.tables.status,
    [ENV.offsetsTable]: rt.tables.offsets,
    AWS_LAMBDA_FUNCTION_NAME: 'sink-test',
    // On AWS the FileStream connectors exist only when the deployment enables them for a directory.
    [WORKER_PROPERTIES_ENV]: JSON.stringify({
      'file.stream.enable': 'true',
      'file.stream.allowed.paths': dir,
    }),
  });
  ({ handler } = await import('../../../functions/sink.js'));
});
afterAll(() => rt.dispose());

/** The context of an invocation through a connector's alias, as its mapping makes it. */
const contextFor = (connector: string) =>
  ({
    getRemainingTimeInMillis: () => 15_000,
    functionName: 'sink-test',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:sink-test:${sinkAlias(connector)}`,
  }) as Context;

async function produceAndRead(topic: string, values: Buffer[]): Promise<ConsumedRecord[]> {
  const producer = new RecordProducer(kafka);
  await producer.send(values.map((value) => ({ topic, key: null, value, headers: [] })));
  await producer.disconnect();
  const consumer = new BoundedConsumer(kafka, { groupId: uniqueName('read'), topics: [topic] });
  const records = await consumer.poll({ maxRecords: 100, maxBytes: 1 << 20, maxWaitMs: 10_000 });
  await consumer.stop();
  return records;
}

function esmEvent(records: ConsumedRecord[]): KafkaEsmEvent {
  const grouped: KafkaEsmEvent['records'] = {};
  for (const r of records) {
    const key = `${r.topic}-${r.partition}`;
    grouped[key] ??= [];
    const list = grouped[key];
    list.push({
      topic: r.topic,
      partition: r.partition,
      offset: r.offset,
      timestamp: r.timestamp,
      timestampType: 'CREATE_TIME',
      key: r.key?.toString('base64') ?? null,
      value: r.value?.toString('base64') ?? null,
      headers: [],
    });
  }
  return {
    eventSource: 'aws:kafka',
    eventSourceArn: 'arn:aws:kafka:us-east-1:000000000000:cluster/x/y',
    records: grouped,
  };
}

const lines = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

describe('the sink function fed by an event source mapping', () => {
  it('writes a batch through the sink pipeline and reports no failures', async () => {
    // Prepare
    const topic = uniqueName('esm');
    const file = join(dir, `${uniqueName('out')}.txt`);
    const config = {
      'connector.class': 'FileStreamSink',
      name: uniqueName('sink'),
      file,
      topics: topic,
      'value.converter': 'StringConverter',
    };
    await rt.create({ name: config.name, config, type: 'sink', taskConfigs: [config] });
    const records = await produceAndRead(
      topic,
      ['a', 'b', 'c'].map((v) => Buffer.from(v)),
    );
    // Act
    const reply = await handler(esmEvent(records), contextFor(config.name));
    // Assess
    expect(reply).toEqual({ batchItemFailures: [] });
    expect(lines(file)).toEqual(['a', 'b', 'c']);
    const [task] = await rt.env.store.status.getTasks(config.name);
    expect(task).toMatchObject({ state: 'RUNNING', lastBatch: { records: 3 } });
  });

  it('fails the invocation, naming the first record not written, when the task fails', async () => {
    // Prepare
    const topic = uniqueName('esm-bad');
    const file = join(dir, `${uniqueName('out')}.txt`);
    const config = {
      'connector.class': 'FileStreamSink',
      name: uniqueName('sink'),
      file,
      topics: topic,
      'value.converter': 'JsonConverter',
      'value.converter.schemas.enable': 'false',
    };
    await rt.create({ name: config.name, config, type: 'sink', taskConfigs: [config] });
    const records = await produceAndRead(topic, [Buffer.from('1'), Buffer.from('{oops'), Buffer.from('3')]);
    // Powertools writes EMF documents to stdout, where CloudWatch Logs picks them up.
    const emitted: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      emitted.push(String(chunk));
      return true;
    });
    // Act
    const reply = handler(esmEvent(records), contextFor(config.name)).finally(() => write.mockRestore());
    // Assess: an on-demand mapping ignores a partial batch response and would commit the batch; a
    // failed invocation makes it deliver the batch again.
    await expect(reply).rejects.toMatchObject({
      name: 'SinkBatchNotWritten',
      retry: [{ partition: `${topic}-0`, offset: 0 }],
    });
    const failures = emitted.filter((l) => l.includes('"TaskFailures"')).map((l) => JSON.parse(l));
    expect(failures).toMatchObject([{ Connector: config.name, TaskFailures: 1 }]);
    const [task] = await rt.env.store.status.getTasks(config.name);
    expect(task?.state).toBe('FAILED');
    expect(task?.trace).toContain('VALUE_CONVERTER');
  });

  it('asks the mapping to redeliver a batch no running sink owns', async () => {
    // Prepare
    const records = await produceAndRead(uniqueName('orphan'), [Buffer.from('x'), Buffer.from('y')]);
    // Act
    const reply = handler(esmEvent(records), contextFor(uniqueName('nobody')));
    // Assess: a failed invocation, so the mapping delivers all of it again.
    await expect(reply).rejects.toMatchObject({
      name: 'SinkBatchNotWritten',
      retry: [{ partition: `${records[0]?.topic}-0`, offset: records[0]?.offset }],
    });
  });

  it('gives each sink of a shared topic the batches of its own mapping, by alias', async () => {
    // Prepare: two sinks read one topic, each through its own mapping (group connect-<name>).
    const topic = uniqueName('shared');
    const sinks = [uniqueName('first'), uniqueName('second')].map((name) => ({
      'connector.class': 'FileStreamSink',
      name,
      file: join(dir, `${name}.txt`),
      topics: topic,
      'value.converter': 'StringConverter',
    }));
    for (const config of sinks)
      await rt.create({ name: config.name, config, type: 'sink', taskConfigs: [config] });
    const records = await produceAndRead(topic, [Buffer.from('p'), Buffer.from('q')]);
    const [first, second] = sinks as [(typeof sinks)[0], (typeof sinks)[0]];
    // Act: the second sink's mapping delivers; then the first sink is deleted and the second's goes on.
    const toSecond = await handler(esmEvent(records), contextFor(second.name));
    await rt.env.store.configs.delete(first.name);
    const again = await handler(esmEvent(records.slice(1)), contextFor(second.name));
    // Assess
    expect([toSecond, again]).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    expect(lines(second.file)).toEqual(['p', 'q', 'q']);
    expect(lines(first.file)).toEqual([]);
  });

  it('leaves single-topic sinks to their mappings in the dispatcher tick, and dispatches the others', async () => {
    // Prepare
    const base = { 'connector.class': 'FileStreamSink', file: join(dir, `${uniqueName('x')}.txt`) };
    const mapped = { ...base, name: uniqueName('one-topic'), topics: uniqueName('t') };
    const polled = {
      ...base,
      name: uniqueName('two-topics'),
      topics: `${uniqueName('t')},${uniqueName('t')}`,
    };
    const regex = { ...base, name: uniqueName('regex'), 'topics.regex': 'never-.*' };
    for (const config of [mapped, polled, regex])
      await rt.create({ name: config.name, config, type: 'sink', taskConfigs: [config] });
    // Act
    const tick = await dispatchTick({
      store: rt.env.store,
      invoker: { invoke: async () => {} },
      workerId: 'w',
      eventSourceMappings: true,
    });
    // Assess
    const invoked = new Set(tick.invoked.map((r) => r.connector));
    expect([mapped, polled, regex].map((c) => invoked.has(c.name))).toEqual([false, true, true]);
  });
});
