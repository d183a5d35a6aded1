/**
 * Runtime throughput against the client's limit and the incumbent, on the same broker in the same run:
 *   FileStreamSource → Kafka   vs   a raw kafkajs producer sending the same lines
 *                              vs   Apache Kafka Connect's standalone worker and FileStreamSource
 *   Kafka → FileStreamSink     vs   a raw kafkajs consumer writing the same records to a file
 *                              vs   Apache Kafka Connect's FileStreamSink (bench/incumbent.ts)
 * for 100 B and 1 KB records in 10k-record batches, each run BENCH_REPS times (default 3) alternating
 * with the raw client, medians compared. Prints records/s, MB/s, the ratio to raw kafkajs and
 * DynamoDB requests per batch. Loopback only; needs the dev stack (`npm run stack -- up`).
 *
 *   npm run bench -- [records per case, default 50000]
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { createKafka } from '../lib/kafka/client.js';
import { RecordProducer } from '../lib/kafka/producer.js';
import { createRuntime } from '../lib/runtime/environment.js';
import { TaskRunner } from '../lib/runtime/task-runner.js';
import { workerConfigFromEnv } from '../lib/runtime/worker-config.js';
import { createDynamoClient, ensureTables } from '../lib/store/index.js';
import { startIncumbent } from './incumbent.js';

const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const DDB = process.env.DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:8000';
const N = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 50_000);
const BATCH = 10_000;
const id = Date.now().toString(36);
const dir = mkdtempSync(join(tmpdir(), 'sc-bench-'));
const kafka = createKafka({ brokers: BROKERS });

const tables = {
  configs: `bench-${id}-configs`,
  status: `bench-${id}-status`,
  offsets: `bench-${id}-offsets`,
};
const dynamo = createDynamoClient({ endpoint: DDB });
await ensureTables(dynamo, tables);
const worker = workerConfigFromEnv({});
worker.batch.maxRecords = BATCH;
worker.batch.maxBytes = 64 * 1024 * 1024;
const rt = createRuntime({
  kafka: { brokers: BROKERS },
  dynamodbEndpoint: DDB,
  tables,
  worker,
  log: { info() {}, error: (m, e) => console.error(m, e) },
});
const runner = new TaskRunner(rt);

interface Run {
  seconds: number;
  batches?: number;
  requests?: number;
  /** Task invocations (runner.run calls): one Lambda invocation each on AWS. */
  invocations?: number;
}
interface Row {
  case: string;
  bytes: number;
  ours: Run;
  raw: Run;
  incumbent?: Run;
}
const rows: Row[] = [];
// One run of each is at the mercy of the broker's JVM and the other core: alternate raw and ours
// REPS times and compare medians.
const REPS = Number(process.env.BENCH_REPS ?? 3);
const median = (runs: Run[]): Run =>
  [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)]!;

/** A raw kafkajs producer: the same lines, in the same 10k chunks, idempotent, acks=all. */
async function rawProduce(lines: string[], rawTopic: string): Promise<Run> {
  const producer = new RecordProducer(kafka);
  await producer.connect();
  const t = performance.now();
  for (let i = 0; i < lines.length; i += BATCH) {
    await producer.send(
      lines
        .slice(i, i + BATCH)
        .map((l) => ({ topic: rawTopic, key: null, value: Buffer.from(l), headers: [] })),
    );
  }
  const seconds = (performance.now() - t) / 1000;
  await producer.disconnect();
  return { seconds };
}

/** Ours: FileStreamSource → Kafka through leased bounded batches. */
async function sourceRun(input: string, topic: string): Promise<Run> {
  const source = {
    'connector.class': 'FileStreamSource',
    name: `bench-src-${topic}`,
    file: input,
    topic,
    'batch.size': '2000',
    'value.converter': 'StringConverter',
    'key.converter': 'StringConverter',
  };
  await rt.store.configs.create({
    name: source.name,
    config: source,
    type: 'source',
    targetState: 'STARTED',
    taskConfigs: [source],
  });
  const fileSize = statSync(input).size;
  let batches = 0;
  let invocations = 0;
  const before = rt.store.requestCount().total;
  const t = performance.now();
  for (;;) {
    const r = await runner.run({ connector: source.name, task: 0 }, Date.now() + 60_000);
    batches += r.batches;
    invocations++;
    const [o] = await rt.store.offsets.getAll(source.name);
    if (o?.offset.position === fileSize) break;
  }
  const seconds = (performance.now() - t) / 1000;
  return { seconds, batches, invocations, requests: rt.store.requestCount().total - before };
}

/** A raw kafkajs consumer: reads the topic and appends the values to a file, committing per batch. */
async function rawConsume(topic: string, rawOut: string, n: number): Promise<Run> {
  // The clock includes connecting, as the runner's does (its consumer connects inside the run).
  const t = performance.now();
  const consumer = kafka.consumer({ groupId: `bench-raw-${rawOut.length}-${Math.random()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve) => {
    let seen = 0;
    void consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        appendFileSync(rawOut, `${batch.messages.map((m) => m.value?.toString()).join('\n')}\n`);
        seen += batch.messages.length;
        const last = batch.messages.at(-1);
        if (last)
          await consumer.commitOffsets([
            { topic, partition: batch.partition, offset: String(Number(last.offset) + 1) },
          ]);
        if (seen >= n) resolve();
      },
    });
  });
  const seconds = (performance.now() - t) / 1000;
  await consumer.disconnect();
  return { seconds };
}

/** Ours: Kafka → FileStreamSink with the bounded consumer in group connect-<name>. */
async function sinkRun(topic: string, input: string, output: string): Promise<Run> {
  const sink = {
    'connector.class': 'FileStreamSink',
    name: `bench-sink-${topic}-${output.length}-${Math.random().toString(36).slice(2, 8)}`,
    file: output,
    topics: topic,
    'value.converter': 'StringConverter',
    'key.converter': 'StringConverter',
  };
  await rt.store.configs.create({
    name: sink.name,
    config: sink,
    type: 'sink',
    targetState: 'STARTED',
    taskConfigs: [sink],
  });
  let batches = 0;
  let invocations = 0;
  const before = rt.store.requestCount().total;
  const t = performance.now();
  const expected = statSync(input).size;
  // The clock stops when the last line is in the file (as for the raw consumer), not when the runner
  // has also seen the topic run dry.
  const done = () => statSync(output, { throwIfNoEntry: false })?.size === expected;
  let seconds = 0;
  const watch = setInterval(() => {
    if (!seconds && done()) seconds = (performance.now() - t) / 1000;
  }, 5);
  while (!done()) {
    const r = await runner.run({ connector: sink.name, task: 0 }, Date.now() + 60_000);
    batches += r.batches;
    invocations++;
  }
  clearInterval(watch);
  seconds ||= (performance.now() - t) / 1000;
  const requests = rt.store.requestCount().total - before;
  await runner.retain(new Set()); // leave the group before the next run
  if (readFileSync(output, 'utf8') !== readFileSync(input, 'utf8'))
    throw new Error('sink output differs from input');
  return { seconds, batches, invocations, requests };
}

// The incumbent: Apache Kafka Connect's standalone worker and FileStream connectors (BENCH_INCUMBENT=0 skips).
const admin = kafka.admin();
await admin.connect();
const recordsIn = async (topic: string) =>
  (await admin.fetchTopicOffsets(topic).catch(() => [])).reduce((sum, p) => sum + Number(p.high), 0);
const incumbent =
  process.env.BENCH_INCUMBENT === '0' ? undefined : await startIncumbent(BROKERS, dir, recordsIn);

for (const size of [100, 1024]) {
  const lines = Array.from(
    { length: N },
    (_, i) => `${String(i).padStart(10, '0')} ${'x'.repeat(size - 12)}`,
  );
  const input = join(dir, `in-${size}.txt`);
  writeFileSync(input, `${lines.join('\n')}\n`);
  const produced = { ours: [] as Run[], raw: [] as Run[], incumbent: [] as Run[] };
  const consumed = { ours: [] as Run[], raw: [] as Run[], incumbent: [] as Run[] };
  const inputBytes = statSync(input).size;
  for (let rep = 0; rep < REPS; rep++) {
    produced.raw.push(await rawProduce(lines, `bench-raw-${size}-${id}-${rep}`));
    produced.ours.push(await sourceRun(input, `bench-${size}-${id}-${rep}`));
    if (incumbent)
      produced.incumbent.push({ seconds: await incumbent.source(input, `bench-kc-${size}-${id}-${rep}`, N) });
  }
  const topic = `bench-${size}-${id}-0`;
  for (let rep = 0; rep < REPS; rep++) {
    consumed.raw.push(await rawConsume(topic, join(dir, `raw-out-${size}-${rep}.txt`), N));
    consumed.ours.push(await sinkRun(topic, input, join(dir, `out-${size}-${rep}.txt`)));
    if (incumbent) {
      const output = join(dir, `kc-out-${size}-${rep}.txt`);
      consumed.incumbent.push({ seconds: await incumbent.sink(topic, output, inputBytes) });
    }
  }
  const bytes = N * size;
  rows.push({
    case: `FileStreamSource → Kafka ${size} B`,
    bytes,
    ours: median(produced.ours),
    raw: median(produced.raw),
    ...(incumbent ? { incumbent: median(produced.incumbent) } : {}),
  });
  rows.push({
    case: `Kafka → FileStreamSink ${size} B`,
    bytes,
    ours: median(consumed.ours),
    raw: median(consumed.raw),
    ...(incumbent ? { incumbent: median(consumed.incumbent) } : {}),
  });
}

const fmt = (n: number, d = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
console.log(
  `\n${N} records per case, ${BATCH}-record batches, median of ${REPS} alternating runs, broker ${BROKERS.join(',')}\n`,
);
/**
 * A cost model from what was measured (docs/architecture.md, How we measure): USD per million records on Lambda arm64 at
 * 1,769 MB (one vCPU), taking this machine's wall time as the function's duration, plus invocations and
 * DynamoDB on-demand requests priced as transactional writes (2 WRU each, an upper bound). us-east-1 list
 * prices; Kafka (MSK) itself is not included.
 */
const PRICE = { gbSecond: 0.0000133334, invocation: 0.2e-6, writeUnit: 0.625e-6, memoryGb: 1769 / 1024 };
const usdPerMillion = (run: Run) =>
  (1e6 / N) *
  (run.seconds * PRICE.memoryGb * PRICE.gbSecond +
    (run.invocations ?? 0) * PRICE.invocation +
    (run.requests ?? 0) * 2 * PRICE.writeUnit);

const kc = incumbent ? `Kafka Connect ${incumbent.version}` : 'Kafka Connect (skipped)';
console.log(
  `| case | records/s | MB/s | raw kafkajs records/s | ratio | ${kc} records/s | ratio | DynamoDB requests/batch | USD per M records |`,
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const { case: name, bytes, ours, raw, incumbent: kcRun } of rows) {
  const rps = N / ours.seconds;
  const rawRps = N / raw.seconds;
  const kcRps = kcRun ? N / kcRun.seconds : undefined;
  console.log(
    `| ${name} | ${fmt(rps)} | ${fmt(bytes / ours.seconds / 1e6, 1)} | ${fmt(rawRps)} | ${fmt(rps / rawRps, 2)} | ${kcRps ? fmt(kcRps) : '–'} | ${kcRps ? fmt(rps / kcRps, 2) : '–'} | ${fmt((ours.requests ?? 0) / Math.max(1, ours.batches ?? 1), 1)} | ${usdPerMillion(ours).toFixed(4)} |`,
  );
}

console.log(
  '\nUSD per M records: Lambda arm64 1,769 MB for the measured wall time, invocations, DynamoDB requests as ' +
    '2 on-demand WRU each (us-east-1 list prices; Kafka itself not included).',
);

await incumbent?.stop();
await admin.disconnect();
await runner.close();
await rt.close();
await Promise.all(
  Object.values(tables).map((TableName) => dynamo.send(new DeleteTableCommand({ TableName }))),
);
dynamo.destroy();
rmSync(dir, { recursive: true, force: true });
