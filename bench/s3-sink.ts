import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createKafka } from '../lib/kafka/client.js';
import {
  committed,
  enveloped,
  keys,
  newBucket,
  object,
  s3,
  s3Sink,
} from '../test/integration/connectors/s3/support.js';
import { connectFixture } from '../test/integration/connectors/support.js';
import { KAFKA_BROKERS, S3_ENDPOINT, uniqueName } from '../test/support/services.js';

// topic → S3 with 100k records, JSON lines and Parquet, through the REST API and the scheduler loop
// (Confluent's S3SinkConnector class, DefaultPartitioner, flush.size 10,000, the topic in topics.regex
// so the dispatcher polls it), next to the baseline in the same run: the very objects the sink wrote,
// PutObject'ed again by the SDK one after the other into another bucket. Ours is timed from the
// connector's creation to the committed offset reaching the last record (every file uploaded), so it
// includes reading Kafka and encoding; the baseline is the upload of the same bytes alone. On
// loopback against the dev stack's S3Mock: `sh scripts/node.sh tsx bench/s3-sink.ts [records]`.
// Bounded: gives up after 10 minutes per format.
const RECORDS = Number(process.argv[2] ?? 100_000);
const FLUSH = 10_000;
const SCHEMA = {
  type: 'struct',
  name: 'bench.Click',
  optional: false,
  fields: [
    { field: 'id', type: 'int64', optional: false },
    { field: 'user', type: 'string', optional: false },
    { field: 'page', type: 'string', optional: false },
    { field: 'amount', type: 'double', optional: true },
    { field: 'at', type: 'int64', optional: false },
  ],
};
const click = (i: number) =>
  enveloped(SCHEMA, {
    id: i,
    user: `user-${i % 977}`,
    page: `/p/${i % 131}`,
    amount: (i % 10_000) / 100,
    at: 1_704_067_200_000 + i,
  });

async function produce(topic: string): Promise<void> {
  const kafka = createKafka({ brokers: KAFKA_BROKERS });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  for (let start = 0; start < RECORDS; start += 1_000) {
    const messages = [];
    for (let i = start; i < Math.min(RECORDS, start + 1_000); i++) messages.push({ value: click(i) });
    await producer.send({ topic, messages });
  }
  await producer.disconnect();
}

/** The same objects' bytes, PutObject'ed one after the other: what the client alone takes. */
async function baseline(objects: Buffer[]): Promise<number> {
  const bucket = await newBucket();
  const started = performance.now();
  for (const [i, body] of objects.entries())
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `raw/${i}`, Body: body }));
  return (performance.now() - started) / 1000;
}

const topic = uniqueName('bench-s3');
await produce(topic);
const cf = await connectFixture('bench-s3', { maxRecords: 10_000 });
const results: string[] = [];
try {
  for (const [label, format] of [
    ['JSON', 'io.confluent.connect.s3.format.json.JsonFormat'],
    ['Parquet', 'io.confluent.connect.s3.format.parquet.ParquetFormat'],
  ] as const) {
    const bucket = await newBucket();
    const name = uniqueName(`bench-s3-${label.toLowerCase()}`);
    const started = performance.now();
    await cf.create(
      name,
      s3Sink(bucket, { 'topics.regex': topic, 'flush.size': String(FLUSH), 'format.class': format }),
    );
    await cf.until(async () => (await committed(cf, name))[0] === RECORDS, 600_000);
    const ours = (performance.now() - started) / 1000;
    await cf.call('DELETE', `/connectors/${name}`);
    const written = await keys(bucket);
    const bodies = await Promise.all(written.map((k) => object(bucket, k)));
    const bytes = bodies.reduce((n, b) => n + b.length, 0);
    const raw = await baseline(bodies);
    results.push(
      `${label}: ${written.length} objects, ${(bytes / 1e6).toFixed(1)} MB`,
      `  ours (REST API + scheduler loop, Kafka read and encoding included): ${ours.toFixed(1)} s, ${Math.round(RECORDS / ours)} records/s`,
      `  baseline (PutObject of the same bytes, one at a time):                ${raw.toFixed(1)} s, ${Math.round(RECORDS / raw)} records/s`,
    );
  }
  console.log(`${RECORDS} records topic → S3 (${S3_ENDPOINT}), flush.size ${FLUSH}, batches of 10,000:`);
  console.log(results.join('\n'));
  if (cf.errors.length > 0) console.log(cf.errors.join('\n'));
} finally {
  await cf.dispose();
}
