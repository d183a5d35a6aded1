import { Client } from '@opensearch-project/opensearch';
import { createKafka } from '../lib/kafka/client.js';
import { connectFixture } from '../test/integration/connectors/support.js';
import { KAFKA_BROKERS, OPENSEARCH_URL, uniqueName } from '../test/support/services.js';

// topic → OpenSearch with 100k records through the REST API and the scheduler loop (Confluent's
// ElasticsearchSinkConnector class, key ids with external versions, defaults otherwise), next to the
// raw client's bulk of the same documents, ids and versions in the same run, on loopback:
// `sh scripts/node.sh tsx bench/opensearch-sink.ts [records]`. Ours is timed from the connector's
// creation to the last document searchable, so it includes reading Kafka; the baseline from its first
// request to the same point. Bounded: gives up after 10 minutes.
const RECORDS = Number(process.argv[2] ?? 100_000);
const BATCH = 2000;
const IN_FLIGHT = 5;
const topic = uniqueName('bench-os');
const baselineIndex = uniqueName('bench-os-raw');
const os = new Client({ node: OPENSEARCH_URL });

const doc = (i: number) => ({
  id: i,
  name: `record ${i}`,
  amount: (i % 100_000) / 100,
  created: 1_704_067_200_000 + i * 1000,
});

async function count(index: string): Promise<number> {
  try {
    await os.indices.refresh({ index });
    return (await os.count({ index })).body.count;
  } catch {
    return 0;
  }
}

async function produce(): Promise<void> {
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
  for (let start = 0; start < RECORDS; start += 10_000) {
    const messages = [];
    for (let i = start; i < Math.min(RECORDS, start + 10_000); i++)
      messages.push({ key: `k${i}`, value: JSON.stringify(doc(i)) });
    await producer.send({ topic, messages });
  }
  await producer.disconnect();
}

/** The client's own bulk API: the same NDJSON lines the sink sends, batches of 2000, 5 in flight. */
async function baseline(): Promise<number> {
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    for (;;) {
      const start = next;
      next += BATCH;
      if (start >= RECORDS) return;
      const lines: string[] = [];
      for (let i = start; i < Math.min(RECORDS, start + BATCH); i++)
        lines.push(
          JSON.stringify({
            index: { _index: baselineIndex, _id: `k${i}`, version: i, version_type: 'external' },
          }),
          JSON.stringify(doc(i)),
        );
      const res = await os.bulk({ body: `${lines.join('\n')}\n` as never });
      if (res.body.errors) throw new Error('baseline bulk had item errors');
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  while ((await count(baselineIndex)) < RECORDS) await new Promise((r) => setTimeout(r, 100));
  return (Date.now() - started) / 1000;
}

await produce();
const cf = await connectFixture('bench-os', { maxRecords: 10_000 });
try {
  const started = Date.now();
  await cf.create('bench-os-sink', {
    'connector.class': 'io.confluent.connect.elasticsearch.ElasticsearchSinkConnector',
    topics: topic,
    'connection.url': OPENSEARCH_URL,
    'schema.ignore': 'true',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter.schemas.enable': 'false',
  });
  let last = 0;
  await cf.until(async () => {
    const n = await count(topic);
    if (n !== last) process.stdout.write(`\r${n} documents in OpenSearch`);
    last = n;
    return n >= RECORDS;
  }, 600_000);
  const ours = (Date.now() - started) / 1000;
  const raw = await baseline();
  console.log(
    `\n${RECORDS} records topic → OpenSearch ${OPENSEARCH_URL}, batches of ${BATCH}, ${IN_FLIGHT} in flight:`,
  );
  console.log(
    `  ours (REST API + scheduler loop, Kafka read included): ${ours.toFixed(1)} s, ${Math.round(RECORDS / ours)} records/s`,
  );
  console.log(
    `  baseline (the client's bulk API, same documents):      ${raw.toFixed(1)} s, ${Math.round(RECORDS / raw)} records/s`,
  );
  if (cf.errors.length > 0) console.log(cf.errors.join('\n'));
} finally {
  await cf.dispose();
  await os.indices.delete({ index: [topic, baselineIndex], ignore_unavailable: true });
  await os.close();
}
