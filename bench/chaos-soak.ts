/**
 * A chaos soak (not in CI): a running set of connectors under the Lambda simulator, on a dev stack of its
 * own, while faults are mixed at random every few seconds — kill a task runner or a sink mid-invocation,
 * time one out, deliver async events twice, freeze a container past the session timeout, restart Kafka,
 * restart DynamoDB Local, take an HTTP sink's target down. Lines are appended to the source file the
 * whole time. At the end the writer stops, the pipeline drains, and the script prints the faults
 * injected, lines lost and duplicated per sink, and the task states.
 *
 *   sh scripts/node.sh tsx bench/chaos-soak.ts [minutes, default 10] [seed]
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng } from '../local/aws/async-queue.js';
import { startLocalAws } from '../local/local-aws.js';
import { startPrivateStack } from '../test/integration/aws/private-stack.js';

const MINUTES = Number(process.argv[2] ?? 10);
const SEED = Number(process.argv[3] ?? Date.now() % 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'sc-soak-'));
const random = prng(SEED);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const lines = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

console.log(`chaos soak: ${MINUTES} min, seed ${SEED}`);
const stack = await startPrivateStack();
const aws = await startLocalAws({
  root: process.cwd(),
  outdir: join(process.cwd(), '.data', 'cdk.out-soak'),
  brokers: stack.brokers,
  dynamodbEndpoint: stack.dynamodbEndpoint,
  apiPort: 0,
  lambdaPort: 0,
  faultPort: null,
  tickMs: 1_000,
  workerProperties: {
    'file.stream.enable': 'true',
    'file.stream.allowed.paths': dir,
    'http.sink.allow.private.networks': 'true',
  },
  environment: { POWERTOOLS_LOG_LEVEL: 'ERROR' },
  simulator: { onLog: () => {}, lambda: { async: { backoffMs: { initial: 200, max: 2_000 } } } },
});
const sim = aws.simulator;
const call = async (method: string, path: string, body?: unknown) => {
  const reply = await fetch(`${aws.apiUrl}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await reply.text();
  return { status: reply.status, body: text ? JSON.parse(text) : undefined };
};

let httpDown = false;
const posted: number[] = [];
const http = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    if (httpDown) return res.writeHead(503).end('down');
    posted.push(
      ...(JSON.parse(body) as { userid: string; registertime: number }[]).map((u) => u.registertime),
    );
    res.writeHead(200).end('ok');
  });
});
await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
const httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

const input = join(dir, 'in.txt');
const outputs = { mapped: join(dir, 'mapped.txt'), polled: join(dir, 'polled.txt') };
appendFileSync(input, '');
const connectors: [string, Record<string, string>][] = [
  ['soak-source', { 'connector.class': 'FileStreamSource', file: input, topic: 'soak' }],
  ['soak-mapped', { 'connector.class': 'FileStreamSink', file: outputs.mapped, topics: 'soak' }],
  [
    'soak-polled',
    {
      'connector.class': 'FileStreamSink',
      file: outputs.polled,
      'topics.regex': '^soak$',
      'consumer.override.session.timeout.ms': '6000',
      'consumer.override.heartbeat.interval.ms': '1000',
    },
  ],
];
for (const [name, config] of connectors) {
  const r = await call('POST', '/connectors', { name, config });
  if (r.status !== 201) throw new Error(`${name}: ${r.status} ${JSON.stringify(r.body)}`);
}

// The writer: 20 lines every 50 ms (400 lines/s), numbered, for the whole soak.
let written = 0;
const writer = setInterval(() => {
  appendFileSync(input, `${Array.from({ length: 20 }, () => `line ${written++}`).join('\n')}\n`);
}, 50);

const pool = (prefix: string) => sim.pools.get(sim.function(prefix).name);
const busy = (prefix: string) =>
  pool(prefix)
    ?.stats()
    .environments.find((e) => e.state === 'busy');
const faults: Record<string, number> = {};
const kinds: [string, () => Promise<void>][] = [
  [
    'kill task runner',
    async () => void (busy('TasksTaskRunner') && pool('TasksTaskRunner')?.kill(busy('TasksTaskRunner')!.id)),
  ],
  ['kill sink', async () => void (busy('TasksSink') && pool('TasksSink')?.kill(busy('TasksSink')!.id))],
  [
    'timeout task runner',
    async () => pool('TasksTaskRunner')?.timeoutNext(1, 200 + Math.round(random() * 2_000)),
  ],
  ['duplicate async', async () => sim.lambda.duplicateNext(5)],
  [
    'freeze task runner 10 s',
    async () => {
      for (const e of pool('TasksTaskRunner')?.stats().environments ?? [])
        pool('TasksTaskRunner')?.freezeFor(e.id, 10_000);
    },
  ],
  ['restart Kafka', () => stack.restart('kafka')],
  ['restart DynamoDB Local', () => stack.restart('dynamodb')],
  [
    'HTTP target down 20 s',
    async () => {
      httpDown = true;
      setTimeout(() => (httpDown = false), 20_000);
    },
  ],
];
const httpCreated = await call('POST', '/connectors', {
  name: 'soak-http',
  config: {
    'connector.class': 'HttpSink',
    topics: 'soak-users',
    'http.api.url': `${httpUrl}/u`,
    'retry.backoff.ms': '200',
  },
});
if (httpCreated.status !== 201) throw new Error(`soak-http: ${JSON.stringify(httpCreated.body)}`);
await call('POST', '/connectors', {
  name: 'soak-datagen',
  config: {
    'connector.class': 'io.confluent.kafka.connect.datagen.DatagenConnector',
    'kafka.topic': 'soak-users',
    quickstart: 'users',
    'max.interval': '20',
    iterations: '1000000000',
  },
});

const end = Date.now() + MINUTES * 60_000;
while (Date.now() < end) {
  await sleep(5_000 + Math.round(random() * 10_000));
  const [name, inject] = kinds[Math.floor(random() * kinds.length)] as [string, () => Promise<void>];
  faults[name] = (faults[name] ?? 0) + 1;
  console.log(`${new Date().toISOString().slice(11, 19)} fault: ${name}`);
  await inject().catch((e) => console.log(`  (${name} failed: ${(e as Error).message})`));
}
clearInterval(writer);
httpDown = false;
console.log(`writer stopped at ${written} lines; draining…`);
const drainUntil = Date.now() + 180_000;
while (Date.now() < drainUntil && Object.values(outputs).some((o) => new Set(lines(o)).size < written))
  await sleep(1_000);

const expected = Array.from({ length: written }, (_, i) => `line ${i}`);
for (const [name, file] of Object.entries(outputs)) {
  const got = lines(file);
  const unique = new Set(got);
  console.log(
    `${name} sink: ${unique.size}/${written} lines, lost ${expected.filter((l) => !unique.has(l)).length}, duplicates ${got.length - unique.size}`,
  );
}
console.log(
  `HTTP sink: ${new Set(posted).size} distinct users posted, ${posted.length - new Set(posted).size} duplicates`,
);
console.log('faults:', JSON.stringify(faults));
for (const [name] of [...connectors, ['soak-http'], ['soak-datagen']]) {
  const { body } = await call('GET', `/connectors/${name}/status`);
  const tasks = body?.tasks as { state: string; trace?: string }[] | undefined;
  console.log(
    `${name}: ${JSON.stringify(tasks?.map((t) => [t.state, t.trace?.split('\n').slice(0, 3).join(' | ')]) ?? body)}`,
  );
}
await aws.close();
await new Promise((r) => http.close(r));
await stack.stop();
process.exit(0);
