import { KafkaAdmin } from '../lib/kafka/admin.js';
import { BoundedConsumer } from '../lib/kafka/bounded-consumer.js';
import { createKafka } from '../lib/kafka/client.js';
import { RecordProducer } from '../lib/kafka/producer.js';

// What a polled sink pays per invocation for leaving its group at the end of each one: the time from
// poll() on a consumer that left to its first record (join + sync + offset fetch + first fetch), against
// a poll on a consumer still in the group (records produced just before each), and the leave itself. `tsx bench/rejoin-cost.ts [rounds]`.
const rounds = Number(process.argv[2] ?? 10);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const kafka = createKafka({ brokers });
const admin = new KafkaAdmin(kafka);
const topics = [`rejoin-a-${Date.now()}`, `rejoin-b-${Date.now()}`];
await admin.createTopics(topics.map((topic) => ({ topic, numPartitions: 3, replicationFactor: 1 })));
const producer = new RecordProducer(kafka);
const groupId = `rejoin-${Date.now()}`;
const consumer = new BoundedConsumer(kafka, { groupId, topics });
const limits = { maxRecords: 100, maxBytes: 1 << 20, maxWaitMs: 30_000, lingerMs: 0 };
const produce = () =>
  producer.send(topics.map((topic) => ({ topic, key: null, value: Buffer.from(`r${next++}`), headers: [] })));
const rejoin: number[] = [];
const warm: number[] = [];
const leave: number[] = [];
let next = 0;
for (let i = 0; i < rounds; i++) {
  await produce();
  let t = performance.now();
  const got = await consumer.poll(limits);
  rejoin.push(performance.now() - t);
  await consumer.commit(got.map((r) => ({ topic: r.topic, partition: r.partition, offset: r.offset + 1 })));
  await produce();
  t = performance.now();
  const more = await consumer.poll(limits);
  warm.push(performance.now() - t);
  await consumer.commit(more.map((r) => ({ topic: r.topic, partition: r.partition, offset: r.offset + 1 })));
  t = performance.now();
  await consumer.leave();
  leave.push(performance.now() - t);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(0);
const range = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
console.log(`rounds ${rounds}, 2 topics × 3 partitions`);
console.log(`poll after a leave (re-join → first record): median ${median(rejoin)} ms (${range(rejoin)})`);
console.log(`poll while in the group:                      median ${median(warm)} ms (${range(warm)})`);
console.log(`leave at the end of the invocation:           median ${median(leave)} ms (${range(leave)})`);
await consumer.stop();
await producer.disconnect();
await admin.disconnect();
