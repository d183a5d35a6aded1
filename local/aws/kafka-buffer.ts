/**
 * What a Kafka poller has fetched and not yet invoked with: records in fetch order, each with the time it
 * arrived (a batch's window opens when its first record arrives), and backpressure on the consumer.
 */
import type { Consumer, KafkaMessage } from 'kafkajs';
import { batchLength } from './kafka-batch.js';
import {
  buildKafkaEvent,
  fromKafkajs,
  type KafkaEventSource,
  type KafkaRecord,
  recordJsonBytes,
} from './kafka-event.js';

export class RecordBuffer {
  #pending: { record: KafkaRecord; at: number }[] = [];
  #bytes = 0;
  #paused = false;
  #wake: (() => void) | undefined;

  constructor(
    readonly topic: string,
    readonly batchSize: number,
    readonly windowMs: number,
    /** The event's own cap (6 MB); the buffer holds about two events' worth before it pauses the fetch. */
    readonly maxBytes: number,
  ) {}

  /** A fetched kafkajs batch; control records (transaction markers) are not records. */
  add(consumer: Consumer, partition: number, messages: KafkaMessage[]): void {
    const at = Date.now();
    for (const m of messages) {
      if ((m as { isControlRecord?: boolean }).isControlRecord) continue;
      const record = fromKafkajs(this.topic, partition, m);
      this.#pending.push({ record, at });
      this.#bytes += recordJsonBytes(record);
    }
    if (!this.#paused && (this.#pending.length > 2 * this.batchSize || this.#bytes > 2 * this.maxBytes)) {
      consumer.pause([{ topic: this.topic }]);
      this.#paused = true;
    }
    this.wake();
  }

  /** Drops what is buffered: after a (re)join, fetching starts again from the committed offsets. */
  clear(consumer?: Consumer): void {
    this.#pending = [];
    this.#bytes = 0;
    if (this.#paused) consumer?.resume([{ topic: this.topic }]);
    this.#paused = false;
  }

  /** Ms until the next batch is due: 0 when full or its window is over, undefined when empty. */
  dueIn(): number | undefined {
    const head = this.#pending[0];
    if (head === undefined) return undefined;
    if (this.#pending.length >= this.batchSize || this.#bytes >= this.maxBytes) return 0;
    return Math.max(0, head.at + this.windowMs - Date.now());
  }

  /** The next batch: at most BatchSize records and `maxBytes` of event, in order. */
  take(consumer: Consumer, source: KafkaEventSource): KafkaRecord[] {
    const records = this.#pending.map((p) => p.record);
    const overhead = Buffer.byteLength(JSON.stringify(buildKafkaEvent(source, [])));
    const n = batchLength(records, this.batchSize, this.maxBytes, overhead);
    this.#pending = this.#pending.slice(n);
    this.#bytes = this.#pending.reduce((sum, p) => sum + recordJsonBytes(p.record), 0);
    if (this.#paused && this.#pending.length <= this.batchSize && this.#bytes <= this.maxBytes) {
      consumer.resume([{ topic: this.topic }]);
      this.#paused = false;
    }
    return records.slice(0, n);
  }

  /** Ends the current `wait` (new records, or a stop). */
  wake(): void {
    this.#wake?.();
  }

  /** Resolves on new records, a `wake`, or after `ms` (never when undefined). */
  wait(ms: number | undefined, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => this.wake(), ms);
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
    });
  }
}
