import {
  ConnectError,
  DataError,
  type ErrantRecordReporter,
  RetriableError,
  type SinkRecord,
  SinkTask,
  singleTopic,
  type TopicPartition,
  type TopicPartitionOffset,
} from '../../api/index.js';
import type { AddressGuard } from '../http/address-policy.js';
import { parseS3Config, type S3SinkConfig, VERSION } from './config.js';
import { recordFormat } from './formats/index.js';
import { createPartitioner, type Partitioner } from './partitioner.js';
import { HEADER_VIEW, KEY_VIEW, VALUE_VIEW } from './record-views.js';
import { S3Storage } from './s3-storage.js';
import { type FileKind, TopicPartitionWriter } from './topic-partition-writer.js';

const keyOf = (tp: TopicPartition) => `${tp.topic}/${tp.partition}`;

/**
 * Whether every batch this task gets is committed once it returns, whatever `preCommit` answers: the
 * event source mapping's rule for feeding a sink (docs/runtime.md, "Sinks on AWS": exactly one topic
 * and no `topics.regex`). Such a task cannot keep an unfinished file's records uncommitted, so it
 * uploads every open file at the end of each batch instead.
 */
export function committedPerBatch(props: Readonly<Record<string, string>>): boolean {
  return singleTopic(props) !== undefined;
}

/**
 * Writes records into S3 objects as Confluent's `S3SinkTask` does
 * (https://github.com/confluentinc/kafka-connect-storage-cloud/blob/v12.1.9/kafka-connect-s3/src/main/java/io/confluent/connect/s3/S3SinkTask.java):
 * one {@link TopicPartitionWriter} per Kafka partition, `flush` a no-op, and `preCommit` answering,
 * per partition, the offset after the last record of files whose uploads completed — nothing for a
 * partition with no completed file since — so the records of an unfinished file stay uncommitted and
 * are read again after a restart, into a file of the same name. A record that arrives with an offset
 * before the ones already written (the runtime read again from the committed offset: a new
 * invocation, a rejoin after a failure) drops the open files and starts them again from it.
 *
 * `guard` is where it may connect (`s3-storage.ts`): the connector binds the deployment's policy, a
 * task built directly follows local mode's (private networks allowed, link-local never).
 */
export class S3SinkTask extends SinkTask {
  private config!: S3SinkConfig;
  private storage?: S3Storage;
  private partitioner!: Partitioner;
  private kinds: FileKind[] = [];
  private reporter: ErrantRecordReporter | null = null;
  private perBatch = false;
  private readonly writers = new Map<string, TopicPartitionWriter>();
  /** Until when a partition's records wait after a failed upload (Confluent's `failureTime` + retry.backoff.ms). */
  private readonly backoffUntil = new Map<string, number>();

  /** Overridable clock, for tests of wall-clock rotation. */
  now: () => number = Date.now;

  version = () => VERSION;

  constructor(private readonly guard: AddressGuard = { allowPrivateNetworks: true }) {
    super();
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    this.config = parseS3Config(props);
    this.partitioner = createPartitioner(this.config.partitioner);
    const c = this.config;
    this.kinds = [{ kind: 'value', view: VALUE_VIEW, format: await recordFormat(c.valueFormat, c) }];
    if (c.storeKeys)
      this.kinds.push({ kind: 'key', view: KEY_VIEW, format: await recordFormat(c.keysFormat, c) });
    if (c.storeHeaders)
      this.kinds.push({ kind: 'headers', view: HEADER_VIEW, format: await recordFormat(c.headersFormat, c) });
    this.perBatch = committedPerBatch(props);
    this.storage = await S3Storage.open(c, this.guard);
    await this.storage.checkBucket();
    this.reporter = this.context.errantRecordReporter();
  }

  override async open(partitions: readonly TopicPartition[]): Promise<void> {
    for (const tp of partitions) {
      await this.writers.get(keyOf(tp))?.discard();
      this.writers.set(keyOf(tp), this.newWriter(tp));
    }
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    const byPartition = new Map<string, SinkRecord[]>();
    for (const record of records) {
      if (record.value === null && (await this.skipNullValue(record))) continue;
      const key = keyOf({ topic: record.topic, partition: record.kafkaPartition });
      let list = byPartition.get(key);
      if (!list) {
        list = [];
        byPartition.set(key, list);
      }
      list.push(record);
    }
    for (const [key, list] of byPartition) {
      if (!this.writers.has(key)) {
        const first = list[0] as SinkRecord;
        this.writers.set(key, this.newWriter({ topic: first.topic, partition: first.kafkaPartition }));
      }
    }
    // Every writer runs, with records or without, so time limits are checked on each put (Confluent's put).
    for (const [key, writer] of this.writers)
      await this.writePartition(key, writer, byPartition.get(key) ?? []);
  }

  override async preCommit(_offsets: readonly TopicPartitionOffset[]): Promise<TopicPartitionOffset[]> {
    const answer: TopicPartitionOffset[] = [];
    for (const [key, writer] of this.writers) {
      if (this.perBatch) {
        try {
          await writer.commitAll();
        } catch (error) {
          // The batch fails and comes again; its files are started afresh then.
          await this.dropWriter(key, writer);
          throw error;
        }
      }
      const offset = writer.offsetToCommitAndReset();
      if (offset !== null) answer.push({ ...writer.tp, offset });
    }
    return answer;
  }

  override async close(partitions: readonly TopicPartition[]): Promise<void> {
    for (const tp of partitions) {
      const writer = this.writers.get(keyOf(tp));
      this.writers.delete(keyOf(tp));
      this.backoffUntil.delete(keyOf(tp));
      await writer?.discard();
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.writers.values()].map((w) => w.discard()));
    this.writers.clear();
    this.storage?.close();
  }

  private newWriter(tp: TopicPartition): TopicPartitionWriter {
    const storage = this.storage as S3Storage;
    return new TopicPartitionWriter(tp, {
      config: this.config,
      partitioner: this.partitioner,
      kinds: this.kinds,
      create: (key, gzip) => storage.create(key, gzip),
      reporter: this.reporter,
      now: () => this.now(),
    });
  }

  private async writePartition(
    key: string,
    writer: TopicPartitionWriter,
    records: SinkRecord[],
  ): Promise<void> {
    const first = records[0];
    const expected = writer.nextOffset;
    if (first && expected !== null && first.kafkaOffset < expected) await writer.discard();
    const until = this.backoffUntil.get(key);
    if (until !== undefined) {
      if (this.now() < until) {
        // Still backing off: read these again once the pause is over.
        if (first) this.context.offset([{ ...writer.tp, offset: first.kafkaOffset }]);
        return;
      }
      this.backoffUntil.delete(key);
    }
    try {
      await writer.write(records);
    } catch (error) {
      if (!(error instanceof RetriableError)) throw error;
      // Confluent's recovery: drop the partition's files, read again from the first record not yet
      // committed after retry.backoff.ms. Under an event source mapping a seek is not applied, so the
      // batch itself must fail and be delivered again.
      const from = writer.startOffset ?? first?.kafkaOffset;
      await this.dropWriter(key, writer);
      this.context.timeout(this.config.retryBackoffMs);
      if (this.perBatch) throw error;
      if (from !== undefined) this.context.offset([{ ...writer.tp, offset: from }]);
      this.backoffUntil.set(key, this.now() + this.config.retryBackoffMs);
    }
  }

  private async dropWriter(key: string, writer: TopicPartitionWriter): Promise<void> {
    await writer.discard();
    this.writers.set(key, this.newWriter(writer.tp));
  }

  /** Confluent's `maybeSkipOnNullValue`: `true` when the record is skipped, throws under `fail`. */
  private async skipNullValue(record: SinkRecord): Promise<boolean> {
    if (!this.config.ignoreNullValues) {
      throw new ConnectError(
        "Null valued records are not writeable with current behavior.on.null.values 'settings.",
      );
    }
    if (this.reporter && this.config.nullValuesToDlq)
      await this.reporter.report(record, new DataError('Skipping null value record.'));
    return true;
  }
}
