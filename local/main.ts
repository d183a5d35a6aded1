import { rmSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { providerSpecs, WORKER_PROPERTIES_ENV } from '../lib/config/worker-properties.js';
import { ENV } from '../lib/env.js';
import { KafkaAdmin } from '../lib/kafka/admin.js';
import { createKafka } from '../lib/kafka/client.js';
import { createDynamoClient, dynamoStateStore } from '../lib/store/index.js';
import { startClickWriter } from './clicks.js';
import { startLocalAws } from './local-aws.js';
import { startProgress } from './progress.js';
import { devStack, down, restart, up } from './stack/stack.js';
import { localWorkerProperties } from './worker-properties.js';

// `npm start`: the whole product on one machine — the dev stack, and the stack `cdk deploy` creates run
// under the Lambda simulator: the REST API on 127.0.0.1:8083 through the simulated API Gateway, the
// dispatcher on its schedule, task runners and sinks as simulated Lambdas. An example pipeline to watch.
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
// The worker's settings, as a Kafka Connect operator writes them in connect-distributed.properties; the
// functions get them as a deployment's workerProperties (local/worker-properties.ts).
const workerConfigAt = process.argv.indexOf('--worker-config');
const workerConfigFile = workerConfigAt >= 0 ? process.argv[workerConfigAt + 1] : undefined;
if (workerConfigAt >= 0 && !workerConfigFile) throw new Error('--worker-config needs a file');
const examplesDir = resolve('.data/examples');
const workerProperties = await localWorkerProperties({ file: workerConfigFile, examplesDir });
const declared = providerSpecs(workerProperties).map((spec) => spec.name);
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
  for (const d of ['kafka', 'dynamodb', 'examples', 'lambda-state.json'])
    rmSync(join(stack.settings.dataDir, d), { recursive: true, force: true });
}
const states = external ? [] : await up(stack);
for (const s of states)
  console.log(`${s.name}: ${s.state} at ${s.endpoint}${s.ms ? ` in ${(s.ms / 1000).toFixed(1)}s` : ''}`);
for (const s of states) if (s.warning) console.warn(`warning: ${s.warning}`);
const startedHere = states.filter((s) => s.state === 'started').length > 0;

const env = process.env;
const brokers = env[ENV.kafkaBrokers] ?? stack.services[0]!.endpoint;
const dynamodbEndpoint = env[ENV.dynamodbEndpoint] ?? stack.services[1]!.endpoint;
// The AWS shape in miniature: the stack `cdk deploy` would create, its functions under the Lambda
// simulator, the REST API behind the simulated API Gateway, the dispatcher on its schedule.
const restartable: Record<string, () => Promise<void>> = {};
if (!external)
  for (const name of ['kafka', 'dynamodb'])
    restartable[name] = async () => {
      await restart(stack, name);
    };
const aws = await startLocalAws({
  root: process.cwd(),
  brokers,
  dynamodbEndpoint,
  apiPort: port,
  tickMs,
  workerProperties,
  // An id per start in every lease owner: the leases of a killed earlier start are freed at once.
  instance: { dataDir: stack.settings.dataDir },
  // Function logs stay quiet on the terminal; warnings and errors still show.
  environment: { POWERTOOLS_LOG_LEVEL: env.POWERTOOLS_LOG_LEVEL ?? 'WARN' },
  simulator: {
    // Lambda keeps aliases and event source mappings whatever happens on our side: so does the simulator.
    lambda: { stateFile: join(stack.settings.dataDir, 'lambda-state.json') },
    restart: restartable,
    onLog: (fn, line) => {
      if (/"level":"(WARN|ERROR|CRITICAL)"|Error|error/.test(line))
        console.error(`\n[${shortName(fn)}] ${line}`);
    },
  },
});
console.log(
  `cdk synth: ${aws.synth.reused ? 'reused .data/cdk.out' : `built .data/cdk.out in ${(aws.synth.ms / 1000).toFixed(1)}s`}`,
);
if (aws.instance?.reclaimed.length)
  console.log(`recovery: freed ${aws.instance.reclaimed.length} task lease(s) of the killed earlier start`);
for (const fn of aws.simulator.functions)
  console.log(
    `  λ ${shortName(fn.name)}: ${fn.memorySize} MB, ${fn.timeout}s${fn.reservedConcurrency === undefined ? '' : `, reserved ${fn.reservedConcurrency}`}`,
  );
const server = { url: aws.apiUrl };
console.log(`Kafka Connect REST API on ${server.url}  (try: curl -s ${server.url}/connectors?expand=status)`);
console.log(
  `Lambda API on ${aws.simulator.lambda.url}, faults on ${aws.simulator.faultsUrl}/faults (docs/lambda-simulator.md)`,
);

let writer: { stop(): void } | undefined;
if (!args.has('--no-examples')) {
  writer = startClickWriter(join(examplesDir, 'clicks.txt'), 40);
  for (const file of (await readdir('examples')).filter((f) => f.endsWith('.json')).sort()) {
    // A Lambda's working directory is its task root: files are named from the repository, absolutely.
    const example = JSON.parse(await readFile(join('examples', file), 'utf8')) as {
      name: string;
      config: Record<string, string>;
    };
    if (example.config.file) example.config.file = resolve(example.config.file);
    const body = JSON.stringify(example);
    const reply = await fetch(`${server.url}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const { name } = example;
    // 409: it exists from an earlier start and resumes from its committed offsets.
    console.log(
      `example ${name}: ${reply.status === 201 ? 'created' : reply.status === 409 ? 'resumed' : `HTTP ${reply.status} ${await reply.text()}`}`,
    );
  }
}
const store = dynamoStateStore({
  client: createDynamoClient({ endpoint: dynamodbEndpoint }),
  tables: aws.tables,
});
const admin = new KafkaAdmin(createKafka({ brokers: brokers.split(',') }));
const progress = startProgress({ store, admin });
console.log('Ctrl-C stops everything this command started.');

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping…');
  writer?.stop();
  progress.stop();
  await aws.close();
  await admin.disconnect();
  if (startedHere) await down(stack);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());

/** `ServerlessConnect-TaskRunner1A2B-…` → `TaskRunner1A2B`: the logical id is what a person recognises. */
function shortName(name: string): string {
  return name.split('-')[1] ?? name;
}
