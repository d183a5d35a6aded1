import { type FileHandle, open } from 'node:fs/promises';
import {
  ConfigError,
  type ConfigValue,
  ConnectError,
  type ConnectorProps,
  SinkConnector,
  type SinkOffsetChange,
  type SinkRecord,
  SinkTask,
  type TopicPartitionOffset,
} from '../../api/index.js';
import {
  ANYWHERE,
  checkFileValue,
  FILE_CONFIG,
  type FileStreamOptions,
  fileProblem,
  sinkConfigDef,
  VERSION,
} from './config.js';
import { boundTask } from './file-stream-source.js';

/**
 * Appends each record's value as a line to a file (or stdout): Apache Kafka's `FileStreamSinkConnector`.
 * `tasks.max` identical tasks. On AWS `file` is a path on an EFS volume attached to the sink function.
 * With allowed paths, `file` must be under one of them: refused at validation and at task start.
 */
export class FileStreamSinkConnector extends SinkConnector {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.file.FileStreamSinkConnector';
  private props: ConnectorProps = {};
  private readonly options: FileStreamOptions;

  constructor(options: FileStreamOptions = ANYWHERE) {
    super();
    this.options = options;
  }

  version = () => VERSION;
  config = () => sinkConfigDef(this.options);
  taskClass = () => boundTask(FileStreamSinkTask, this.options);

  override validate(props: ConnectorProps): ConfigValue[] {
    return checkFileValue(super.validate(props), props, this.options);
  }

  start(props: ConnectorProps): void {
    sinkConfigDef(this.options).parse(props);
    const problem = fileProblem(props[FILE_CONFIG], this.options);
    if (problem) throw new ConfigError(problem);
    this.props = props;
  }

  taskConfigs(maxTasks: number): Record<string, string>[] {
    return Array.from({ length: maxTasks }, () => ({ ...this.props }));
  }

  stop(): void {}

  override alterOffsets(_config: ConnectorProps, _offsets: readonly SinkOffsetChange[]): boolean {
    // Offsets live only in the consumer group; nothing external to change.
    return true;
  }
}

export class FileStreamSinkTask extends SinkTask {
  private readonly options: FileStreamOptions;
  private file?: FileHandle;
  private filename: string | null = null;

  version = () => VERSION;

  constructor(options: FileStreamOptions = ANYWHERE) {
    super();
    this.options = options;
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    this.filename = (sinkConfigDef(this.options).parse(props)[FILE_CONFIG] as string | null) || null;
    const problem = fileProblem(this.filename, this.options);
    if (problem) throw new ConfigError(problem);
    if (this.filename === null) return;
    try {
      this.file = await open(this.filename, 'a');
    } catch (error) {
      throw new ConnectError(`Couldn't find or create file '${this.filename}' for FileStreamSinkTask`, {
        cause: error,
      });
    }
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    if (records.length === 0) return;
    let text = '';
    for (const record of records) text += `${render(record.value)}\n`;
    if (this.file) await writeAll(this.file, Buffer.from(text));
    else process.stdout.write(text);
  }

  /** Kafka's FileStreamSink flushes its stream; `put` has already handed every line to the OS. */
  override async flush(_offsets: readonly TopicPartitionOffset[]): Promise<void> {}

  async stop(): Promise<void> {
    await this.file?.close().catch(() => {});
    this.file = undefined;
  }
}

/** One write call for the whole batch (appendFile writes a string in 512 KiB pieces, each a round trip). */
async function writeAll(file: FileHandle, bytes: Buffer): Promise<void> {
  for (let at = 0; at < bytes.length; ) at += (await file.write(bytes, at)).bytesWritten;
}

/** Kafka prints `value.toString()`; strings and numbers print as themselves, structured data as JSON. */
function render(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && !(value instanceof Uint8Array)) {
    const s = String(value);
    return s === '[object Object]'
      ? JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))
      : s;
  }
  return String(value);
}
