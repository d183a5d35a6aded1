import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KAFKA_BROKERS, POSTGRES_URL, uniqueName } from '../../support/services.js';
import { readTopic } from '../connectors/support.js';
import { type AwsFixture, awsFixture } from './local-aws-fixture.js';

// The Lambda behaviours the system relies on, each met by our deployed functions under the simulator:
// a task runner killed at its timeout mid-batch, async events delivered twice, throttling at reserved
// concurrency, and an event source mapping retrying a batch its sink could not write. The functions keep
// the template's settings, but for the task runner's reserved concurrency (1, to be met quickly).
let f: AwsFixture;
let db: pg.Client;
const admin = new kafkajs.Kafka({ brokers: KAFKA_BROKERS, logLevel: kafkajs.logLevel.NOTHING }).admin();

beforeAll(async () => {
  f = await awsFixture('behaviours', {
    simulator: {
      functionSettings: { TasksTaskRunner: { reservedConcurrency: 1 } },
      lambda: { async: { backoffMs: { initial: 100, max: 500 } } },
    },
    environment: { POWERTOOLS_LOG_LEVEL: 'WARN' },
  });
  await admin.connect();
  db = new pg.Client({ connectionString: POSTGRES_URL });
  await db.connect();
}, 240_000);

afterAll(async () => {
  await f?.dispose();
  await admin.disconnect();
  await db?.end();
});

async function topicSize(topic: string): Promise<number> {
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
  } catch {
    return 0;
  }
}

const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag} ${i}`);

describe('Lambda behaviours the deployment relies on, under the simulator', { timeout: 120_000 }, () => {
  it('a task runner killed at its timeout mid-batch: a later run resumes within the lease, no line is lost', async () => {
    // Prepare
    const topic = uniqueName('killed');
    const file = join(f.dir, `${topic}.txt`);
    const expected = lines(400_000, 'killed');
    writeFileSync(file, `${expected.join('\n')}\n`);
    const runner = f.pool('TasksTaskRunner');
    runner.timeoutNext(1, 1_500);
    const timedOut = () =>
      f.aws.simulator.lambda
        .asyncLog()
        .some((e) => e.outcome === 'function-error' && e.detail === 'Sandbox.Timedout');
    // Act
    await f.create(uniqueName('killed-source'), { 'connector.class': 'FileStreamSource', file, topic });
    await f.until(timedOut, 30_000, 'the run to be killed');
    const atKill = await topicSize(topic);
    const killedAt = Date.now();
    // With the template's 300 s timeout: the killed run's lease must lapse long before its deadline.
    await f.until(async () => (await topicSize(topic)) >= expected.length, 90_000, 'every line');
    // Assess: killed mid-run (some lines out, not all); resumed within the lease; every line (at least once).
    expect(atKill).toBeLessThan(expected.length);
    expect(Date.now() - killedAt).toBeLessThan(60_000);
    const values = new Set((await readTopic(topic)).map((r) => JSON.parse(String(r.value)).payload));
    expect(expected.filter((l) => !values.has(l))).toEqual([]);
  });

  it('async events delivered twice never run one task twice: each line once', async () => {
    // Prepare
    const topic = uniqueName('twice');
    const file = join(f.dir, `${topic}.txt`);
    const expected = lines(500, 'twice');
    writeFileSync(file, `${expected.join('\n')}\n`);
    f.aws.simulator.lambda.setDuplicateRate(1);
    // Act
    try {
      await f.create(uniqueName('twice-source'), { 'connector.class': 'FileStreamSource', file, topic });
      await f.until(async () => (await topicSize(topic)) >= expected.length, 60_000, 'every line');
      await new Promise((r) => setTimeout(r, 3_000));
    } finally {
      f.aws.simulator.lambda.setDuplicateRate(0);
    }
    // Assess: the duplicates were delivered, and the lease let only one copy run the task.
    const log = f.aws.simulator.lambda.asyncLog();
    expect(log.some((e) => e.copy === 2 && e.outcome === 'delivered')).toBe(true);
    expect(await topicSize(topic)).toBe(expected.length);
  });

  it('throttled at reserved concurrency 1, three tasks still all run: Lambda retries the events', async () => {
    // Prepare
    const topic = uniqueName('throttled');
    // Act
    await f.create(uniqueName('throttled-datagen'), {
      'connector.class': 'io.confluent.kafka.connect.datagen.DatagenConnector',
      'kafka.topic': topic,
      quickstart: 'users',
      'max.interval': '0',
      iterations: '50',
      'tasks.max': '3',
    });
    await f.until(async () => (await topicSize(topic)) >= 150, 90_000, 'three tasks × 50 records');
    // Assess
    const log = f.aws.simulator.lambda.asyncLog();
    expect(log.some((e) => e.functionName.includes('TaskRunner') && e.outcome === 'throttled')).toBe(true);
    expect(f.pool('TasksTaskRunner').stats().throttles).toBeGreaterThan(0);
  });

  it('a sink whose task fails loses nothing: the mapping retries the batch until a restart writes it', async () => {
    // Prepare: the target table does not exist and auto.create is off, so the task fails.
    const table = uniqueName('esm_retry').replaceAll('-', '_');
    const topic = table;
    const sink = uniqueName('retry-sink');
    await f.create(uniqueName('retry-datagen'), {
      'connector.class': 'io.confluent.kafka.connect.datagen.DatagenConnector',
      'kafka.topic': topic,
      quickstart: 'users',
      'max.interval': '0',
      iterations: '40',
      'random.seed': '3',
      'tasks.max': '1',
    });
    await f.until(async () => (await topicSize(topic)) >= 40, 60_000, 'the records');
    await f.create(sink, {
      'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
      'connection.url': 'jdbc:postgresql://127.0.0.1:5432/test',
      'connection.user': 'postgres',
      topics: topic,
      'auto.create': 'false',
      'tasks.max': '1',
    });
    await f.until(
      async () => (await f.call('GET', `/connectors/${sink}/status`)).body?.tasks?.[0]?.state === 'FAILED',
      60_000,
      'the task to fail',
    );
    // Act: the table appears, the connector is restarted.
    await db.query(`CREATE TABLE "${table}" (registertime BIGINT, userid TEXT, regionid TEXT, gender TEXT)`);
    try {
      const restart = await f.call('POST', `/connectors/${sink}/restart?includeTasks=true`);
      expect([202, 204]).toContain(restart.status);
      const count = async () => Number((await db.query(`SELECT count(*) AS n FROM "${table}"`)).rows[0].n);
      await f.until(async () => (await count()) >= 40, 60_000, 'every row after the restart');
      // Assess: every record, none skipped by a commit of the failed batches.
      expect(await count()).toBeGreaterThanOrEqual(40);
      const users = (await db.query(`SELECT DISTINCT userid FROM "${table}"`)).rows;
      expect(users.length).toBeGreaterThan(0);
    } finally {
      await db.query(`DROP TABLE IF EXISTS "${table}"`);
    }
  });
});
