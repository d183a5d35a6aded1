/**
 * Runtime throughput against the client's limit and the incumbent, on the same broker in the same run:
 *   FileStreamSource → Kafka   vs   a raw kafkajs producer sending the same lines
 *                              vs   Apache Kafka Connect's standalone worker and FileStreamSource
 *   Kafka → FileStreamSink     vs   a raw kafkajs consumer writing the same records to a file
 *                              vs   Apache Kafka Connect's FileStreamSink (bench/incumbent.ts)
 * for 100 B and 1 KB records in 10k-record batches, each run BENCH_REPS times (default 5), the three
 * alternating (the order turns each round). Prints, median and spread (min–max) over the runs, records/s
 * and CPU µs per record — user + system from /proc (bench/cpu-time.ts): ours and raw kafkajs both run in
 * this process (its tree, Kafka Connect's JVM left out; nothing else works in it during a run), Kafka
 * Connect's JVM by its pid — with the ratios against raw kafkajs and Kafka Connect for both, MB/s,
 * DynamoDB requests per batch and a cost model. The broker's and DynamoDB Local's CPU counts for nobody.
 * Loopback only; needs the dev stack (`npm run stack -- up`).
 *
 *   npm run bench -- [records per case, default 50000]
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { createKafka } from '../lib/kafka/client.js';
import { RecordProducer } from '../lib/kafka/producer.js';
import { createRuntime } from '../lib/runtime/environment.js';
import { TaskRunner } from '../lib/runtime/task-runner.js';
import { workerConfigFromEnv } from '../lib/runtime/worker-config.js';
import { createDynamoClient, ensureTables } from '../lib/store/index.js';
import { cpuDelta } from './cpu-time.js';
import { type IncumbentWorker, startIncumbent } from './incumbent.js';

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
  /** User + system CPU seconds over the run: this process's tree for ours and raw, the JVM's for Kafka Connect. */
  cpuSeconds: number;
  batches?: number;
  requests?: number;
  /** Task invocations (runner.run calls): one Lambda invocation each on AWS. */
  invocations?: number;
}
interface Row {
  case: string;
  bytes: number;
  ours: Run[];
  raw: Run[];
  incumbent: Run[];
}
const rows: Row[] = [];
// One run of each is at the mercy of the broker's JVM and the other core: alternate the three REPS
// times and compare medians, with the spread beside them.
const REPS = Number(process.env.BENCH_REPS ?? 5);
const median = (runs: Run[]): Run =>
  [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)]!;
const middle = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

let incumbent: IncumbentWorker | undefined;
/** CPU of this process and its children, Kafka Connect's JVM (a child too) left out. */
const ownCpu = () => cpuDelta(process.pid, { exclude: incumbent ? [incumbent.pid] : [] });

/** A raw kafkajs producer: the same lines, in the same 10k chunks, idempotent, acks=all. */
async function rawProduce(lines: string[], rawTopic: string): Promise<Run> {
  const producer = new RecordProducer(kafka);
  await producer.connect();
  const cpu = ownCpu();
  const t = performance.now();
  for (let i = 0; i < lines.length; i += BATCH) {
    await producer.send(
      lines
        .slice(i, i + BATCH)
        .map((l) => ({ topic: rawTopic, key: null, value: Buffer.from(l), headers: [] })),
    );
  }
  const seconds = (performance.now() - t) / 1000;
  const cpuSeconds = cpu();
  await producer.disconnect();
  return { seconds, cpuSeconds };
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
  const cpu = ownCpu();
  const t = performance.now();
  for (;;) {
    const r = await runner.run({ connector: source.name, task: 0 }, Date.now() + 60_000);
    batches += r.batches;
    invocations++;
    const [o] = await rt.store.offsets.getAll(source.name);
    if (o?.offset.position === fileSize) break;
  }
  const seconds = (performance.now() - t) / 1000;
  const cpuSeconds = cpu();
  return { seconds, cpuSeconds, batches, invocations, requests: rt.store.requestCount().total - before };
}

/** A raw kafkajs consumer: reads the topic and appends the values to a file, committing per batch. */
async function rawConsume(topic: string, rawOut: string, n: number): Promise<Run> {
  // The clock includes connecting, as the runner's does (its consumer connects inside the run).
  const cpu = ownCpu();
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
  const cpuSeconds = cpu();
  await consumer.disconnect();
  return { seconds, cpuSeconds };
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
  const cpu = ownCpu();
  const t = performance.now();
  const expected = statSync(input).size;
  // The clocks stop when the last line is in the file (as for the raw consumer), not when the runner
  // has also seen the topic run dry.
  const done = () => statSync(output, { throwIfNoEntry: false })?.size === expected;
  let seconds = 0;
  let cpuSeconds = 0;
  const stop = () => {
    seconds = (performance.now() - t) / 1000;
    cpuSeconds = cpu();
  };
  const watch = setInterval(() => {
    if (!seconds && done()) stop();
  }, 5);
  while (!done()) {
    const r = await runner.run({ connector: sink.name, task: 0 }, Date.now() + 60_000);
    batches += r.batches;
    invocations++;
  }
  clearInterval(watch);
  if (!seconds) stop();
  const requests = rt.store.requestCount().total - before;
  await runner.retain(new Set()); // leave the group before the next run
  if (readFileSync(output, 'utf8') !== readFileSync(input, 'utf8'))
    throw new Error('sink output differs from input');
  return { seconds, cpuSeconds, batches, invocations, requests };
}

// The incumbent: Apache Kafka Connect's standalone worker and FileStream connectors (BENCH_INCUMBENT=0 skips).
const admin = kafka.admin();
await admin.connect();
const recordsIn = async (topic: string) =>
  (await admin.fetchTopicOffsets(topic).catch(() => [])).reduce((sum, p) => sum + Number(p.high), 0);
incumbent = process.env.BENCH_INCUMBENT === '0' ? undefined : await startIncumbent(BROKERS, dir, recordsIn);

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
  type Who = 'ours' | 'raw' | 'incumbent';
  /** The three in an order that turns each round, so none always follows the same one. */
  const order = (rep: number): Who[] =>
    (['raw', 'ours', 'incumbent'] as Who[])
      .map((_, i, all) => all[(i + rep) % all.length]!)
      .filter((who) => who !== 'incumbent' || incumbent);
  for (let rep = 0; rep < REPS; rep++) {
    for (const who of order(rep)) {
      if (who === 'raw') produced.raw.push(await rawProduce(lines, `bench-raw-${size}-${id}-${rep}`));
      if (who === 'ours') produced.ours.push(await sourceRun(input, `bench-${size}-${id}-${rep}`));
      if (who === 'incumbent' && incumbent)
        produced.incumbent.push(await incumbent.source(input, `bench-kc-${size}-${id}-${rep}`, N));
    }
  }
  const topic = `bench-${size}-${id}-0`;
  for (let rep = 0; rep < REPS; rep++) {
    for (const who of order(rep)) {
      if (who === 'raw')
        consumed.raw.push(await rawConsume(topic, join(dir, `raw-out-${size}-${rep}.txt`), N));
      if (who === 'ours')
        consumed.ours.push(await sinkRun(topic, input, join(dir, `out-${size}-${rep}.txt`)));
      if (who === 'incumbent' && incumbent)
        consumed.incumbent.push(
          await incumbent.sink(topic, join(dir, `kc-out-${size}-${rep}.txt`), inputBytes),
        );
    }
  }
  const bytes = N * size;
  rows.push({ case: `FileStreamSource → Kafka ${size} B`, bytes, ...produced });
  rows.push({ case: `Kafka → FileStreamSink ${size} B`, bytes, ...consumed });
}

const fmt = (n: number, d = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const load = loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
console.log(
  `\n${N} records per case, ${BATCH}-record batches, median (min–max) of ${REPS} alternating runs, broker ${BROKERS.join(',')}, load average ${load}\n`,
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
/** Records/s and CPU µs per record of a set of runs: median and min–max. */
const spread = (runs: Run[]) => {
  const rps = runs.map((r) => N / r.seconds);
  const cpu = runs.map((r) => (r.cpuSeconds * 1e6) / N);
  return {
    rps: middle(rps),
    cpu: middle(cpu),
    rpsText: `${fmt(middle(rps))} (${fmt(Math.min(...rps))}–${fmt(Math.max(...rps))})`,
    cpuText: `${fmt(middle(cpu), 1)} (${fmt(Math.min(...cpu), 1)}–${fmt(Math.max(...cpu), 1)})`,
  };
};
console.log(
  `| case | ours records/s | ours CPU µs/record | raw kafkajs records/s | raw CPU µs/record | ${kc} records/s | KC CPU µs/record | records/s ours/raw | CPU ours/raw | records/s ours/KC | CPU ours/KC | MB/s | DynamoDB requests/batch | USD per M records |`,
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const { case: name, bytes, ours, raw, incumbent: kcRuns } of rows) {
  const o = spread(ours);
  const r = spread(raw);
  const k = kcRuns.length > 0 ? spread(kcRuns) : undefined;
  const m = median(ours);
  console.log(
    `| ${name} | ${o.rpsText} | ${o.cpuText} | ${r.rpsText} | ${r.cpuText} | ${k?.rpsText ?? '–'} | ${k?.cpuText ?? '–'} | ${fmt(o.rps / r.rps, 2)} | ${fmt(o.cpu / r.cpu, 2)} | ${k ? fmt(o.rps / k.rps, 2) : '–'} | ${k ? fmt(o.cpu / k.cpu, 2) : '–'} | ${fmt(bytes / m.seconds / 1e6, 1)} | ${fmt((m.requests ?? 0) / Math.max(1, m.batches ?? 1), 1)} | ${usdPerMillion(m).toFixed(4)} |`,
  );
}

console.log(
  '\nrecords/s ratios: above 1 is faster than the other; CPU ratios: below 1 is less CPU per record. MB/s, ' +
    'DynamoDB requests and USD: the median run of ours.',
);
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
