import { afterAll, describe, expect, it } from 'vitest';
import { KafkaAdmin } from '../../../lib/kafka/admin.js';
import { BoundedConsumer } from '../../../lib/kafka/bounded-consumer.js';
import { createKafka } from '../../../lib/kafka/client.js';
import { RecordProducer } from '../../../lib/kafka/producer.js';
import { KAFKA_BROKERS, uniqueName } from '../../support/services.js';

const kafka = createKafka({ brokers: KAFKA_BROKERS });
const admin = new KafkaAdmin(kafka);
afterAll(() => admin.disconnect());

function lines(n: number, topic: string) {
  return Array.from({ length: n }, (_, i) => ({
    topic,
    partition: 0,
    key: null,
    value: Buffer.from(`line-${i}`),
    headers: [{ key: 'n', value: Buffer.from(String(i)) }],
  }));
}

describe('lib/kafka against the broker', () => {
  it('tells where each produced record landed, in input order', async () => {
    // Prepare
    const topic = uniqueName('produce');
    await admin.createTopics([{ topic, numPartitions: 2, replicationFactor: 1 }]);
    const producer = new RecordProducer(kafka);
    try {
      // Act
      const first = await producer.send(lines(3, topic));
      const second = await producer.send([{ ...lines(1, topic)[0]!, partition: 1 }, ...lines(2, topic)]);
      // Assess
      expect(first.map((m) => m.offset)).toEqual([0, 1, 2]);
      expect(second).toEqual([
        { topic, partition: 1, offset: 0 },
        { topic, partition: 0, offset: 3 },
        { topic, partition: 0, offset: 4 },
      ]);
    } finally {
      await producer.disconnect();
    }
  });

  it('hands out bounded batches and redelivers what was not committed after a restart', async () => {
    // Prepare
    const topic = uniqueName('bounded');
    const groupId = uniqueName('connect');
    await admin.createTopics([{ topic, numPartitions: 1, replicationFactor: 1 }]);
    const producer = new RecordProducer(kafka);
    await producer.send(lines(25, topic));
    await producer.disconnect();
    const first = new BoundedConsumer(kafka, { groupId, topics: [topic] });
    // Act
    const batch1 = await first.poll({ maxRecords: 10, maxBytes: 1 << 20, maxWaitMs: 15_000 });
    await first.commit([{ topic, partition: 0, offset: batch1.at(-1)!.offset + 1 }]);
    const batch2 = await first.poll({ maxRecords: 10, maxBytes: 1 << 20, maxWaitMs: 5_000 });
    await first.stop(); // batch2 was never committed: it must come back
    const second = new BoundedConsumer(kafka, { groupId, topics: [topic] });
    const again = await second.poll({ maxRecords: 100, maxBytes: 1 << 20, maxWaitMs: 15_000 });
    await second.stop();
    // Assess
    expect(batch1.map((r) => r.value?.toString())).toEqual(Array.from({ length: 10 }, (_, i) => `line-${i}`));
    expect(batch2[0]?.offset).toBe(10);
    expect(again[0]?.offset).toBe(10);
    expect(again.at(-1)?.offset).toBe(24);
    expect(again[0]?.headers).toEqual([{ key: 'n', value: Buffer.from('10') }]);
    expect(await admin.groupOffsets(groupId)).toEqual([{ topic, partition: 0, offset: 10 }]);
  });

  it('tells how many records it is behind the log end (the sink lag)', async () => {
    // Prepare
    const topic = uniqueName('lag');
    await admin.createTopics([{ topic, numPartitions: 1, replicationFactor: 1 }]);
    const producer = new RecordProducer(kafka);
    await producer.send(lines(50, topic));
    await producer.disconnect();
    const consumer = new BoundedConsumer(kafka, { groupId: uniqueName('connect'), topics: [topic] });
    const before = consumer.lag();
    // Act: take 10, then everything there is.
    let taken = (await consumer.poll({ maxRecords: 10, maxBytes: 1 << 20, maxWaitMs: 15_000, lingerMs: 500 }))
      .length;
    const afterTen = consumer.lag();
    while (taken < 50)
      taken += (await consumer.poll({ maxRecords: 100, maxBytes: 1 << 20, maxWaitMs: 5_000 })).length;
    const afterAll = consumer.lag();
    await consumer.stop();
    // Assess
    expect(before).toBeUndefined();
    expect(afterTen).toBe(40);
    expect(afterAll).toBe(0);
  });

  it('waits for a topic that does not exist yet, poll after poll, and reads it once it does', async () => {
    // Prepare
    const topic = uniqueName('later');
    const consumer = new BoundedConsumer(kafka, { groupId: uniqueName('connect'), topics: [topic] });
    try {
      // Act
      const before = [
        await consumer.poll({ maxRecords: 10, maxBytes: 1 << 20, maxWaitMs: 200 }),
        await consumer.poll({ maxRecords: 10, maxBytes: 1 << 20, maxWaitMs: 200 }),
      ];
      await admin.createTopics([{ topic, numPartitions: 1, replicationFactor: 1 }]);
      const producer = new RecordProducer(kafka);
      await producer.send(lines(2, topic));
      await producer.disconnect();
      const after = await consumer.poll({ maxRecords: 10, maxBytes: 1 << 20, maxWaitMs: 15_000 });
      // Assess
      expect(before).toEqual([[], []]);
      expect(after.map((r) => r.value?.toString())).toEqual(['line-0', 'line-1']);
    } finally {
      await consumer.stop();
    }
  });

  it('reads, sets, resets and deletes a group’s committed offsets', async () => {
    // Prepare
    const topic = uniqueName('offsets');
    const groupId = uniqueName('connect');
    await admin.createTopics([{ topic, numPartitions: 2, replicationFactor: 1 }]);
    const producer = new RecordProducer(kafka);
    await producer.send(lines(5, topic));
    await producer.disconnect();
    // Act
    await admin.setGroupOffsets(groupId, [
      { topic, partition: 0, offset: 4 },
      { topic, partition: 1, offset: 0 },
    ]);
    const set = await admin.groupOffsets(groupId);
    const lag = await admin.groupLag(groupId);
    await admin.resetGroupOffsets(groupId, [{ topic, partition: 0 }]);
    const reset = await admin.groupOffsets(groupId);
    await admin.deleteGroup(groupId);
    const deleted = await admin.groupOffsets(groupId);
    // Assess
    expect(set).toEqual([
      { topic, partition: 0, offset: 4 },
      { topic, partition: 1, offset: 0 },
    ]);
    expect(lag).toBe(1);
    expect(reset.find((o) => o.partition === 0)?.offset).toBe(0);
    expect(deleted).toEqual([]);
  });
});
