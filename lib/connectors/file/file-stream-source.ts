import { type FileHandle, open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import {
  ConfigError,
  type ConfigValue,
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
  ANYWHERE,
  checkFileValue,
  DEFAULT_LINE_MAX_BYTES,
  DEFAULT_TASK_BATCH_SIZE,
  FILE_CONFIG,
  FILENAME_FIELD,
  type FileStreamOptions,
  fileProblem,
  LINE_MAX_BYTES_CONFIG,
  POSITION_FIELD,
  sourceConfigDef,
  TASK_BATCH_SIZE_CONFIG,
  TOPIC_CONFIG,
  VERSION,
} from './config.js';
import { LineReader, LineTooLongError } from './line-reader.js';

/**
 * Reads lines of a file (or stdin) into a topic: Apache Kafka's `FileStreamSourceConnector`, same keys
 * and offsets (`{filename}` → `{position}`). On AWS `file` is a path on an EFS volume attached to the
 * task function. Always one task. With allowed paths (the deployment's `file.stream.allowed.paths`),
 * `file` must be under one of them: refused at validation and again when the task starts and opens it.
 */
export class FileStreamSourceConnector extends SourceConnector {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.file.FileStreamSourceConnector';
  private props: ConnectorProps = {};
  private readonly options: FileStreamOptions;

  constructor(options: FileStreamOptions = ANYWHERE) {
    super();
    this.options = options;
  }

  version = () => VERSION;
  config = () => sourceConfigDef(this.options);
  taskClass = () => boundTask(FileStreamSourceTask, this.options);

  override validate(props: ConnectorProps): ConfigValue[] {
    return checkFileValue(super.validate(props), props, this.options);
  }

  start(props: ConnectorProps): void {
    sourceConfigDef(this.options).parse(props);
    const problem = fileProblem(props[FILE_CONFIG], this.options);
    if (problem) throw new ConfigError(problem);
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
  private readonly options: FileStreamOptions;
  private filename: string | null = null;
  private topic = '';
  private batchSize = DEFAULT_TASK_BATCH_SIZE;
  private lineMaxBytes = DEFAULT_LINE_MAX_BYTES;
  private file?: FileHandle;
  private reader?: LineReader;
  private stdin?: AsyncIterator<string>;

  version = () => VERSION;

  constructor(options: FileStreamOptions = ANYWHERE) {
    super();
    this.options = options;
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    const parsed = sourceConfigDef(this.options).parse(props);
    this.filename = (parsed[FILE_CONFIG] as string | null) || null;
    const problem = fileProblem(this.filename, this.options);
    if (problem) throw new ConfigError(problem);
    this.topic = parsed[TOPIC_CONFIG] as string;
    this.batchSize = parsed[TASK_BATCH_SIZE_CONFIG] as number;
    this.lineMaxBytes = parsed[LINE_MAX_BYTES_CONFIG] as number;
  }

  async poll(): Promise<SourceRecord[] | null> {
    if (this.filename === null) return this.pollStdin();
    if (!this.reader && !(await this.openFile(this.filename))) return null;
    const lines = await this.readLines(this.reader!, this.filename);
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

  /**
   * A line over `line.max.bytes` fails the task (not `errors.tolerance`, which covers converters and
   * transforms, as in Kafka): skipping it would drop data silently, and the committed offset stays at
   * the line's start, so a restart meets it again until the limit is raised or the offset altered.
   */
  private async readLines(reader: LineReader, filename: string) {
    try {
      return await reader.read(this.batchSize);
    } catch (error) {
      if (!(error instanceof LineTooLongError)) throw error;
      throw new ConnectError(
        `The line of ${filename} starting at byte ${error.position} is longer than ${LINE_MAX_BYTES_CONFIG}=${error.maxBytes} bytes (or has no newline yet after that many). Raise ${LINE_MAX_BYTES_CONFIG}, or alter the connector's offset past the line ({"${POSITION_FIELD}": <byte after its newline>}) to skip it.`,
        { cause: error },
      );
    }
  }

  async stop(): Promise<void> {
    await this.file?.close().catch(() => {});
    this.file = undefined;
    this.reader = undefined;
  }

  /** Opens the file at the committed position; a file that does not exist yet is simply not ready. */
  private async openFile(filename: string): Promise<boolean> {
    // Again at open: a symlink created after start must not lead outside the allowed paths.
    const problem = fileProblem(filename, this.options);
    if (problem) throw new ConfigError(problem);
    try {
      this.file = await open(filename, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw new ConnectError(`Couldn't open file ${filename}: ${(error as Error).message}`, { cause: error });
    }
    const offset = await this.context.offsetStorageReader().offset({ [FILENAME_FIELD]: filename });
    const position = offset?.[POSITION_FIELD] ?? 0;
    if (typeof position !== 'number') throw new ConnectError('Offset position is the incorrect type');
    this.reader = new LineReader(this.file, position, this.lineMaxBytes);
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

const BOUND = new Map<string, new () => unknown>();

/** The task class bound to the connector's options (the runtime builds tasks with `new TaskClass()`). */
export function boundTask<T>(
  cls: new (options: FileStreamOptions) => T,
  options: FileStreamOptions,
): new () => T {
  if (options.allowedPaths.length === 0) return cls as unknown as new () => T;
  const key = `${cls.name}\0${options.allowedPaths.join('\0')}`;
  let bound = BOUND.get(key) as (new () => T) | undefined;
  if (!bound) {
    const Base = cls as unknown as new (options: FileStreamOptions) => object;
    const fixed = { allowedPaths: [...options.allowedPaths] };
    bound = class extends Base {
      constructor() {
        super(fixed);
      }
    } as unknown as new () => T;
    Object.defineProperty(bound, 'name', { value: cls.name });
    BOUND.set(key, bound);
  }
  return bound;
}
