import {
  DataError,
  type ErrantRecordReporter,
  type Schema,
  type SinkRecord,
  schemaEquals,
  type TopicPartition,
} from '../../api/index.js';
import type { S3SinkConfig } from './config.js';
import type { FileEncoder, RecordFormat } from './formats/index.js';
import { nextTimeAdjustedByDay } from './joda-time.js';
import { fileBaseKey } from './object-keys.js';
import type { Partitioner } from './partitioner.js';
import type { RecordView } from './record-views.js';
import type { ObjectUpload } from './s3-storage.js';
import { PartitionError } from './timestamp-extractor.js';

/** One file of a record: the value file, and the keys and headers files beside it when configured. */
export interface FileKind {
  view: RecordView;
  format: RecordFormat;
  kind: 'value' | 'key' | 'headers';
}

export interface WriterDeps {
  config: S3SinkConfig;
  partitioner: Partitioner;
  /** The value file first; Confluent writes value, key, headers in that order. */
  kinds: readonly FileKind[];
  create(key: string, gzip: boolean): ObjectUpload;
  reporter: ErrantRecordReporter | null;
  now(): number;
}

interface OpenFile {
  startOffset: number;
  uploads: { upload: ObjectUpload; encoder: FileEncoder; kind: FileKind }[];
}

/**
 * The files of one Kafka partition and Confluent's rules for closing them (`TopicPartitionWriter`,
 * https://github.com/confluentinc/kafka-connect-storage-cloud/blob/v12.1.9/kafka-connect-s3/src/main/java/io/confluent/connect/s3/TopicPartitionWriter.java).
 * One open file per encoded partition; all of them are committed together. For each record, in order:
 * a switch between tombstone and non-tombstone in its encoded partition; record-time
 * (`rotate.interval.ms`, and a change of encoded partition with `rotate.file.on.partition.change`)
 * or wall-clock (`rotate.schedule.interval.ms`) rotation; a schema different from its file's
 * (`schema.compatibility=NONE`); `partitioner.max.open.files` — each commits the open files before
 * the record is written — then the record is written, and `flush.size` records since the last commit
 * commit them after it. A file is named by the offset of its first record, so the same records give
 * the same objects whenever they are written again.
 */
export class TopicPartitionWriter {
  private readonly files = new Map<string, OpenFile>();
  private readonly schemas = new Map<string, Schema | null>();
  private recordCount = 0;
  private baseRecordTimestamp: number | null = null;
  private currentTimestamp: number | null = null;
  private currentEncodedPartition: string | null = null;
  private currentOffset = -1;
  private offsetToCommit: number | null = null;
  private nextScheduledRotation = 0;
  /** The offset after the last record handed to this writer: an earlier one means the runtime rewound. */
  private expected: number | null = null;

  constructor(
    readonly tp: TopicPartition,
    private readonly deps: WriterDeps,
  ) {
    this.setNextScheduledRotation();
  }

  /** The offset the next record must have to continue the open files, `null` before the first. */
  get nextOffset(): number | null {
    return this.expected;
  }

  /** The first offset of the open files (where reading must resume if they are lost), or `null`. */
  get startOffset(): number | null {
    let min: number | null = null;
    for (const f of this.files.values()) if (min === null || f.startOffset < min) min = f.startOffset;
    return min;
  }

  /** Writes records of this partition (in offset order), committing files as the rules say. */
  async write(records: readonly SinkRecord[]): Promise<void> {
    const now = this.deps.now();
    if (this.recordCount === 0 && this.scheduledRotationDue(now)) this.setNextScheduledRotation();
    for (const record of records) {
      this.expected = record.kafkaOffset + 1;
      await this.writeOne(record, now);
    }
    // Confluent's commitOnTimeIfNoData: time limits are also checked once the batch is written.
    if (
      this.recordCount > 0 &&
      this.rotateOnTime(this.currentEncodedPartition as string, this.currentTimestamp, now)
    ) {
      this.setNextScheduledRotation();
      await this.commitFiles();
    }
  }

  /** The offset to commit if files were committed since the last call (Confluent's `getOffsetToCommitAndReset`). */
  offsetToCommitAndReset(): number | null {
    const offset = this.offsetToCommit;
    this.offsetToCommit = null;
    return offset;
  }

  /** Commits whatever is open, whatever the rules say (a batch that must end with everything written). */
  async commitAll(): Promise<void> {
    if (this.files.size > 0) await this.commitFiles();
  }

  /** Aborts the open uploads: their records were never committed and are read again. */
  async discard(): Promise<void> {
    const files = [...this.files.values()];
    this.files.clear();
    this.schemas.clear();
    this.recordCount = 0;
    this.baseRecordTimestamp = null;
    this.expected = null;
    await Promise.all(files.flatMap((f) => f.uploads.map((u) => u.upload.abort())));
  }

  private async writeOne(record: SinkRecord, now: number): Promise<void> {
    const { partitioner } = this.deps;
    for (;;) {
      if (partitioner.extractor) {
        this.currentTimestamp = partitioner.extractor.extract(record, now);
        this.baseRecordTimestamp ??= this.currentTimestamp;
      }
      let encoded: string;
      try {
        encoded = partitioner.encodePartition(record, now);
      } catch (error) {
        if (error instanceof PartitionError && this.deps.reporter)
          return this.deps.reporter.report(record, error);
        throw error;
      }
      const valueSchema = record.valueSchema;
      let currentSchema = this.schemas.get(encoded);
      const nullSchemaSwitch = this.schemas.has(encoded) && (currentSchema == null) !== (valueSchema == null);
      if (currentSchema == null || valueSchema == null) {
        this.schemas.set(encoded, valueSchema);
        currentSchema = valueSchema;
      }
      if (nullSchemaSwitch || this.rotateOnTime(encoded, this.currentTimestamp, now)) {
        if (!nullSchemaSwitch) this.setNextScheduledRotation();
        await this.commitFiles();
        continue;
      }
      if (
        this.recordCount > 0 &&
        valueSchema !== currentSchema &&
        !schemaEquals(valueSchema as Schema, currentSchema as Schema)
      ) {
        await this.commitFiles();
        continue;
      }
      const max = this.deps.config.maxOpenFiles;
      if (max !== -1 && !this.files.has(encoded) && this.files.size === max) {
        await this.commitFiles();
        continue;
      }
      if (!(await this.writeRecord(record, encoded))) return;
      if (this.recordCount >= this.deps.config.flushSize) await this.commitFiles();
      return;
    }
  }

  /** Writes one record to its file (opened on first use); `false` when it went to the errant record reporter. */
  private async writeRecord(record: SinkRecord, encoded: string): Promise<boolean> {
    const { config, reporter } = this.deps;
    let file = this.files.get(encoded);
    const opened = !file;
    if (!file) file = this.open(record, encoded);
    let pieces: (Uint8Array | null)[];
    try {
      if (config.storeKeys && record.key === null)
        throw new DataError(`Key cannot be null for SinkRecord: ${describe(record)}`);
      if (config.storeHeaders && record.headers.isEmpty())
        throw new DataError(`Headers cannot be null for SinkRecord: ${describe(record)}`);
      pieces = file.uploads.map(({ encoder, kind }) => {
        const enveloped =
          kind.kind !== 'value' && kind.format.enveloped(kind.kind === 'key' ? 'key' : 'headers');
        return encoder.write(kind.view.schema(record, enveloped), kind.view.value(record, enveloped), record);
      });
    } catch (error) {
      if (!(error instanceof DataError) || !reporter) throw error;
      if (opened) {
        this.files.delete(encoded);
        await Promise.all(file.uploads.map((u) => u.upload.abort()));
      }
      await reporter.report(record, error);
      return false;
    }
    for (let i = 0; i < pieces.length; i++) {
      const bytes = pieces[i];
      if (bytes && bytes.length > 0) await file.uploads[i]?.upload.write(bytes);
    }
    this.currentEncodedPartition = encoded;
    this.currentOffset = record.kafkaOffset;
    this.recordCount++;
    return true;
  }

  private open(record: SinkRecord, encoded: string): OpenFile {
    const { config, kinds, partitioner } = this.deps;
    const base = fileBaseKey(
      config,
      partitioner.partitionedPath(this.tp.topic, encoded),
      this.tp,
      record.kafkaOffset,
    );
    const file: OpenFile = {
      startOffset: record.kafkaOffset,
      uploads: kinds.map((kind) => {
        const key = `${base}${kind.view.extension}${kind.format.extension}`;
        return { kind, encoder: kind.format.encoder(key), upload: this.deps.create(key, kind.format.gzip) };
      }),
    };
    this.files.set(encoded, file);
    return file;
  }

  private async commitFiles(): Promise<void> {
    for (const file of this.files.values()) {
      for (const { upload, encoder } of file.uploads) {
        const rest = encoder.end();
        if (rest && rest.length > 0) await upload.write(rest);
        await upload.commit();
      }
    }
    this.files.clear();
    this.schemas.clear();
    this.offsetToCommit = this.currentOffset + 1;
    this.recordCount = 0;
    this.baseRecordTimestamp = null;
  }

  private rotateOnTime(encoded: string, timestamp: number | null, now: number): boolean {
    if (this.recordCount <= 0) return false;
    const { rotateIntervalMs, rotateOnPartitionChange } = this.deps.config;
    const periodic =
      rotateIntervalMs > 0 &&
      this.deps.partitioner.extractor !== undefined &&
      ((this.baseRecordTimestamp !== null &&
        timestamp !== null &&
        timestamp - this.baseRecordTimestamp >= rotateIntervalMs) ||
        (rotateOnPartitionChange && encoded !== this.currentEncodedPartition));
    return periodic || this.scheduledRotationDue(now);
  }

  private scheduledRotationDue(now: number): boolean {
    return this.deps.config.rotateScheduleIntervalMs > 0 && now >= this.nextScheduledRotation;
  }

  private setNextScheduledRotation(): void {
    const { rotateScheduleIntervalMs, partitioner } = this.deps.config;
    if (rotateScheduleIntervalMs > 0)
      this.nextScheduledRotation = nextTimeAdjustedByDay(
        this.deps.now(),
        rotateScheduleIntervalMs,
        partitioner.timezone,
      );
  }
}

function describe(record: SinkRecord): string {
  return `SinkRecord{kafkaOffset=${record.kafkaOffset}, topic='${record.topic}', kafkaPartition=${record.kafkaPartition}}`;
}
