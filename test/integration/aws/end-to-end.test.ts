import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_URL, uniqueName } from '../../support/services.js';
import { type AwsFixture, awsFixture } from './local-aws-fixture.js';

// The whole AWS path on this machine, from the bundles `cdk synth` staged: REST → API Gateway →
// control-api function → Lambda API (alias + event source mapping) → the mapping's poller → sink alias
// → sink function; and EventBridge → dispatcher → async Invoke → task runner → Kafka. Real Kafka,
// DynamoDB Local, PostgreSQL and an HTTP server; nothing of ours runs outside a simulated Lambda.
let f: AwsFixture;
let db: pg.Client;
let http: Server;
let httpUrl = '';
const posted: Record<string, unknown>[] = [];

beforeAll(async () => {
  f = await awsFixture('e2e');
  db = new pg.Client({ connectionString: POSTGRES_URL });
  await db.connect();
  http = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      posted.push(...(JSON.parse(body) as Record<string, unknown>[]));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}, 240_000);

afterAll(async () => {
  await f?.dispose();
  await db?.end();
  await new Promise((r) => http?.close(r));
});

const lines = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

const datagen = (topic: string, iterations: number) => ({
  'connector.class': 'io.confluent.kafka.connect.datagen.DatagenConnector',
  'kafka.topic': topic,
  quickstart: 'orders',
  'max.interval': '0',
  iterations: String(iterations),
  'random.seed': '7',
  'tasks.max': '1',
});

describe('the AWS path end to end under the simulator', { timeout: 120_000 }, () => {
  it('FileStream source → Kafka → FileStream sink: scheduled task runner in, event source mapping out', async () => {
    // Prepare
    const topic = uniqueName('e2e-file');
    const input = join(f.dir, `${topic}.txt`);
    const output = join(f.dir, `${topic}-out.txt`);
    const expected = Array.from({ length: 300 }, (_, i) => `line ${i}`);
    writeFileSync(input, `${expected.join('\n')}\n`);
    const source = uniqueName('file-source');
    const sink = uniqueName('file-sink');
    // Act
    await f.create(source, { 'connector.class': 'FileStreamSource', file: input, topic });
    await f.create(sink, { 'connector.class': 'FileStreamSink', file: output, topics: topic });
    await f.until(() => lines(output).length >= expected.length, 90_000, 'the sink file');
    // Assess: every line, in order, once.
    expect(lines(output)).toEqual(expected);
    const [mapping] = await f.mappings(sink);
    expect(mapping).toMatchObject({ State: 'Enabled', Topics: [topic] });
    const status = await f.call('GET', `/connectors/${source}/status`);
    expect(status.body.tasks[0]).toMatchObject({ state: 'RUNNING' });
    // The task ran in the task runner function, started by the dispatcher's async invocations.
    expect(status.body.tasks[0].worker_id).toContain(f.aws.simulator.function('TasksTaskRunner').name);
    expect(f.pool('TasksSink').stats().invocations).toBeGreaterThan(0);
    const log = f.aws.simulator.lambda.asyncLog();
    expect(log.some((e) => e.functionName.includes('TaskRunner') && e.outcome === 'delivered')).toBe(true);
  });

  it('Datagen → Kafka → JDBC sink into PostgreSQL', async () => {
    // Prepare
    const topic = uniqueName('e2e_orders').replaceAll('-', '_');
    const table = topic;
    // Act
    await f.create(uniqueName('datagen'), datagen(topic, 120));
    await f.create(uniqueName('jdbc-sink'), {
      'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
      'connection.url': 'jdbc:postgresql://127.0.0.1:5432/test',
      'connection.user': 'postgres',
      topics: topic,
      'auto.create': 'true',
      'insert.mode': 'insert',
      // The orders' address is a struct; a table has columns.
      transforms: 'flatten',
      'transforms.flatten.type': 'org.apache.kafka.connect.transforms.Flatten$Value',
      'tasks.max': '1',
    });
    const count = async () => {
      try {
        return Number((await db.query(`SELECT count(*) AS n FROM "${table}"`)).rows[0].n);
      } catch {
        return 0;
      }
    };
    await f.until(async () => (await count()) >= 120, 90_000, 'the PostgreSQL rows');
    // Assess
    const ids = (await db.query(`SELECT orderid FROM "${table}" ORDER BY orderid`)).rows.map(
      (r) => r.orderid,
    );
    expect(ids).toEqual(Array.from({ length: 120 }, (_, i) => i));
    await db.query(`DROP TABLE IF EXISTS "${table}"`);
  });

  it('Datagen → Kafka → HTTP sink', async () => {
    // Prepare
    const topic = uniqueName('e2e-http');
    // Act
    await f.create(uniqueName('datagen'), datagen(topic, 80));
    await f.create(uniqueName('http-sink'), {
      'connector.class': 'HttpSink',
      topics: topic,
      'http.api.url': `${httpUrl}/orders`,
      'batch.max.size': '25',
      'tasks.max': '1',
    });
    await f.until(() => posted.length >= 80, 90_000, 'the HTTP posts');
    // Assess
    expect(posted.map((p) => p.orderid)).toEqual(Array.from({ length: 80 }, (_, i) => i));
  });

  it('disables the mapping on pause and enables it on resume; deleting removes mapping and alias', async () => {
    // Prepare
    const topic = uniqueName('e2e-pause');
    const sink = uniqueName('paused-sink');
    await f.create(sink, {
      'connector.class': 'FileStreamSink',
      file: join(f.dir, `${sink}.txt`),
      topics: topic,
    });
    await f.until(async () => (await f.mappings(sink)).length === 1, 30_000, 'the mapping');
    // Act / Assess
    expect((await f.call('PUT', `/connectors/${sink}/pause`)).status).toBe(202);
    await f.until(async () => (await f.mappings(sink))[0]?.State === 'Disabled', 30_000, 'Disabled');
    expect((await f.call('PUT', `/connectors/${sink}/resume`)).status).toBe(202);
    await f.until(async () => (await f.mappings(sink))[0]?.State === 'Enabled', 30_000, 'Enabled');
    expect((await f.call('DELETE', `/connectors/${sink}`)).status).toBe(204);
    await f.until(async () => (await f.mappings(sink)).length === 0, 30_000, 'no mapping');
  });
});
