import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateAliasCommand,
  CreateEventSourceMappingCommand,
  GetAliasCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import kafkajs from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sinkAlias } from '../../../lib/config/sink-routing.js';
import { KAFKA_BROKERS, POSTGRES_URL, uniqueName } from '../../support/services.js';
import { type AwsFixture, awsFixture } from './local-aws-fixture.js';

// The semantics of sinks fed by event source mappings, on our deployed functions under the simulator:
// FAILED sticks until a restart (and the mapping stops delivering meanwhile), the dispatcher reconciles
// mappings with the configs every tick (missing ones made, orphans deleted, Enabled and BatchSize
// set), and a mapped sink runs as the one task the mapping invokes, whatever tasks.max says.
let f: AwsFixture;
let db: pg.Client;
const kafka = new kafkajs.Kafka({ brokers: KAFKA_BROKERS, logLevel: kafkajs.logLevel.NOTHING });
const producer = kafka.producer();
const admin = kafka.admin();

beforeAll(async () => {
  f = await awsFixture('mapping-semantics');
  await Promise.all([producer.connect(), admin.connect()]);
  db = new pg.Client({ connectionString: POSTGRES_URL });
  await db.connect();
}, 240_000);

afterAll(async () => {
  await f?.dispose();
  await Promise.all([producer.disconnect(), admin.disconnect()]);
  await db?.end();
});

const STRINGS = {
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
};
const lines = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const status = async (connector: string) => (await f.call('GET', `/connectors/${connector}/status`)).body;

async function produce(topic: string, values: string[], partitions = 1): Promise<void> {
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }] });
  await producer.send({ topic, messages: values.map((value) => ({ value })) });
}

describe('sinks fed by event source mappings', { timeout: 60_000 }, () => {
  it('a FAILED task stays FAILED, its mapping disabled, even once the cause is gone, until a restart', async () => {
    // Prepare: the target table does not exist and auto.create is off, so the task fails.
    const table = uniqueName('esm_failed').replaceAll('-', '_');
    const sink = uniqueName('failed-sink');
    await produce(
      table,
      Array.from({ length: 20 }, (_, i) => JSON.stringify({ schema: SCHEMA, payload: { id: i } })),
    );
    await f.create(sink, {
      'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
      'connection.url': 'jdbc:postgresql://127.0.0.1:5432/test',
      'connection.user': 'postgres',
      topics: table,
      'auto.create': 'false',
      'tasks.max': '1',
    });
    await f.until(async () => (await status(sink))?.tasks?.[0]?.state === 'FAILED', 30_000, 'FAILED');
    // Act: the cause goes away; the mapping keeps delivering under its infinite retries.
    await db.query(`CREATE TABLE "${table}" (id INT)`);
    const count = async () => Number((await db.query(`SELECT count(*) AS n FROM "${table}"`)).rows[0].n);
    try {
      await f.until(async () => (await f.mappings(sink))[0]?.State === 'Disabled', 15_000, 'Disabled');
      await sleep(3_000);
      // Assess: nothing rebuilt the task, nothing was written or committed past the failure.
      expect((await status(sink)).tasks).toMatchObject([{ id: 0, state: 'FAILED' }]);
      expect(await count()).toBe(0);
      // Act: a restart brings it back and re-enables the mapping.
      const restart = await f.call('POST', `/connectors/${sink}/restart?includeTasks=true&onlyFailed=true`);
      expect(restart.status).toBe(202);
      await f.until(async () => (await count()) >= 20, 30_000, 'every row after the restart');
      // Assess
      expect((await f.mappings(sink)).map((m) => m.State)).toEqual(['Enabled']);
      expect((await status(sink)).tasks).toMatchObject([{ id: 0, state: 'RUNNING' }]);
      expect(await count()).toBe(20);
    } finally {
      await db.query(`DROP TABLE IF EXISTS "${table}"`);
    }
  });

  it('a create whose mapping could not be made answers 201 and converges: the orphan in its way is deleted, its mapping made', async () => {
    // Prepare: a mapping and alias left by a deleted connector hold the new connector's consumer group,
    // so its CreateEventSourceMapping is refused.
    const topic = uniqueName('esm-repair');
    const sink = uniqueName('repaired-sink');
    const ghost = uniqueName('ghost');
    const output = join(f.dir, `${sink}.txt`);
    const lambda = f.aws.simulator.lambdaClient;
    const fn = f.aws.simulator.function('TasksSink').name;
    await produce(topic, ['a', 'b', 'c']);
    await lambda.send(
      new CreateAliasCommand({ FunctionName: fn, Name: sinkAlias(ghost), FunctionVersion: '$LATEST' }),
    );
    await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: `${fn}:${sinkAlias(ghost)}`,
        Topics: [`${topic}-other`],
        StartingPosition: 'LATEST',
        Enabled: false,
        SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: KAFKA_BROKERS } },
        SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: `connect-${sink}` },
      }),
    );
    // Act
    const created = await f.call('POST', '/connectors', {
      name: sink,
      config: { 'connector.class': 'FileStreamSink', file: output, topics: topic, ...STRINGS },
    });
    // Assess: the connector exists as Kafka Connect would have it; a tick later it runs.
    expect(created.status).toBe(201);
    expect((await f.call('GET', `/connectors/${sink}`)).status).toBe(200);
    await f.until(() => lines(output).length >= 3, 30_000, 'the lines');
    expect(lines(output)).toEqual(['a', 'b', 'c']);
    expect(await f.mappings(ghost)).toEqual([]);
    await f.until(
      () =>
        lambda.send(new GetAliasCommand({ FunctionName: fn, Name: sinkAlias(ghost) })).then(
          () => false,
          () => true,
        ),
      10_000,
      'the orphan alias gone',
    );
    expect((await f.mappings(sink)).map((m) => m.State)).toEqual(['Enabled']);
  });

  it('runs a mapped sink as one task whatever tasks.max; Enabled and BatchSize follow the config; a topic change succeeds at once', async () => {
    // Prepare
    const topic = uniqueName('esm-tasks');
    const sink = uniqueName('tasks-sink');
    const output = join(f.dir, `${sink}.txt`);
    await produce(
      topic,
      Array.from({ length: 60 }, (_, i) => `r${i}`),
      6,
    );
    const config = {
      'connector.class': 'FileStreamSink',
      file: output,
      topics: topic,
      'tasks.max': '3',
      'consumer.override.max.poll.records': '7',
      ...STRINGS,
    };
    // Act
    await f.create(sink, config);
    const tasks = (await f.call('GET', `/connectors/${sink}/tasks`)).body;
    const first = await status(sink);
    await f.until(() => lines(output).length >= 60, 30_000, 'the lines');
    // Assess: one task, the one the mapping runs, RUNNING; nothing stays UNASSIGNED.
    expect(tasks.map((t: { id: { task: number } }) => t.id.task)).toEqual([0]);
    expect(first.tasks.map((t: { id: number }) => t.id)).toEqual([0]);
    await f.until(async () => (await status(sink)).tasks?.[0]?.state === 'RUNNING', 10_000, 'RUNNING');
    expect((await status(sink)).tasks).toMatchObject([{ id: 0, state: 'RUNNING' }]);
    // Act: the mapping drifts from the config (by hand, as after a failed update).
    const [mapping] = await f.mappings(sink);
    expect(mapping).toMatchObject({ State: 'Enabled', BatchSize: 7 });
    await f.aws.simulator.lambdaClient.send(
      new UpdateEventSourceMappingCommand({ UUID: mapping?.UUID, Enabled: false, BatchSize: 50 }),
    );
    // Assess: the reconciler puts it back.
    await f.until(
      async () => {
        const [m] = (await f.mappings(sink)) as { State?: string; BatchSize?: number }[];
        return m?.State === 'Enabled' && m.BatchSize === 7;
      },
      15_000,
      'Enabled with BatchSize 7 again',
    );
    // Act: a topic change replaces the mapping in the same group.
    const moved = uniqueName('esm-moved');
    await produce(moved, ['moved']);
    const put = await f.call('PUT', `/connectors/${sink}/config`, { ...config, topics: moved });
    // Assess
    expect(put.status).toBe(200);
    await f.until(() => lines(output).includes('moved'), 30_000, 'the moved topic');
    expect((await f.mappings(sink)).map((m) => [m.Topics, m.State])).toEqual([[[moved], 'Enabled']]);
  });
});

const SCHEMA = { type: 'struct', fields: [{ field: 'id', type: 'int32', optional: false }], optional: false };
