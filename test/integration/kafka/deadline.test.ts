import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoundedConsumer } from '../../../lib/kafka/bounded-consumer.js';
import { createKafka } from '../../../lib/kafka/client.js';
import { withKafkaDeadline } from '../../../lib/kafka/deadline.js';
import { RecordProducer } from '../../../lib/kafka/producer.js';
import { uniqueName } from '../../support/services.js';

// A broker that cannot be reached (a loopback port we opened and closed again: nothing listens there):
// every producer and consumer call settles by the invocation's deadline with a retriable KafkaError.
let closedPort = 0;
beforeAll(async () => {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closedPort = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
});

const unreachable = () => createKafka({ brokers: [`127.0.0.1:${closedPort}`] });
const clients: { stop(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

describe('Kafka calls to an unreachable broker, under the invocation deadline', () => {
  it('a send rejects, retriable, by its deadline', async () => {
    // Prepare
    const producer = new RecordProducer(unreachable());
    clients.push({ stop: () => producer.disconnect() });
    const started = Date.now();
    // Act
    const sent = withKafkaDeadline(started + 1_500, () =>
      producer.send([{ topic: uniqueName('nowhere'), key: null, value: Buffer.from('v'), headers: [] }]),
    );
    // Assess
    await expect(sent).rejects.toMatchObject({
      name: expect.stringMatching(/KafkaError|KafkaDeadlineError/),
      retriable: true,
    });
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('a sink poll (connect and group join) rejects, retriable, by its deadline', async () => {
    // Prepare
    const consumer = new BoundedConsumer(unreachable(), { groupId: uniqueName('connect'), topics: ['t'] });
    clients.push(consumer);
    const started = Date.now();
    // Act
    const polled = withKafkaDeadline(started + 1_500, () =>
      consumer.poll({ maxRecords: 10, maxBytes: 1 << 20, maxWaitMs: 1_000 }),
    );
    // Assess
    await expect(polled).rejects.toMatchObject({ retriable: true });
    expect(Date.now() - started).toBeLessThan(2_500);
  });
});
