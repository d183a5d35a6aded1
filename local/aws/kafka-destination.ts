/**
 * A Kafka topic as a mapping's on-failure destination: "Lambda acts as a Kafka producer and writes
 * failed records to the destination topic", in the same cluster
 * (https://docs.aws.amazon.com/lambda/latest/dg/kafka-on-failure-destination.html).
 */
import { type Kafka, Partitioners, type Producer } from 'kafkajs';
import type { KafkaRecord } from './kafka-event.js';

export class OnFailureTopic {
  #producer: Producer | undefined;

  constructor(
    readonly kafka: Kafka,
    readonly topic: string,
  ) {}

  /**
   * Writes the failed records themselves: key, value, headers and timestamp. AWS adds "failure metadata"
   * whose layout it does not document, so none is invented here.
   */
  async send(records: KafkaRecord[]): Promise<void> {
    if (this.#producer === undefined) {
      const producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      this.#producer = producer;
    }
    await this.#producer.send({ topic: this.topic, acks: -1, messages: records.map(toMessage) });
  }

  async close(): Promise<void> {
    await this.#producer?.disconnect().catch(() => {});
    this.#producer = undefined;
  }
}

function toMessage(r: KafkaRecord) {
  const headers: Record<string, Buffer[]> = {};
  for (const [name, bytes] of r.headers) headers[name] = [...(headers[name] ?? []), bytes];
  return { key: r.key, value: r.value, headers, timestamp: String(r.timestamp) };
}
