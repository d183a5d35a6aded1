import { rmSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { deploymentFromEnv } from '../lib/config/deployment.js';
import { parseProperties } from '../lib/config/providers/properties.js';
import { WORKER_PROPERTIES_ENV } from '../lib/config/worker-properties.js';
import { ENV } from '../lib/env.js';
import { createRuntime } from '../lib/runtime/environment.js';
import { TaskRunner } from '../lib/runtime/task-runner.js';
import { workerConfigFromEnv } from '../lib/runtime/worker-config.js';
import { createDynamoClient, ensureTables, tableNamesFromEnv } from '../lib/store/index.js';
import { startClickWriter } from './clicks.js';
import { startProgress } from './progress.js';
import { startScheduler } from './scheduler.js';
import { startControlServer } from './server.js';
import { devStack, down, up } from './stack/stack.js';

// `npm start`: the whole product on one machine — dev stack, REST API on 127.0.0.1:8083, the scheduler
// calling the same dispatcher and task runner as on AWS, and an example pipeline to watch.
const args = new Set(process.argv.slice(2));
if (args.has('--help')) {
  console.log(`usage: npm start [-- --no-examples] [--fresh] [--tick-ms N] [--port N] [--worker-config FILE]
  --no-examples        start without the example pipeline
  --fresh              wipe the local data (Kafka log dirs, DynamoDB Local, example files) first
  --worker-config FILE Kafka worker properties: config.providers (none unless declared), override policy,
                       tasks.max.limit, … (docs/security.md); or the same as JSON in ${WORKER_PROPERTIES_ENV}
  env: KAFKA_BROKERS / DYNAMODB_ENDPOINT use existing services instead of the dev stack`);
  process.exit(0);
}
const option = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  const n = Number(process.argv[i + 1]);
  return i >= 0 && Number.isFinite(n) && n > 0 ? n : fallback;
};
const port = option('--port', 8083);
// The worker's settings, as a Kafka Connect operator writes them in connect-distributed.properties. They
// travel in the environment so the control API handler and the worker below read the very same ones.
const workerConfigAt = process.argv.indexOf('--worker-config');
if (workerConfigAt >= 0) {
  const file = process.argv[workerConfigAt + 1];
  if (!file) throw new Error('--worker-config needs a file');
  const worker = parseProperties(await readFile(file, 'utf8'));
  process.env[WORKER_PROPERTIES_ENV] = JSON.stringify(worker);
}
const deployment = deploymentFromEnv(process.env);
const declared = Object.keys(deployment.providers);
console.log(
  declared.length > 0
    ? `config providers: ${declared.join(', ')} (declared by the worker config)`
    : 'config providers: none (declare them with --worker-config, see docs/security.md)',
);
const tickMs = option('--tick-ms', Number(process.env.SC_TICK_MS) || 2_000);

const stack = devStack();
const external = Boolean(process.env.KAFKA_BROKERS && process.env.DYNAMODB_ENDPOINT);
if (args.has('--fresh') && !external) {
  await down(stack);
  for (const d of ['kafka', 'dynamodb', 'examples'])
    rmSync(join(stack.settings.dataDir, d), { recursive: true, force: true });
}
const states = external ? [] : await up(stack);
for (const s of states)
  console.log(`${s.name}: ${s.state} at ${s.endpoint}${s.ms ? ` in ${(s.ms / 1000).toFixed(1)}s` : ''}`);
for (const s of states) if (s.warning) console.warn(`warning: ${s.warning}`);
const startedHere = states.filter((s) => s.state === 'started').length > 0;

const env = process.env;
env[ENV.kafkaBrokers] ??= stack.services[0]!.endpoint;
env[ENV.dynamodbEndpoint] ??= stack.services[1]!.endpoint;
env[ENV.workerId] ??= `127.0.0.1:${port}`;
const tables = tableNamesFromEnv(env);
const dynamo = createDynamoClient({ endpoint: env[ENV.dynamodbEndpoint] });
await ensureTables(dynamo, tables);
dynamo.destroy();

// Request logs stay quiet on the terminal; warnings and errors still show.
env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
const { handler } = await import('../functions/control-api.js');
const server = await startControlServer({ port, handler });
console.log(`Kafka Connect REST API on ${server.url}  (try: curl -s ${server.url}/connectors?expand=status)`);

const runtime = createRuntime({
  kafka: { brokers: env[ENV.kafkaBrokers]!.split(',') },
  dynamodbEndpoint: env[ENV.dynamodbEndpoint],
  tables,
  worker: workerConfigFromEnv(env),
  log: { info: () => {}, error: (message, extra) => console.error(`\n${message} ${JSON.stringify(extra)}`) },
  providers: deployment.providers,
  plugins: deployment.plugins,
});
const runner = new TaskRunner(runtime);
const scheduler = startScheduler({
  store: runtime.store,
  runner,
  workerId: env[ENV.workerId]!,
  tickMs,
  budgetMs: runtime.worker.batch.maxDurationMs,
});

let writer: { stop(): void } | undefined;
if (!args.has('--no-examples')) {
  writer = startClickWriter(resolve('.data/examples/clicks.txt'), 40);
  for (const file of (await readdir('examples')).filter((f) => f.endsWith('.json')).sort()) {
    const body = await readFile(join('examples', file), 'utf8');
    const reply = await fetch(`${server.url}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const name = (JSON.parse(body) as { name: string }).name;
    // 409: it exists from an earlier start and resumes from its committed offsets.
    console.log(
      `example ${name}: ${reply.status === 201 ? 'created' : reply.status === 409 ? 'resumed' : `HTTP ${reply.status} ${await reply.text()}`}`,
    );
  }
}
const progress = startProgress({ store: runtime.store, admin: runtime.admin });
console.log('Ctrl-C stops everything this command started.');

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping…');
  writer?.stop();
  progress.stop();
  await scheduler.stop();
  await runner.close();
  await server.close();
  await runtime.close();
  if (startedHere) await down(stack);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
