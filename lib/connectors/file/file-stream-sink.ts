import { type FileHandle, open } from 'node:fs/promises';
import {
  ConnectError,
  type ConnectorProps,
  SinkConnector,
  type SinkOffsetChange,
  type SinkRecord,
  SinkTask,
  type TopicPartitionOffset,
} from '../../api/index.js';
import { FILE_CONFIG, sinkConfigDef, VERSION } from './config.js';

/**
 * Appends each record's value as a line to a file (or stdout): Apache Kafka's `FileStreamSinkConnector`.
 * `tasks.max` identical tasks. On AWS `file` is a path on an EFS volume attached to the sink function.
 */
export class FileStreamSinkConnector extends SinkConnector {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.file.FileStreamSinkConnector';
  private props: ConnectorProps = {};

  version = () => VERSION;
  config = sinkConfigDef;
  taskClass = () => FileStreamSinkTask;

  start(props: ConnectorProps): void {
    sinkConfigDef().parse(props);
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
  private file?: FileHandle;
  private filename: string | null = null;

  version = () => VERSION;

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    this.filename = (sinkConfigDef().parse(props)[FILE_CONFIG] as string | null) || null;
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
