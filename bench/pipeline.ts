/**
 * Runtime throughput against the client's limit, on the same broker in the same run:
 *   FileStreamSource → Kafka   vs   a raw kafkajs producer sending the same lines
 *   Kafka → FileStreamSink     vs   a raw kafkajs consumer writing the same records to a file
 * for 100 B and 1 KB records in 10k-record batches. Prints records/s, MB/s, the ratio to raw kafkajs and
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

interface Row {
  case: string;
  records: number;
  seconds: number;
  bytes: number;
  batches?: number;
  requests?: number;
}
const rows: { ours: Row; raw: Row }[] = [];

for (const size of [100, 1024]) {
  const lines = Array.from(
    { length: N },
    (_, i) => `${String(i).padStart(10, '0')} ${'x'.repeat(size - 12)}`,
  );
  const bytes = N * size;
  const input = join(dir, `in-${size}.txt`);
  writeFileSync(input, `${lines.join('\n')}\n`);

  // Raw kafkajs producer: the same lines, in the same 10k chunks, idempotent, acks=all.
  const rawTopic = `bench-raw-${size}-${id}`;
  const producer = new RecordProducer(kafka);
  await producer.connect();
  let t = performance.now();
  for (let i = 0; i < N; i += BATCH) {
    await producer.send(
      lines
        .slice(i, i + BATCH)
        .map((l) => ({ topic: rawTopic, key: null, value: Buffer.from(l), headers: [] })),
    );
  }
  const rawProduce: Row = {
    case: `raw kafkajs producer ${size} B`,
    records: N,
    seconds: (performance.now() - t) / 1000,
    bytes,
  };
  await producer.disconnect();

  // Ours: FileStreamSource → Kafka through leased bounded batches.
  const topic = `bench-src-${size}-${id}`;
  const source = {
    'connector.class': 'FileStreamSource',
    name: `bench-src-${size}-${id}`,
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
  let before = rt.store.requestCount().total;
  t = performance.now();
  for (;;) {
    const r = await runner.run({ connector: source.name, task: 0 }, Date.now() + 60_000);
    batches += r.batches;
    const [o] = await rt.store.offsets.getAll(source.name);
    if (o?.offset.position === fileSize) break;
  }
  const ours: Row = {
    case: `FileStreamSource → Kafka ${size} B`,
    records: N,
    seconds: (performance.now() - t) / 1000,
    bytes,
    batches,
    requests: rt.store.requestCount().total - before,
  };
  rows.push({ ours, raw: rawProduce });

  // Raw kafkajs consumer: read the topic and append the values to a file.
  const rawOut = join(dir, `raw-out-${size}.txt`);
  const consumer = kafka.consumer({ groupId: `bench-raw-${size}-${id}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  t = performance.now();
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
        if (seen >= N) resolve();
      },
    });
  });
  const rawConsume: Row = {
    case: `raw kafkajs consumer ${size} B`,
    records: N,
    seconds: (performance.now() - t) / 1000,
    bytes,
  };
  await consumer.disconnect();

  // Ours: Kafka → FileStreamSink with the bounded consumer in group connect-<name>.
  const output = join(dir, `out-${size}.txt`);
  const sink = {
    'connector.class': 'FileStreamSink',
    name: `bench-sink-${size}-${id}`,
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
  batches = 0;
  before = rt.store.requestCount().total;
  t = performance.now();
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
  }
  clearInterval(watch);
  seconds ||= (performance.now() - t) / 1000;
  const oursSink: Row = {
    case: `Kafka → FileStreamSink ${size} B`,
    records: N,
    seconds,
    bytes,
    batches,
    requests: rt.store.requestCount().total - before,
  };
  if (readFileSync(output, 'utf8') !== readFileSync(input, 'utf8'))
    throw new Error('sink output differs from input');
  rows.push({ ours: oursSink, raw: rawConsume });
}

const fmt = (n: number, d = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
console.log(`\n${N} records per case, ${BATCH}-record batches, broker ${BROKERS.join(',')}\n`);
console.log('| case | records/s | MB/s | raw kafkajs records/s | ratio | DynamoDB requests/batch |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const { ours, raw } of rows) {
  const rps = ours.records / ours.seconds;
  const rawRps = raw.records / raw.seconds;
  console.log(
    `| ${ours.case} | ${fmt(rps)} | ${fmt(ours.bytes / ours.seconds / 1e6, 1)} | ${fmt(rawRps)} | ${fmt(rps / rawRps, 2)} | ${fmt((ours.requests ?? 0) / Math.max(1, ours.batches ?? 1), 1)} |`,
  );
}

await runner.close();
await rt.close();
await Promise.all(
  Object.values(tables).map((TableName) => dynamo.send(new DeleteTableCommand({ TableName }))),
);
dynamo.destroy();
rmSync(dir, { recursive: true, force: true });
