import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../../lib/env.js';
import { createRuntime, type RuntimeEnvironment } from '../../../lib/runtime/environment.js';
import { TaskRunner } from '../../../lib/runtime/task-runner.js';
import { workerConfigFromEnv } from '../../../lib/runtime/worker-config.js';
import { createDynamoClient, ensureTables } from '../../../lib/store/index.js';
import { startScheduler } from '../../../local/scheduler.js';
import { type ControlServer, startControlServer } from '../../../local/server.js';
import { DYNAMODB_ENDPOINT, KAFKA_BROKERS, uniqueName } from '../../support/services.js';

// Local mode as `npm start` composes it — the control-api handler behind the local HTTP server, the
// scheduler calling the dispatcher, the task runner — driven only through the REST API.
const dir = mkdtempSync(join(tmpdir(), 'sc-rest-'));
const tables = {
  configs: uniqueName('rest-configs'),
  status: uniqueName('rest-status'),
  offsets: uniqueName('rest-offsets'),
};
const dynamo = createDynamoClient({ endpoint: DYNAMODB_ENDPOINT });
let server: ControlServer;
let runtime: RuntimeEnvironment;
let runner: TaskRunner;
let scheduler: { stop(): Promise<void> };

beforeAll(async () => {
  await ensureTables(dynamo, tables);
  Object.assign(process.env, {
    [ENV.kafkaBrokers]: KAFKA_BROKERS.join(','),
    [ENV.dynamodbEndpoint]: DYNAMODB_ENDPOINT,
    [ENV.configsTable]: tables.configs,
    [ENV.statusTable]: tables.status,
    [ENV.offsetsTable]: tables.offsets,
    [ENV.workerId]: '127.0.0.1:8083',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  const { handler } = await import('../../../functions/control-api.js');
  server = await startControlServer({ port: 0, handler });
  const worker = workerConfigFromEnv(process.env);
  worker.batch.safetyMarginMs = 200;
  runtime = createRuntime({
    kafka: { brokers: KAFKA_BROKERS },
    dynamodbEndpoint: DYNAMODB_ENDPOINT,
    tables,
    worker,
    log: { info() {}, error() {} },
  });
  runner = new TaskRunner(runtime);
  scheduler = startScheduler({
    store: runtime.store,
    runner,
    workerId: worker.workerId,
    tickMs: 200,
    budgetMs: 2_000,
  });
});

afterAll(async () => {
  await scheduler.stop();
  await runner.close();
  await runtime.close();
  await server.close();
  await Promise.all(
    Object.values(tables).map((TableName) => dynamo.send(new DeleteTableCommand({ TableName }))),
  );
  dynamo.destroy();
});

async function call(method: string, path: string, body?: unknown) {
  const reply = await fetch(`${server.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await reply.text();
  return { status: reply.status, body: text ? JSON.parse(text) : undefined };
}

const lines = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

async function eventually<T>(
  probe: () => Promise<T> | T,
  accept: (v: T) => boolean,
  timeoutMs = 20_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const state = async (name: string) => (await call('GET', `/connectors/${name}/status`)).body;

describe('file → Kafka → file through the REST API', () => {
  const input = join(dir, 'in.txt');
  const output = join(dir, 'out.txt');
  const topic = uniqueName('rest-lines');
  const source = uniqueName('rest-src');
  const sink = uniqueName('rest-sink');

  it('moves every line in order once both connectors are created', async () => {
    // Prepare
    const sent = Array.from({ length: 500 }, (_, i) => `event ${i}`);
    writeFileSync(input, `${sent.join('\n')}\n`);
    // Act
    const created = await call('POST', '/connectors', {
      name: source,
      config: { 'connector.class': 'FileStreamSource', file: input, topic },
    });
    await call('POST', '/connectors', {
      name: sink,
      config: { 'connector.class': 'FileStreamSink', file: output, topics: topic },
    });
    await eventually(
      () => lines(output),
      (l) => l.length >= sent.length,
    );
    // Assess
    expect(created.status).toBe(201);
    expect(lines(output)).toEqual(sent);
    const status = await eventually(
      () => state(source),
      (s) => s.tasks[0]?.state === 'RUNNING',
    );
    expect(status).toEqual({
      name: source,
      connector: { state: 'RUNNING', worker_id: '127.0.0.1:8083' },
      tasks: [{ id: 0, state: 'RUNNING', worker_id: '127.0.0.1:8083' }],
      type: 'source',
    });
    const offsets = await call('GET', `/connectors/${source}/offsets`);
    expect(offsets.body).toEqual({
      offsets: [{ partition: { filename: input }, offset: { position: readFileSync(input).length } }],
    });
    // Topics are recorded with the task's status, when its run ends: shortly after the data landed.
    const topics = await eventually(
      () => call('GET', `/connectors/${sink}/topics`),
      (r) => r.body[sink].topics.length > 0,
    );
    expect(topics.body).toEqual({ [sink]: { topics: [topic] } });
  });

  it('stops moving data while paused, and resumes where it stopped', async () => {
    // Act: pause, then write more
    expect((await call('PUT', `/connectors/${source}/pause`)).status).toBe(202);
    const paused = await eventually(
      () => state(source),
      (s) => s.tasks[0]?.state === 'PAUSED',
    );
    const before = lines(output).length;
    appendFileSync(input, 'written while paused\n');
    await new Promise((r) => setTimeout(r, 1_500));
    const whilePaused = lines(output).length;
    expect((await call('PUT', `/connectors/${source}/resume`)).status).toBe(202);
    await eventually(
      () => lines(output),
      (l) => l.length === before + 1,
    );
    // Assess
    expect(paused.connector.state).toBe('PAUSED');
    expect(whilePaused).toBe(before);
    expect(lines(output).at(-1)).toBe('written while paused');
  });

  it('stops a connector (no tasks) and brings it back with resume', async () => {
    expect((await call('PUT', `/connectors/${source}/stop`)).status).toBe(204);
    const stopped = await state(source);
    appendFileSync(input, 'written while stopped\n');
    await new Promise((r) => setTimeout(r, 1_000));
    const whileStopped = lines(output).length;
    await call('PUT', `/connectors/${source}/resume`);
    await eventually(
      () => lines(output),
      (l) => l.at(-1) === 'written while stopped',
    );
    expect(stopped).toMatchObject({ connector: { state: 'STOPPED' }, tasks: [] });
    expect(lines(output).length).toBe(whileStopped + 1);
  });

  it('lets a stopped sink’s offsets be altered: its consumer has left the group', async () => {
    // Act
    expect((await call('PUT', `/connectors/${sink}/stop`)).status).toBe(204);
    const altered = await eventually(
      () =>
        call('PATCH', `/connectors/${sink}/offsets`, {
          offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 1 } }],
        }),
      (r) => r.status === 200,
      30_000,
      2_000, // the task's run ends within its 2 s budget; then the scheduler evicts it
    );
    const offsets = await call('GET', `/connectors/${sink}/offsets`);
    // Assess
    expect(altered.body.message).toContain('altered successfully');
    expect(offsets.body).toEqual({
      offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 1 } }],
    });
  });
});

describe('failure and restart through the REST API', () => {
  it('shows a FAILED task with its trace and brings it back with a restart', async () => {
    // Prepare: a source whose input does not start well — its topic name is fine, but the sink's directory is missing.
    const topic = uniqueName('rest-restart');
    const missing = join(dir, uniqueName('missing'));
    const name = uniqueName('rest-failing');
    const input = join(dir, `${name}.txt`);
    writeFileSync(input, 'one\ntwo\n');
    await call('POST', '/connectors', {
      name: uniqueName('rest-src2'),
      config: { 'connector.class': 'FileStreamSource', file: input, topic },
    });
    await call('POST', '/connectors', {
      name,
      config: { 'connector.class': 'FileStreamSink', file: join(missing, 'out.txt'), topics: topic },
    });
    const failed = await eventually(
      () => state(name),
      (s) => s.tasks[0]?.state === 'FAILED',
    );
    mkdirSync(missing);
    // Act
    const restart = await call('POST', `/connectors/${name}/restart?includeTasks=true&onlyFailed=true`);
    await eventually(
      () => lines(join(missing, 'out.txt')),
      (l) => l.length === 2,
    );
    // Assess
    expect(failed.tasks[0].trace).toContain("Couldn't find or create file");
    expect(restart.status).toBe(202);
    expect(restart.body.tasks[0].state).toBe('RESTARTING');
    const back = await eventually(
      () => state(name),
      (s) => s.tasks[0]?.state === 'RUNNING',
    );
    expect(back.tasks[0].trace).toBeUndefined();
  });
});
