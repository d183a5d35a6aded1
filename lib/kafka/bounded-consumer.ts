import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { BoundedConsumerOptions } from './bounded-consumer-options.js';
import { beforeDeadline, kafkaDeadline } from './deadline.js';
import { asKafkaError, kafkaCall } from './errors.js';
import { decode, sizeOf } from './record-decoding.js';
import type { ConsumedRecord, TopicPartitionOffset } from './types.js';

export type { BoundedConsumerOptions } from './bounded-consumer-options.js';
export { timestampTypeOf } from './record-decoding.js';

/**
 * A kafkajs consumer in the connector's group (`connect-<name>`) that hands out bounded batches: the
 * local and mapping-less sink path. It stays connected between the batches of one invocation, so a
 * chained batch does not pay for a group join, and leaves the group at the invocation's end (`leave`),
 * since a frozen container cannot heartbeat. Offsets are never committed automatically: the sink
 * runner commits what it has flushed, so a crash redelivers everything after the last flush
 * (at-least-once).
 */
export class BoundedConsumer {
  private readonly buffer: ConsumedRecord[] = [];
  private readonly maxBuffered: number;
  private readonly maxBufferedBytes: number;
  private bufferedBytes = 0;
  private waiters: (() => void)[] = [];
  private drained: (() => void)[] = [];
  private started?: Promise<void>;
  private failure?: Error;
  private assigned = new Set<string>();
  private readonly paused = new Set<string>();

  private consumer: Consumer;
  /** `topicsRegex` only: the matching topics when the consumer subscribed, and when that was checked. */
  private matched?: { topics: string; checkedAt: number };
  private committing: Promise<void> = Promise.resolve();
  /**
   * Per partition: the log end seen by the last fetch, the offset after the last record handed out, and
   * the first offset buffered since (records are buffered and handed out in offset order).
   */
  private readonly ends = new Map<string, { highWatermark: number; next?: number; first?: number }>();

  constructor(
    private readonly kafka: Kafka,
    private readonly options: BoundedConsumerOptions,
  ) {
    this.maxBuffered = options.maxBuffered ?? 20_000;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 64 * 1024 * 1024;
    this.consumer = this.newConsumer();
  }

  /** A kafkajs consumer cannot connect again once disconnected: every (re)start gets a fresh one. */
  private newConsumer(): Consumer {
    const { groupId, sessionTimeout, heartbeatInterval, rebalanceTimeout, minBytes, maxWaitTimeInMs } =
      this.options;
    // kafkajs's own defaults apply to whatever is left undefined.
    const consumer = this.kafka.consumer({
      groupId,
      sessionTimeout,
      heartbeatInterval,
      rebalanceTimeout,
      minBytes,
      // Kafka's fetch.max.wait.ms default (kafkajs waits 5 s): a fetch long-polling an idle partition
      // holds back a seek, pause or subscription change until it returns.
      maxWaitTimeInMs: maxWaitTimeInMs ?? 500,
      readUncommitted: this.options.readUncommitted,
      // Larger fetches than kafkajs's 1 MiB per partition, so one fetch fills a bounded batch.
      maxBytesPerPartition: this.options.maxBytesPerPartition ?? 8 * 1024 * 1024,
      maxBytes: this.options.maxBytes ?? 32 * 1024 * 1024,
      allowAutoTopicCreation: false,
    });
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      if (consumer !== this.consumer) return; // an abandoned consumer's late join
      // Records buffered for partitions we no longer own will be delivered to their new owner.
      const now = new Set(
        Object.entries(event.payload.memberAssignment).flatMap(([t, ps]) => ps.map((p) => `${t}/${p}`)),
      );
      this.assigned = now;
      for (let i = this.buffer.length - 1; i >= 0; i--) {
        const r = this.buffer[i]!;
        if (now.has(`${r.topic}/${r.partition}`)) continue;
        this.buffer.splice(i, 1);
        this.bufferedBytes -= sizeOf(r);
      }
    });
    consumer.on(consumer.events.CRASH, (event) => {
      if (consumer !== this.consumer) return;
      // Above lib/kafka a crash is a KafkaError: a coordinator still loading, say, is retriable.
      this.failure = asKafkaError('consumer', event.payload.error);
      this.wake();
    });
    return consumer;
  }

  start(): Promise<void> {
    // The consumer this start is for: one abandoned at a deadline (`abandonStart`) must not go on to
    // subscribe and run beside its successor.
    const consumer = this.consumer;
    const current = () => {
      if (consumer !== this.consumer) throw new Error('consumer start abandoned');
    };
    this.started ??= kafkaCall('consumer start', async () => {
      const topics = this.options.topicsRegex ? [this.options.topicsRegex] : (this.options.topics ?? []);
      if (this.options.topicsRegex) this.matched = { topics: await this.matching(), checkedAt: Date.now() };
      await consumer.connect();
      current();
      await consumer.subscribe({ topics, fromBeginning: this.options.fromBeginning ?? true });
      current();
      await consumer.run({
        autoCommit: false,
        // take() resolves what it buffered, and only that: kafkajs's auto-resolve would also move the
        // position past a stale batch it skipped, undoing a seek that was already applied.
        eachBatchAutoResolve: false,
        eachBatch: (p) => this.take(p),
      });
    });
    return this.started;
  }

  /**
   * A start (connect, join) that outlived the invocation's deadline: the next poll starts a fresh
   * consumer, and this one is disconnected once its start settles, so that it never joins the group
   * late and holds partitions nobody reads.
   */
  private abandonStart(running: Promise<void>): void {
    const old = this.consumer;
    this.started = undefined;
    this.matched = undefined;
    this.consumer = this.newConsumer();
    void running.catch(() => {}).finally(() => old.disconnect().catch(() => {}));
  }

  /**
   * kafkajs matches a regex subscription once, when it subscribes: list the topics again every
   * `topicRefreshMs` and, when the matches changed, subscribe afresh. Safe between batches: what was
   * delivered is committed first, and what was only buffered is read again from the committed offsets.
   */
  private async refreshSubscription(): Promise<void> {
    const { topicsRegex, topicRefreshMs = 300_000 } = this.options;
    if (!topicsRegex || !this.matched || Date.now() - this.matched.checkedAt < topicRefreshMs) return;
    const now = await this.matching();
    if (now === this.matched.topics) {
      this.matched.checkedAt = Date.now();
      return;
    }
    await this.committing; // a failed commit fails this poll rather than vanishing with the restart
    await this.stop();
  }

  /** The existing topics `topicsRegex` matches, sorted and joined (a comparable key). */
  private async matching(): Promise<string> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const topics = await admin.listTopics();
      return topics
        .filter((t) => this.options.topicsRegex?.test(t))
        .sort()
        .join(',');
    } finally {
      await admin.disconnect().catch(() => {});
    }
  }

  /**
   * Records behind the log end over the partitions fetched so far: each one's high watermark at its last
   * fetch minus the next offset to hand out (the first buffered one when nothing was handed out yet).
   * `undefined` before any fetch. A sink's lag, as Kafka's `records-lag` is.
   */
  lag(): number | undefined {
    if (this.ends.size === 0) return undefined;
    let lag = 0;
    for (const [key, end] of this.ends) {
      if (!this.assigned.has(key)) continue;
      lag += Math.max(0, end.highWatermark - (end.next ?? end.first ?? end.highWatermark));
    }
    return lag;
  }

  /** Topic-partitions currently assigned to this member. */
  assignment(): { topic: string; partition: number }[] {
    return [...this.assigned].map((tp) => {
      const i = tp.lastIndexOf('/');
      return { topic: tp.slice(0, i), partition: Number(tp.slice(i + 1)) };
    });
  }

  /**
   * Answers up to `maxRecords` records (and about `maxBytes`), waiting at most `maxWaitMs` for the first
   * one. Records come in offset order per partition.
   */
  async poll(limits: {
    maxRecords: number;
    maxBytes: number;
    maxWaitMs: number;
    /** After the first record, how long to wait for more to fill the batch. @default 25 */
    lingerMs?: number;
  }): Promise<ConsumedRecord[]> {
    try {
      await this.refreshSubscription();
      await beforeDeadline(
        'consumer start (connect and group join)',
        kafkaDeadline(),
        this.start(),
        (running) => this.abandonStart(running),
      );
    } catch (error) {
      // A sink may be created before its topics exist (Kafka Connect waits for them): try again next batch.
      if (!/does not host this topic-partition|UNKNOWN_TOPIC/i.test(String((error as Error).message)))
        throw error;
      await this.stop();
      return [];
    }
    if (this.failure) throw this.failure;
    const deadline = Date.now() + limits.maxWaitMs;
    if (this.buffer.length === 0) await this.waitForRecords(deadline);
    // Linger for a full batch while records keep coming, as a producer's linger.ms does: fewer, larger
    // batches cost fewer commits and status writes. A gap of `lingerMs` with nothing new ends it.
    const linger = limits.lingerMs ?? 25;
    while (
      this.buffer.length > 0 &&
      this.buffer.length < limits.maxRecords &&
      this.bufferedBytes < limits.maxBytes &&
      Date.now() < deadline
    ) {
      const before = this.buffer.length;
      await this.waitForRecords(Math.min(deadline, Date.now() + linger));
      if (this.buffer.length <= before) break;
    }
    if (this.failure) throw this.failure;
    let bytes = 0;
    let count = 0;
    while (count < this.buffer.length && count < limits.maxRecords) {
      bytes += sizeOf(this.buffer[count]!);
      count++;
      if (bytes >= limits.maxBytes) break;
    }
    const batch = this.buffer.splice(0, count);
    this.bufferedBytes -= bytes;
    // Positions move at the end of each run of one partition (a fetch's batch), not per record.
    for (let i = 0; i < batch.length; i++) {
      const r = batch[i]!;
      const after = batch[i + 1];
      if (after && after.partition === r.partition && after.topic === r.topic) continue;
      const end = this.ends.get(`${r.topic}/${r.partition}`);
      if (end) end.next = r.offset + 1;
    }
    if (this.buffer.length < this.maxBuffered / 2 && this.bufferedBytes < this.maxBufferedBytes / 2)
      this.release();
    return batch;
  }

  /** Resolves when records arrive (or the consumer fails), or at `deadline`. */
  private async waitForRecords(deadline: number): Promise<void> {
    const ms = deadline - Date.now();
    if (ms <= 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * Commits the next offsets to read (last flushed offset + 1) for the group, after the commits asked
   * before it; it may overlap the next poll. A failed commit fails every later one.
   */
  commit(offsets: TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return this.committing;
    const deadline = kafkaDeadline();
    this.committing = this.committing.then(() =>
      beforeDeadline(
        'commit offsets',
        deadline,
        kafkaCall('commit offsets', () =>
          this.consumer.commitOffsets(offsets.map((o) => ({ ...o, offset: String(o.offset) }))),
        ),
      ),
    );
    return this.committing;
  }

  /** Resolves once every commit asked so far has landed; rejects when one failed. */
  committed(): Promise<void> {
    return this.committing;
  }

  /**
   * Reads these partitions from the given offsets next (records buffered for them are dropped). Takes
   * effect at the consumer's next fetch; only for partitions assigned to this member.
   */
  seek(offsets: readonly TopicPartitionOffset[]): void {
    for (const o of offsets) {
      this.drop(o.topic, o.partition);
      this.consumer.seek({ topic: o.topic, partition: o.partition, offset: String(o.offset) });
    }
  }

  /**
   * Makes exactly `partitions` paused: no record of a paused partition is handed out, and what was
   * buffered for it is read again after it is resumed.
   */
  setPaused(partitions: readonly { topic: string; partition: number }[]): void {
    const wanted = new Set(partitions.map((tp) => `${tp.topic}/${tp.partition}`));
    for (const tp of partitions) {
      const key = `${tp.topic}/${tp.partition}`;
      if (this.paused.has(key)) continue;
      this.paused.add(key);
      this.consumer.pause([{ topic: tp.topic, partitions: [tp.partition] }]);
      const first = this.drop(tp.topic, tp.partition);
      if (first !== undefined) this.seek([{ ...tp, offset: first }]);
    }
    for (const key of [...this.paused]) {
      if (wanted.has(key)) continue;
      this.paused.delete(key);
      const i = key.lastIndexOf('/');
      this.consumer.resume([{ topic: key.slice(0, i), partitions: [Number(key.slice(i + 1))] }]);
    }
  }

  /** Removes the buffered records of one partition; answers the first offset removed. */
  private drop(topic: string, partition: number): number | undefined {
    // The partition is read again from elsewhere: its position is known again at the next fetch.
    const end = this.ends.get(`${topic}/${partition}`);
    if (end) end.next = end.first = undefined;
    let first: number | undefined;
    for (let i = this.buffer.length - 1; i >= 0; i--) {
      const r = this.buffer[i]!;
      if (r.topic !== topic || r.partition !== partition) continue;
      first = r.offset;
      this.buffer.splice(i, 1);
      this.bufferedBytes -= sizeOf(r);
    }
    return first;
  }

  /**
   * The end of an invocation: waits for the commits in flight (rejecting when one failed), then leaves
   * the group, so that no member of `connect-<name>` sleeps in a frozen Lambda container while the group
   * waits for it (its heartbeats stop; the group would rebalance onto it, or stall a second task's join,
   * until its session timed out). The next poll joins again (docs/runtime.md: the cost of a re-join).
   */
  async leave(): Promise<void> {
    // Not in the group (never joined, or left already this invocation): nothing to leave.
    if (this.started === undefined) return this.committing;
    try {
      await this.committing;
    } finally {
      await this.stop();
    }
  }

  /** Leaves the group (after the commits in flight) and drops what was buffered; a later poll rejoins. */
  async stop(): Promise<void> {
    await this.committing.catch(() => {});
    this.committing = Promise.resolve();
    this.release();
    this.wake();
    // The crashed consumer is replaced below: its failure must not fail every later poll.
    this.failure = undefined;
    this.started = undefined;
    this.matched = undefined;
    this.paused.clear();
    this.ends.clear();
    this.buffer.length = 0;
    this.bufferedBytes = 0;
    // A LeaveGroup to an unreachable broker waits for kafkajs's request timeout: not past the deadline.
    await beforeDeadline('consumer disconnect', kafkaDeadline(), this.consumer.disconnect()).catch(() => {});
    this.consumer = this.newConsumer();
  }

  private async take({
    batch,
    heartbeat,
    isRunning,
    isStale,
    resolveOffset,
  }: EachBatchPayload): Promise<void> {
    // A fetch that was in flight when a seek or pause was asked brings records from before it: they are
    // neither buffered nor resolved, so the asked position stands.
    if (isStale()) return;
    if (this.paused.has(`${batch.topic}/${batch.partition}`)) {
      const first = batch.messages[0];
      if (first) this.consumer.seek({ topic: batch.topic, partition: batch.partition, offset: first.offset });
      return;
    }
    const key = `${batch.topic}/${batch.partition}`;
    const highWatermark = Number(batch.highWatermark);
    const first = batch.messages[0] ? Number(batch.messages[0].offset) : undefined;
    const end = this.ends.get(key);
    if (!end) this.ends.set(key, { highWatermark, first });
    else {
      end.highWatermark = highWatermark;
      end.first ??= first;
    }
    for (const message of batch.messages) {
      const r = decode(batch.topic, batch.partition, message);
      this.bufferedBytes += sizeOf(r);
      this.buffer.push(r);
    }
    const last = batch.messages.at(-1);
    if (last) resolveOffset(last.offset);
    this.wake();
    // Back-pressure: hold the fetch loop while the buffer is full, heartbeating so we keep the group.
    while (this.full() && isRunning() && !isStale()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1_000);
        this.drained.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      await heartbeat();
    }
  }

  private full(): boolean {
    return this.buffer.length >= this.maxBuffered || this.bufferedBytes >= this.maxBufferedBytes;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private release(): void {
    const drained = this.drained;
    this.drained = [];
    for (const d of drained) d();
  }
}
