import { type FileHandle, open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import {
  ConnectError,
  type ConnectorProps,
  ExactlyOnceSupport,
  Schemas,
  SourceConnector,
  type SourceOffsetChange,
  SourceRecord,
  SourceTask,
} from '../../api/index.js';
import {
  DEFAULT_TASK_BATCH_SIZE,
  FILE_CONFIG,
  FILENAME_FIELD,
  POSITION_FIELD,
  sourceConfigDef,
  TASK_BATCH_SIZE_CONFIG,
  TOPIC_CONFIG,
  VERSION,
} from './config.js';
import { LineReader } from './line-reader.js';

/**
 * Reads lines of a file (or stdin) into a topic: Apache Kafka's `FileStreamSourceConnector`, same keys
 * and offsets (`{filename}` → `{position}`). On AWS `file` is a path on an EFS volume attached to the
 * task function. Always one task.
 */
export class FileStreamSourceConnector extends SourceConnector {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.file.FileStreamSourceConnector';
  private props: ConnectorProps = {};

  version = () => VERSION;
  config = sourceConfigDef;
  taskClass = () => FileStreamSourceTask;

  start(props: ConnectorProps): void {
    sourceConfigDef().parse(props);
    this.props = props;
  }

  taskConfigs(_maxTasks: number): Record<string, string>[] {
    return [{ ...this.props }];
  }

  stop(): void {}

  override exactlyOnceSupport(config: ConnectorProps) {
    return config[FILE_CONFIG] ? ExactlyOnceSupport.SUPPORTED : ExactlyOnceSupport.UNSUPPORTED;
  }

  override alterOffsets(config: ConnectorProps, offsets: readonly SourceOffsetChange[]): boolean {
    if (!config[FILE_CONFIG]) {
      throw new ConnectError('Offsets cannot be modified if the connector is configured to read from stdin');
    }
    for (const { partition, offset } of offsets) {
      if (partition == null) throw new ConnectError('Partition objects cannot be null');
      if (!(FILENAME_FIELD in partition)) {
        throw new ConnectError(`Partition objects should contain the key '${FILENAME_FIELD}'`);
      }
      if (offset === null) continue;
      const position = offset[POSITION_FIELD];
      if (position === undefined)
        throw new ConnectError(`Offset objects should either be null or contain the key '${POSITION_FIELD}'`);
      if (typeof position !== 'number' || !Number.isInteger(position)) {
        throw new ConnectError(
          `The value for the '${POSITION_FIELD}' key in the offset is expected to be a Long value`,
        );
      }
      if (position < 0)
        throw new ConnectError(
          `The value for the '${POSITION_FIELD}' key in the offset should be a non-negative value`,
        );
    }
    return true;
  }
}

export class FileStreamSourceTask extends SourceTask {
  private filename: string | null = null;
  private topic = '';
  private batchSize = DEFAULT_TASK_BATCH_SIZE;
  private file?: FileHandle;
  private reader?: LineReader;
  private stdin?: AsyncIterator<string>;

  version = () => VERSION;

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    const parsed = sourceConfigDef().parse(props);
    this.filename = (parsed[FILE_CONFIG] as string | null) || null;
    this.topic = parsed[TOPIC_CONFIG] as string;
    this.batchSize = parsed[TASK_BATCH_SIZE_CONFIG] as number;
  }

  async poll(): Promise<SourceRecord[] | null> {
    if (this.filename === null) return this.pollStdin();
    if (!this.reader && !(await this.openFile(this.filename))) return null;
    const lines = await this.reader!.read(this.batchSize);
    if (lines.length === 0) return null;
    const partition = { [FILENAME_FIELD]: this.filename };
    const now = Date.now();
    return lines.map(
      (line) =>
        new SourceRecord({
          sourcePartition: partition,
          sourceOffset: { [POSITION_FIELD]: line.position },
          topic: this.topic,
          valueSchema: Schemas.STRING,
          value: line.text,
          timestamp: now,
        }),
    );
  }

  async stop(): Promise<void> {
    await this.file?.close().catch(() => {});
    this.file = undefined;
    this.reader = undefined;
  }

  /** Opens the file at the committed position; a file that does not exist yet is simply not ready. */
  private async openFile(filename: string): Promise<boolean> {
    try {
      this.file = await open(filename, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw new ConnectError(`Couldn't open file ${filename}: ${(error as Error).message}`, { cause: error });
    }
    const offset = await this.context.offsetStorageReader().offset({ [FILENAME_FIELD]: filename });
    const position = offset?.[POSITION_FIELD] ?? 0;
    if (typeof position !== 'number') throw new ConnectError('Offset position is the incorrect type');
    this.reader = new LineReader(this.file, position);
    return true;
  }

  /** stdin offsets are not tracked, as in Kafka: a restart does not resume a pipe. */
  private async pollStdin(): Promise<SourceRecord[] | null> {
    this.stdin ??= createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })[
      Symbol.asyncIterator
    ]();
    const next = await Promise.race([
      this.stdin.next(),
      new Promise<null>((r) => setTimeout(r, 1_000, null)),
    ]);
    if (next === null || next.done) return null;
    return [
      new SourceRecord({
        sourcePartition: null,
        sourceOffset: null,
        topic: this.topic,
        valueSchema: Schemas.STRING,
        value: next.value,
        timestamp: Date.now(),
      }),
    ];
  }
}
