import { describe, expect, it } from 'vitest';
import { createKafka } from '../../../lib/kafka/client.js';
import { KAFKA_BROKERS, uniqueName } from '../../support/services.js';

describe('the dev stack Kafka broker', () => {
  it('creates a topic with the admin client and lists it', async () => {
    // Prepare
    const admin = createKafka({ brokers: KAFKA_BROKERS }).admin();
    const topic = uniqueName('admin');
    await admin.connect();
    try {
      // Act
      const created = await admin.createTopics({
        topics: [{ topic, numPartitions: 3 }],
        waitForLeaders: true,
      });
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      // Assess
      expect(created).toBe(true);
      expect(metadata.topics[0]?.partitions).toHaveLength(3);
    } finally {
      await admin.disconnect();
    }
  });

  it('delivers what an idempotent producer sends to a consumer group, in order', async () => {
    // Prepare
    const kafka = createKafka({ brokers: KAFKA_BROKERS });
    const topic = uniqueName('roundtrip');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    const consumer = kafka.consumer({ groupId: uniqueName('group') });
    const sent = Array.from({ length: 100 }, (_, i) => `message-${i}`);
    try {
      // Act
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: sent.map((value, i) => ({ key: String(i), value })) });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const received: string[] = [];
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            eachMessage: async ({ message }) => {
              received.push(message.value?.toString() ?? '');
              if (received.length === sent.length) resolve();
            },
          })
          .catch(reject);
      });
      // Assess
      expect(received).toEqual(sent);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
  });
});
