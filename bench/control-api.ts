/**
 * Control API latency through the local server (node:http → API Gateway event → middy handler →
 * herder → DynamoDB Local), loopback only: p50/p99 of `GET /connectors/{c}/status` and
 * `POST /connectors` (a FileStreamSource create: validate, start, taskConfigs, 1 config + 2 status
 * writes). Bounded: fixed request counts, sequential, fresh tables dropped at the end.
 *
 *   sh scripts/node.sh tsx bench/control-api.ts [creates=200] [reads=500]
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { controlApiHandler } from '../functions/control-api.js';
import { createHerder } from '../lib/control/herder.js';
import { restApi } from '../lib/control/rest/routes.js';
import { createKafka, KafkaAdmin } from '../lib/kafka/index.js';
import { plugins } from '../lib/plugins.js';
import { createDynamoClient, dynamoStateStore, ensureTables } from '../lib/store/index.js';
import { startControlServer } from '../local/server.js';
import { DYNAMODB_ENDPOINT, KAFKA_BROKERS, uniqueName } from '../test/support/services.js';

const creates = Number(process.argv[2] ?? 200);
const reads = Number(process.argv[3] ?? 500);
const WARMUP = 20;

const client = createDynamoClient({ endpoint: DYNAMODB_ENDPOINT });
const tables = {
  configs: uniqueName('bench-configs'),
  status: uniqueName('bench-status'),
  offsets: uniqueName('bench-offsets'),
};
await ensureTables(client, tables);
const store = dynamoStateStore({ client, tables });
const admin = new KafkaAdmin(createKafka({ brokers: KAFKA_BROKERS }));
const herder = createHerder({ store, plugins: plugins(), workerId: '127.0.0.1:8083', admin: () => admin });
const api = restApi(herder);
const logger = new Logger({ serviceName: 'control-api-bench', logLevel: 'SILENT' });
const server = await startControlServer({ port: 0, handler: controlApiHandler(async () => api, logger) });

async function timed(method: string, path: string, body?: unknown, expected = 200): Promise<number> {
  const start = performance.now();
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await res.arrayBuffer();
  const ms = performance.now() - start;
  if (res.status !== expected) throw new Error(`${method} ${path}: ${res.status}`);
  return ms;
}

function create(name: string) {
  const config = { 'connector.class': 'FileStreamSource', topic: 'bench', file: '/tmp/bench.txt' };
  return timed('POST', '/connectors', { name, config }, 201);
}

function summary(label: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return `${label.padEnd(28)} n=${String(sorted.length).padStart(4)}  p50=${at(0.5).toFixed(2)} ms  p99=${at(0.99).toFixed(2)} ms  mean=${mean.toFixed(2)} ms  max=${at(1).toFixed(2)} ms`;
}

try {
  for (let i = 0; i < WARMUP; i++) await create(`warm-${i}`);
  const createMs: number[] = [];
  for (let i = 0; i < creates; i++) createMs.push(await create(`c-${i}`));
  for (let i = 0; i < WARMUP; i++) await timed('GET', `/connectors/c-${i}/status`);
  const dynamoBefore = store.requestCount().total;
  const statusMs: number[] = [];
  for (let i = 0; i < reads; i++) statusMs.push(await timed('GET', `/connectors/c-${i % creates}/status`));
  const perStatus = (store.requestCount().total - dynamoBefore) / reads;
  console.log(`control API via local server → DynamoDB Local (${DYNAMODB_ENDPOINT}), sequential, loopback`);
  console.log(summary('POST /connectors (create)', createMs));
  console.log(summary('GET /connectors/{c}/status', statusMs));
  console.log(`DynamoDB requests per GET status: ${perStatus.toFixed(1)}`);
} finally {
  await server.close();
  await admin.disconnect();
  await Promise.all(
    Object.values(tables).map((TableName) => client.send(new DeleteTableCommand({ TableName }))),
  );
  client.destroy();
}
