import type { Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { withKafkaDeadline } from '../../../lib/kafka/deadline.js';
import { RecordProducer } from '../../../lib/kafka/producer.js';

/** A kafkajs client whose producers connect, then retry every send without end (an idempotent producer's outage). */
function hangingKafka() {
  const producers: { disconnected: boolean; settle: () => void }[] = [];
  const kafka = {
    producer: () => {
      let settle = () => {};
      const p = { disconnected: false, settle: () => settle() };
      producers.push(p);
      return {
        connect: async () => {},
        disconnect: async () => {
          p.disconnected = true;
        },
        sendBatch: () =>
          new Promise((_, reject) => {
            settle = () => reject(new Error('gave up'));
          }),
      };
    },
  } as unknown as Kafka;
  return { kafka, producers };
}

const record = { topic: 't', key: null, value: Buffer.from('v'), headers: [] };

describe('RecordProducer under a deadline', { timeout: 5_000 }, () => {
  it('rejects a send still unacknowledged at its deadline with a retriable KafkaError', async () => {
    // Prepare
    const { kafka } = hangingKafka();
    const producer = new RecordProducer(kafka);
    const started = Date.now();
    // Act
    const sent = producer.send([record], { deadline: started + 200 });
    // Assess
    await expect(sent).rejects.toMatchObject({
      name: 'KafkaDeadlineError',
      retriable: true,
      message: expect.stringContaining('did not complete before the invocation'),
    });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('takes the deadline of the invocation it runs in, the earlier one when nested', async () => {
    // Prepare
    const { kafka } = hangingKafka();
    const producer = new RecordProducer(kafka);
    const started = Date.now();
    // Act
    const sent = withKafkaDeadline(started + 10_000, () =>
      withKafkaDeadline(started + 150, () => producer.send([record])),
    );
    // Assess
    await expect(sent).rejects.toMatchObject({ retriable: true });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('abandons the retrying kafkajs producer: the next send gets a fresh one, the old is disconnected once its send settles', async () => {
    // Prepare
    const { kafka, producers } = hangingKafka();
    const producer = new RecordProducer(kafka);
    await producer.send([record], { deadline: Date.now() + 50 }).catch(() => {});
    // Act
    const next = producer.send([record], { deadline: Date.now() + 50 }).catch(() => {});
    await next;
    const beforeSettle = producers[0]!.disconnected;
    producers[0]!.settle();
    await new Promise((r) => setTimeout(r, 10));
    // Assess
    expect(producers.length).toBeGreaterThanOrEqual(2);
    expect(beforeSettle).toBe(false);
    expect(producers[0]!.disconnected).toBe(true);
  });

  it('bounds a send made outside any deadline by delivery.timeout.ms', async () => {
    // Prepare
    const { kafka } = hangingKafka();
    const producer = new RecordProducer(kafka, { deliveryTimeoutMs: 100 });
    // Act / Assess
    await expect(producer.send([record])).rejects.toMatchObject({ retriable: true });
  });
});
