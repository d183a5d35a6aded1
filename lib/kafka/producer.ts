import type { CompressionTypes, Kafka, Message, Producer } from 'kafkajs';
import { type CompressionType, kafkajsCompression } from './compression.js';
import { beforeDeadline, kafkaDeadline } from './deadline.js';
import { kafkaCall } from './errors.js';
import type { RecordMetadata, WireRecord } from './types.js';

/** What `producer.override.*` may change (client-settings.ts maps Kafka's keys onto these). */
export interface RecordProducerOptions {
  /** @default true */
  idempotent?: boolean;
  /** -1 = all. @default -1 */
  acks?: -1 | 0 | 1;
  /** @default 'none' */
  compression?: CompressionType;
  /** Kafka's `max.request.size`: a produce request stays under it. @default 1 MiB */
  maxRequestBytes?: number;
  /**
   * Kafka's `delivery.timeout.ms`: how long a send may take when no invocation deadline is set
   * (`withKafkaDeadline`). @default 120 000
   */
  deliveryTimeoutMs?: number;
}

export interface SendOptions {
  /** Epoch ms by which the send must settle; the invocation's (`withKafkaDeadline`) when absent. */
  deadline?: number;
}

/**
 * An idempotent producer with acks=all (unless overridden): the source runner's only way into Kafka.
 * `send` resolves only once every record is acknowledged, and tells where each landed, in input order.
 * It never outlives its deadline: kafkajs retries an idempotent send for ever (a broker outage would
 * hold the invocation until Lambda's timeout), so a send not acknowledged by then rejects with a
 * retriable KafkaError and nothing it carried counts as sent; the caller commits no offset for it.
 */
export class RecordProducer {
  private producer: Producer;
  private connected?: Promise<void>;
  private readonly deliveryTimeoutMs: number;
  private readonly acks: -1 | 0 | 1;
  private readonly compression: CompressionTypes;
  private readonly chunkBytes: number;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: RecordProducerOptions = {},
  ) {
    this.producer = this.newProducer();
    this.deliveryTimeoutMs = options.deliveryTimeoutMs ?? 120_000;
    this.acks = options.acks ?? -1;
    this.compression = kafkajsCompression(options.compression);
    // Room for record and request overhead below the limit (900 KiB for Kafka's 1 MiB default).
    this.chunkBytes = Math.floor((options.maxRequestBytes ?? 1024 * 1024) * 0.88);
  }

  private newProducer(): Producer {
    // Idempotence implies acks=all and at most 5 in flight; kafkajs keeps per-partition order with it.
    return this.kafka.producer({
      idempotent: this.options.idempotent ?? true,
      maxInFlightRequests: 5,
      allowAutoTopicCreation: true,
    });
  }

  connect(deadline?: number): Promise<void> {
    this.connected ??= kafkaCall('producer connect', () => this.producer.connect());
    const connecting = this.connected;
    connecting.catch(() => {
      if (this.connected === connecting) this.connected = undefined; // the next send tries again
    });
    return beforeDeadline('producer connect', deadline, connecting, (running) => this.abandon(running));
  }

  async send(records: readonly WireRecord[], options: SendOptions = {}): Promise<RecordMetadata[]> {
    if (records.length === 0) return [];
    const deadline = options.deadline ?? kafkaDeadline() ?? Date.now() + this.deliveryTimeoutMs;
    await this.connect(deadline);
    // kafkajs puts everything for one partition in one record batch, and the broker refuses a batch over
    // message.max.bytes (1 MiB by default): send in chunks below that, one after another to keep order.
    const out: RecordMetadata[] = [];
    let start = 0;
    let bytes = 0;
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      const size = (r.value?.length ?? 0) + (r.key?.length ?? 0) + 70;
      if (i > start && bytes + size > this.chunkBytes) {
        out.push(...(await this.sendChunk(records.slice(start, i), deadline)));
        start = i;
        bytes = 0;
      }
      bytes += size;
    }
    out.push(...(await this.sendChunk(records.slice(start), deadline)));
    return out;
  }

  /**
   * After a call outlived its deadline: the next send gets a fresh kafkajs producer (a send of the old
   * one may still be retrying), and the old one is disconnected once that call settles — were it
   * disconnected now, kafkajs would reconnect it to retry.
   */
  private abandon(running?: Promise<unknown>): void {
    const old = this.producer;
    this.producer = this.newProducer();
    this.connected = undefined;
    void (running ?? Promise.resolve()).catch(() => {}).finally(() => old.disconnect().catch(() => {}));
  }

  private async sendChunk(records: readonly WireRecord[], deadline: number): Promise<RecordMetadata[]> {
    // Indexes into `records` per topic (in order), and the messages in the same order.
    const byTopic = new Map<string, { indexes: number[]; messages: Message[] }>();
    for (let index = 0; index < records.length; index++) {
      const record = records[index]!;
      let entry = byTopic.get(record.topic);
      if (!entry) {
        entry = { indexes: [], messages: [] };
        byTopic.set(record.topic, entry);
      }
      entry.indexes.push(index);
      entry.messages.push(toMessage(record));
    }
    const topicMessages = [...byTopic].map(([topic, { messages }]) => ({ topic, messages }));
    const sending = kafkaCall('produce', () =>
      this.producer.sendBatch({ topicMessages, acks: this.acks, compression: this.compression }),
    );
    const results = await beforeDeadline(
      `produce of ${records.length} records`,
      deadline,
      sending,
      (running) => this.abandon(running),
    );
    return assignOffsets(records.length, byTopic, results);
  }

  async disconnect(): Promise<void> {
    this.connected = undefined;
    await this.producer.disconnect().catch(() => {});
  }
}

function toMessage(record: WireRecord): Message {
  const message: Message = {
    key: record.key,
    value: record.value,
    partition: record.partition ?? undefined,
    timestamp: record.timestamp == null ? undefined : String(record.timestamp),
  };
  if (record.headers.length === 0) return message;
  const headers: Record<string, Buffer[]> = {};
  for (const h of record.headers) {
    if (h.value === null) continue; // kafkajs cannot send null header values
    const list = headers[h.key] ?? [];
    list.push(h.value);
    headers[h.key] = list;
  }
  message.headers = headers;
  return message;
}

/**
 * kafkajs answers one base offset per topic-partition; records of one partition are appended in send
 * order, so the n-th record sent to a partition landed at baseOffset + n.
 */
function assignOffsets(
  count: number,
  byTopic: Map<string, { indexes: number[]; messages: Message[] }>,
  results: { topicName: string; partition: number; baseOffset?: string; errorCode: number }[],
): RecordMetadata[] {
  const metadata = new Array<RecordMetadata>(count);
  for (const [topic, { indexes, messages }] of byTopic) {
    const topicResults = results.filter((r) => r.topicName === topic);
    const base = new Map(topicResults.map((r) => [r.partition, Number(r.baseOffset ?? -1)]));
    const next = new Map<number, number>();
    // Without an explicit partition we cannot know which partition the partitioner chose per record, so
    // such records report partition -1 unless the topic has a single result.
    const only = topicResults.length === 1 ? topicResults[0]!.partition : -1;
    for (let i = 0; i < indexes.length; i++) {
      const partition = messages[i]!.partition ?? only;
      const n = next.get(partition) ?? 0;
      next.set(partition, n + 1);
      const b = base.get(partition);
      metadata[indexes[i]!] = { topic, partition, offset: b === undefined || b < 0 ? -1 : b + n };
    }
  }
  return metadata;
}
