import { Connector, type ConnectorProps } from './connector.js';
import type { SinkRecord } from './record.js';

export interface TopicPartition {
  topic: string;
  partition: number;
}

/** A committed position: the next offset to read for a topic partition. */
export interface TopicPartitionOffset extends TopicPartition {
  offset: number;
}

/** One change to a sink offset through the REST offsets API; `offset: null` resets it. */
export interface SinkOffsetChange extends TopicPartition {
  offset: number | null;
}

/** Reports a record the task could not write (KIP-610); honours `errors.tolerance` and the DLQ. */
export interface ErrantRecordReporter {
  report(record: SinkRecord, error: Error): Promise<void>;
}

export interface SinkTaskContext {
  configs(): Readonly<Record<string, string>>;
  /** Asks the runtime to seek these partitions (for connectors that keep their own offsets). */
  offset(offsets: readonly TopicPartitionOffset[]): void;
  /** Backoff before the batch is redelivered after a RetriableError. */
  timeout(ms: number): void;
  assignment(): TopicPartition[];
  pause(...partitions: TopicPartition[]): void;
  resume(...partitions: TopicPartition[]): void;
  /** A hint: commit soon. Every bounded batch ends with a commit here, so it is always honoured. */
  requestCommit(): void;
  /** `null` unless a DLQ topic or `errors.log.enable=true` is configured. */
  errantRecordReporter(): ErrantRecordReporter | null;
}

/**
 * The topic of a sink config that names exactly one in `topics` and sets no `topics.regex`, else
 * undefined. On AWS it is the rule for which sinks an event source mapping feeds (a mapping reads one
 * topic and commits each batch it delivered), so a task can tell from its config how it is fed.
 */
export function singleTopic(config: Readonly<Record<string, string>>): string | undefined {
  if ((config['topics.regex'] ?? '').trim() !== '') return undefined;
  const topics = (config.topics ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  return topics.length === 1 ? topics[0] : undefined;
}

/** A connector that writes Kafka records into a system (Kafka's `SinkConnector`). */
export abstract class SinkConnector extends Connector {
  static readonly TOPICS_CONFIG = 'topics';

  abstract taskClass(): new () => SinkTask;

  /** As `SourceConnector.alterOffsets`, for consumer-group offsets. */
  alterOffsets(_config: ConnectorProps, _offsets: readonly SinkOffsetChange[]): boolean | Promise<boolean> {
    return false;
  }
}

/**
 * Writes records to a system (Kafka's `SinkTask`). Lifecycle: `initialize` → `start(props)` →
 * `open(partitions)` → (`put(records)` … `preCommit`/`flush`)* → `close(partitions)` → `stop()`.
 *
 * - `put` may buffer; throwing a `RetriableError` redelivers the same records after `context.timeout`,
 *   any other error fails the task.
 * - `flush` must make everything `put` so far durable; offsets are committed only after it returns.
 * - `preCommit` answers the offsets that are safe to commit; the default flushes and answers all.
 */
export abstract class SinkTask {
  protected context!: SinkTaskContext;

  initialize(context: SinkTaskContext): void {
    this.context = context;
  }

  abstract version(): string;
  abstract start(props: Readonly<Record<string, string>>): void | Promise<void>;
  abstract put(records: readonly SinkRecord[]): void | Promise<void>;
  abstract stop(): void | Promise<void>;

  open(_partitions: readonly TopicPartition[]): void | Promise<void> {}

  flush(_offsets: readonly TopicPartitionOffset[]): void | Promise<void> {}

  async preCommit(offsets: readonly TopicPartitionOffset[]): Promise<readonly TopicPartitionOffset[]> {
    await this.flush(offsets);
    return offsets;
  }

  close(_partitions: readonly TopicPartition[]): void | Promise<void> {}
}
