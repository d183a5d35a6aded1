import { afterAll, describe, expect, it } from 'vitest';
import { KafkaAdmin } from '../../../lib/kafka/admin.js';
import { BoundedConsumer } from '../../../lib/kafka/bounded-consumer.js';
import { createKafka } from '../../../lib/kafka/client.js';
import { RecordProducer } from '../../../lib/kafka/producer.js';
import { KAFKA_BROKERS, uniqueName } from '../../support/services.js';

const kafka = createKafka({ brokers: KAFKA_BROKERS });
const admin = new KafkaAdmin(kafka);
afterAll(() => admin.disconnect());

async function consumeAll(topic: string, n: number) {
  const consumer = new BoundedConsumer(kafka, { groupId: uniqueName('connect'), topics: [topic] });
  try {
    const out = [];
    const end = Date.now() + 20_000;
    while (out.length < n && Date.now() < end)
      out.push(...(await consumer.poll({ maxRecords: 100, maxBytes: 1 << 20, maxWaitMs: 2_000 })));
    return out;
  } finally {
    await consumer.stop();
  }
}

describe('the timestamp type of polled records', () => {
  it('is LogAppendTime, with the broker’s append time, on a topic with message.timestamp.type=LogAppendTime', async () => {
    // Prepare: records produced with a create time far in the past.
    const topic = uniqueName('log-append');
    await admin.createTopics([
      {
        topic,
        numPartitions: 1,
        replicationFactor: 1,
        configs: { 'message.timestamp.type': 'LogAppendTime' },
      },
    ]);
    const producer = new RecordProducer(kafka);
    const before = Date.now();
    await producer.send(
      [1, 2, 3].map((i) => ({
        topic,
        key: null,
        value: Buffer.from(`v${i}`),
        headers: [],
        timestamp: 1_000,
      })),
    );
    await producer.disconnect();
    // Act
    const records = await consumeAll(topic, 3);
    // Assess
    expect(records).toHaveLength(3);
    for (const r of records) {
      expect(r.timestampType).toBe('LogAppendTime');
      expect(r.timestamp).toBeGreaterThanOrEqual(before - 1_000);
    }
  });

  it('stays CreateTime, with the producer’s timestamp, on a topic with the default type', async () => {
    // Prepare
    const topic = uniqueName('create-time');
    await admin.createTopics([{ topic, numPartitions: 1, replicationFactor: 1 }]);
    const producer = new RecordProducer(kafka);
    await producer.send([{ topic, key: null, value: Buffer.from('v'), headers: [], timestamp: 1_000 }]);
    await producer.disconnect();
    // Act
    const [record] = await consumeAll(topic, 1);
    // Assess
    expect(record?.timestampType).toBe('CreateTime');
    expect(record?.timestamp).toBe(1_000);
  });
});
