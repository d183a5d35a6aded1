/**
 * Local mode through the Lambda simulator against the in-process path it replaced, in the same run:
 *   1. cold start per function under the simulator: the bundle's init (inside the environment) and the
 *      first and second call as their triggers make them (API Gateway, Invoke);
 *   2. a FileStream pipeline end to end (file → FileStreamSource → Kafka → FileStreamSink → file),
 *      records/s from the POST of the connectors to the last line written, in each mode.
 * Loopback only; needs the dev stack (`npm run stack -- up`).
 *
 *   sh scripts/node.sh tsx bench/local-modes.ts [lines, default 100000]
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { WORKER_PROPERTIES_ENV } from '../lib/config/worker-properties.js';
import { ENV } from '../lib/env.js';
import { createRuntime } from '../lib/runtime/environment.js';
import { TaskRunner } from '../lib/runtime/task-runner.js';
import { workerConfigFromEnv } from '../lib/runtime/worker-config.js';
import { createDynamoClient, ensureTables } from '../lib/store/index.js';
import { startLocalAws } from '../local/local-aws.js';
import { startScheduler } from '../local/scheduler.js';
import { startControlServer } from '../local/server.js';

const BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const DDB = process.env.DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:8000';
const N = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 100_000);
const TICK_MS = 1_000;
const id = Date.now().toString(36);
const dir = mkdtempSync(join(tmpdir(), 'sc-modes-'));
const workerProperties = { 'file.stream.enable': 'true', 'file.stream.allowed.paths': dir };

const countLines = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;

/** POSTs a FileStream source and sink on a fresh topic; answers seconds until the sink wrote N lines. */
async function pipeline(url: string, tag: string): Promise<number> {
  const topic = `modes-${tag}-${id}`;
  const input = join(dir, `${topic}.txt`);
  const output = join(dir, `${topic}-out.txt`);
  writeFileSync(
    input,
    `${Array.from({ length: N }, (_, i) => `record ${i} ${'x'.repeat(80)}`).join('\n')}\n`,
  );
  const started = performance.now();
  for (const [name, config] of [
    [`${topic}-source`, { 'connector.class': 'FileStreamSource', file: input, topic }],
    [`${topic}-sink`, { 'connector.class': 'FileStreamSink', file: output, topics: topic }],
  ] as const) {
    const reply = await fetch(`${url}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, config }),
    });
    if (reply.status !== 201) throw new Error(`${name}: ${reply.status} ${await reply.text()}`);
  }
  while (countLines(output) < N) {
    if (performance.now() - started > 600_000) throw new Error(`${tag}: not done in 10 minutes`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return (performance.now() - started) / 1000;
}

async function inProcess(): Promise<number> {
  const tables = { configs: `modes-${id}-c`, status: `modes-${id}-s`, offsets: `modes-${id}-o` };
  const dynamo = createDynamoClient({ endpoint: DDB });
  await ensureTables(dynamo, tables);
  dynamo.destroy();
  Object.assign(process.env, {
    [ENV.kafkaBrokers]: BROKERS,
    [ENV.dynamodbEndpoint]: DDB,
    [ENV.configsTable]: tables.configs,
    [ENV.statusTable]: tables.status,
    [ENV.offsetsTable]: tables.offsets,
    [WORKER_PROPERTIES_ENV]: JSON.stringify(workerProperties),
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  const { handler } = await import('../functions/control-api.js');
  const server = await startControlServer({ port: 0, handler });
  const runtime = createRuntime({
    kafka: { brokers: BROKERS.split(',') },
    dynamodbEndpoint: DDB,
    tables,
    worker: workerConfigFromEnv(process.env),
    log: { info() {}, error: (m) => console.error(m) },
  });
  const runner = new TaskRunner(runtime);
  const scheduler = startScheduler({
    store: runtime.store,
    runner,
    workerId: 'bench',
    tickMs: TICK_MS,
    budgetMs: runtime.worker.batch.maxDurationMs,
  });
  try {
    return await pipeline(server.url, 'inprocess');
  } finally {
    await scheduler.stop();
    await runner.close();
    await server.close();
    await runtime.close();
  }
}

async function simulated<T>(
  tickMs: number,
  use: (aws: Awaited<ReturnType<typeof startLocalAws>>) => Promise<T>,
): Promise<T> {
  const aws = await startLocalAws({
    root: process.cwd(),
    brokers: BROKERS,
    dynamodbEndpoint: DDB,
    apiPort: 0,
    lambdaPort: 0,
    faultPort: null,
    tickMs,
    tableSuffix: `-modes-${id}-${tickMs}`,
    workerProperties,
    environment: { POWERTOOLS_LOG_LEVEL: 'ERROR' },
    simulator: { onLog: () => {} },
  });
  try {
    return await use(aws);
  } finally {
    await aws.close();
  }
}

/** Each function's first and second call through its trigger, before anything else ran it. */
async function coldStarts(aws: Awaited<ReturnType<typeof startLocalAws>>): Promise<string[]> {
  const { simulator } = aws;
  const calls: Record<string, () => Promise<unknown>> = {
    ControlApi: () => fetch(`${aws.apiUrl}/connectors`).then((r) => r.text()),
    Dispatcher: () => invoke(simulator.function('Dispatcher').name, {}),
    TasksTaskRunner: () => invoke(simulator.function('TasksTaskRunner').name, { connector: 'none', task: 0 }),
    TasksSink: () =>
      invoke(simulator.function('TasksSink').name, { eventSource: 'SelfManagedKafka', records: {} }),
  };
  async function invoke(name: string, event: unknown) {
    const reply = await simulator.lambdaClient.send(
      new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }),
    );
    if (reply.FunctionError) throw new Error(`${name}: ${Buffer.from(reply.Payload ?? []).toString()}`);
  }
  const rows: string[] = [];
  for (const [prefix, call] of Object.entries(calls)) {
    const fn = simulator.function(prefix);
    const first = performance.now();
    await call();
    const firstMs = performance.now() - first;
    const second = performance.now();
    await call();
    const secondMs = performance.now() - second;
    const env = simulator.pools.get(fn.name)?.stats().environments[0];
    rows.push(
      `${prefix.padEnd(16)} init ${env?.initMs?.toFixed(0).padStart(5)} ms   first call ${firstMs.toFixed(0).padStart(5)} ms   warm call ${secondMs.toFixed(0).padStart(4)} ms`,
    );
  }
  return rows;
}

console.log(
  `FileStream pipeline, ${N} lines of ~90 B, dispatcher tick ${TICK_MS} ms, same broker and DynamoDB Local`,
);
// No schedule during the cold starts (an hour's rate), so no tick warms a function first.
const cold = await simulated(3_600_000, coldStarts);
console.log('cold start under the simulator (bundle from cdk.out; init measured inside the environment):');
for (const row of cold) console.log(`  ${row}`);
const sim = { seconds: await simulated(TICK_MS, (aws) => pipeline(aws.apiUrl, 'simulated')) };
const local = await inProcess();
const rate = (s: number) => `${(N / s).toFixed(0).padStart(7)} records/s (${s.toFixed(1)} s)`;
console.log(`in-process local mode (before): ${rate(local)}`);
console.log(
  `through the simulator (now):    ${rate(sim.seconds)}   ratio ${(local / sim.seconds).toFixed(2)}`,
);
process.exit(0);
