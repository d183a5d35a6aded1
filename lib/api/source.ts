import {
  Connector,
  type ConnectorProps,
  type ConnectorTransactionBoundaries,
  type ExactlyOnceSupport,
} from './connector.js';
import type { SourceOffsetMap, SourceRecord } from './record.js';

/** Where an acknowledged record landed (Kafka's `RecordMetadata`). */
export interface RecordMetadata {
  topic: string;
  partition: number;
  offset: number;
}

/** Reads committed source offsets (Kafka's `OffsetStorageReader`). */
export interface OffsetStorageReader {
  /** The latest committed offset of a source partition, or `null`. */
  offset(partition: SourceOffsetMap): Promise<SourceOffsetMap | null>;
  /** The offsets of several partitions, in the order asked. */
  offsets(partitions: readonly SourceOffsetMap[]): Promise<(SourceOffsetMap | null)[]>;
}

export interface SourceConnectorContext {
  requestTaskReconfiguration(): void;
  raiseError(error: Error): void;
  offsetStorageReader(): OffsetStorageReader;
}

/** One change to a source offset through the REST offsets API; `offset: null` deletes it. */
export interface SourceOffsetChange {
  partition: SourceOffsetMap;
  offset: SourceOffsetMap | null;
}

/** A connector that reads from a system into Kafka (Kafka's `SourceConnector`). */
export abstract class SourceConnector extends Connector {
  abstract taskClass(): new () => SourceTask;

  /** Whether this config can run exactly-once; `null` means the connector does not say. */
  exactlyOnceSupport(_config: ConnectorProps): ExactlyOnceSupport | null {
    return null;
  }

  canDefineTransactionBoundaries(_config: ConnectorProps): ConnectorTransactionBoundaries {
    return 'UNSUPPORTED';
  }

  /**
   * Called before offsets are altered or reset through the REST API, with the connector STOPPED. Throw
   * to refuse; return `true` when the connector also altered offsets it keeps elsewhere.
   */
  alterOffsets(_config: ConnectorProps, _offsets: readonly SourceOffsetChange[]): boolean | Promise<boolean> {
    return false;
  }
}

export interface SourceTaskContext {
  /** The task's config, as given to `start`. */
  configs(): Readonly<Record<string, string>>;
  offsetStorageReader(): OffsetStorageReader;
}

/**
 * Reads records from a source system (Kafka's `SourceTask`). Lifecycle: `initialize` → `start(props)` →
 * `poll()` repeatedly → `stop()`. In this runtime one task instance serves one bounded batch (or a warm
 * chain of batches): `start` should be cheap and resume from `context.offsetStorageReader()`.
 *
 * - `poll` answers records, or `null`/`[]` when there is nothing now; it should not block for long
 *   (about a second at most) so the batch's time budget and pause requests are honoured.
 * - `commitRecord` is called for each record once Kafka acknowledged it, or with `null` metadata when an
 *   SMT dropped it or `errors.tolerance=all` skipped it.
 * - `commit` is called after the batch's offsets were committed.
 * - `stop` may be called while `poll` is pending; `poll` should then return soon.
 */
export abstract class SourceTask {
  protected context!: SourceTaskContext;

  initialize(context: SourceTaskContext): void {
    this.context = context;
  }

  abstract version(): string;
  abstract start(props: Readonly<Record<string, string>>): void | Promise<void>;
  abstract poll(): Promise<SourceRecord[] | null>;
  abstract stop(): void | Promise<void>;

  commit(): void | Promise<void> {}

  commitRecord(_record: SourceRecord, _metadata: RecordMetadata | null): void | Promise<void> {}

  /**
   * Bytes the source system keeps for this task that it may release once they are in Kafka (a
   * replication slot's retained WAL), read after `commit`; the runtime publishes it as the
   * SourceBacklogBytes metric. `undefined` when the source has no such figure. Not in Kafka's API.
   */
  backlogBytes(): number | undefined {
    return undefined;
  }
}
