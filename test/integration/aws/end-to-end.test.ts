import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_CLASSES } from '../../../lib/config/worker-properties.js';
import { type Moto, motoAvailable, startMoto } from '../../support/moto.js';
import { POSTGRES_URL, uniqueName } from '../../support/services.js';
import { type AwsFixture, awsFixture } from './local-aws-fixture.js';

// The whole AWS path on this machine, from the bundles `cdk synth` staged: REST → API Gateway →
// control-api function → Lambda API (alias + event source mapping) → the mapping's poller → sink alias
// → sink function; and EventBridge → dispatcher → async Invoke → task runner → Kafka. Real Kafka,
// DynamoDB Local, PostgreSQL and an HTTP server; nothing of ours runs outside a simulated Lambda.
let f: AwsFixture;
let db: pg.Client;
// The secrets our functions read come from moto's emulated Secrets Manager where it can run here.
const noMoto = motoAvailable();
if (noMoto) console.log(`end-to-end: the Secrets Manager test is skipped: ${noMoto}`);
let moto: Moto | undefined;
let http: Server;
let httpUrl = '';
const posted: Record<string, unknown>[] = [];
const authorizations: string[] = [];

beforeAll(async () => {
  moto = noMoto ? undefined : await startMoto();
  f = await awsFixture('e2e', {
    // As a deployment declares it (MSK Connect's class); on AWS, IAM grants exactly these secrets.
    workerProperties: {
      'config.providers': 'secretsmanager',
      'config.providers.secretsmanager.class': PROVIDER_CLASSES.secretsManager,
      'config.providers.secretsmanager.param.allowed.secrets': 'sc-e2e/*',
    },
    environment: {
      POWERTOOLS_LOG_LEVEL: 'WARN',
      ...(moto ? { AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint } : {}),
    },
  });
  db = new pg.Client({ connectionString: POSTGRES_URL });
  await db.connect();
  http = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      authorizations.push(String(req.headers.authorization));
      posted.push(...(JSON.parse(body) as Record<string, unknown>[]));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}, 240_000);

afterAll(async () => {
  await f?.dispose();
  await moto?.stop();
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
    // Delivered once the run ends: local mode's task lingers for 10 s after its last line (taskIdleMs).
    const delivered = () =>
      f.aws.simulator.lambda
        .asyncLog()
        .some((e) => e.functionName.includes('TaskRunner') && e.outcome === 'delivered');
    await f.until(delivered, 30_000, 'a delivered task runner invocation');
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

  it.skipIf(noMoto)(
    'resolves a Secrets Manager placeholder inside the sink function, never showing it',
    async () => {
      // Prepare
      const secret = `sc-e2e/${uniqueName('token')}`;
      const sm = new SecretsManagerClient({
        endpoint: moto?.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      });
      await sm.send(new CreateSecretCommand({ Name: secret, SecretString: '{"token":"e2e-s3cr3t"}' }));
      sm.destroy();
      const topic = uniqueName('e2e-secret');
      const sink = uniqueName('secret-sink');
      posted.length = 0;
      authorizations.length = 0;
      // Act
      await f.create(uniqueName('datagen'), datagen(topic, 10));
      await f.create(sink, {
        'connector.class': 'HttpSink',
        topics: topic,
        'http.api.url': `${httpUrl}/secret`,
        'auth.type': 'BEARER',
        'bearer.token': `\${secretsmanager:${secret}:token}`,
        'tasks.max': '1',
      });
      await f.until(() => posted.length >= 10, 90_000, 'the HTTP posts');
      // Assess
      expect(new Set(authorizations)).toEqual(new Set(['Bearer e2e-s3cr3t']));
      const shown = JSON.stringify([
        (await f.call('GET', `/connectors/${sink}`)).body,
        (await f.call('GET', `/connectors/${sink}/status`)).body,
      ]);
      expect(shown).not.toContain('e2e-s3cr3t');
      expect(f.logs.join('\n')).not.toContain('e2e-s3cr3t');
    },
  );

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
