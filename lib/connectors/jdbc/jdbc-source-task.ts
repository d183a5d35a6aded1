import { ConnectError, RetriableError, type SourceRecord, SourceTask } from '../../api/index.js';
import type { NumericMapping } from './column-schema.js';
import { VERSION } from './common-config.js';
import { type Connection, openConnection } from './connection.js';
import {
  BATCH_MAX_ROWS,
  INCREMENTING_COLUMN,
  MODE,
  NUMERIC_MAPPING,
  NUMERIC_PRECISION_MAPPING,
  POLL_INTERVAL,
  QUERY,
  sourceConfigDef,
  TABLES,
  TIMESTAMP_COLUMN,
  TIMESTAMP_DELAY,
  TIMESTAMP_INITIAL,
  TOPIC_PREFIX,
  VALIDATE_NON_NULL,
} from './source-config.js';
import type { Mode } from './source-query.js';
import type { TableId } from './table-id.js';
import { TableQuerier } from './table-querier.js';

/** Backoff after a lost connection or deadlock before the next query. */
const TRANSIENT_BACKOFF_MS = 1_000;

/**
 * Reads its tables round-robin: each `poll` runs the query of the table that is due soonest and answers
 * its rows (Confluent's `JdbcSourceTask`). The connection is opened on the first poll and kept warm; a
 * transient database error drops it and polls again after a short backoff.
 */
export class JdbcSourceTask extends SourceTask {
  private parsed: Record<string, unknown> = {};
  private queriers: TableQuerier[] = [];
  private conn?: Connection;
  private ready = false;
  private stopped = false;

  version = () => VERSION;

  start(props: Readonly<Record<string, string>>): void {
    this.parsed = sourceConfigDef().parse(props);
    const p = this.parsed;
    const query = p[QUERY] as string;
    const tables: (TableId | null)[] = query ? [null] : (JSON.parse(props[TABLES] ?? '[]') as TableId[]);
    if (!query && props[TABLES] === undefined)
      throw new ConnectError('Invalid configuration: tables is missing');
    const numericMapping: NumericMapping =
      (p[NUMERIC_MAPPING] as NumericMapping | null) ??
      (p[NUMERIC_PRECISION_MAPPING] ? 'precision_only' : 'none');
    this.queriers = tables.map(
      (table) =>
        new TableQuerier({
          mode: p[MODE] as Mode,
          table,
          query,
          topic: table ? `${p[TOPIC_PREFIX]}${table.table}` : (p[TOPIC_PREFIX] as string),
          incrementingColumn: p[INCREMENTING_COLUMN] as string,
          timestampColumns: p[TIMESTAMP_COLUMN] as string[],
          batchMaxRows: p[BATCH_MAX_ROWS] as number,
          pollIntervalMs: p[POLL_INTERVAL] as number,
          delayMs: Number(p[TIMESTAMP_DELAY]),
          numericMapping,
          validateNonNull: p[VALIDATE_NON_NULL] as boolean,
          timestampInitial: p[TIMESTAMP_INITIAL] === null ? null : Number(p[TIMESTAMP_INITIAL]),
        }),
    );
  }

  async poll(): Promise<SourceRecord[] | null> {
    if (this.stopped || this.queriers.length === 0) return null;
    try {
      const conn = await this.connection();
      // Each due table in turn, soonest first, until one has rows: an empty table does not end the poll.
      const due = this.queriers.filter((q) => q.nextDue <= Date.now()).sort((a, b) => a.nextDue - b.nextDue);
      for (const querier of due) {
        const records = await querier.poll(conn);
        if (records.length > 0) return records;
        if (this.stopped) break;
      }
      return null;
    } catch (error) {
      // dbError made lost connections, deadlocks and failed connects RetriableErrors; the rest fail the task.
      if (!(error instanceof RetriableError)) throw error;
      await this.dropConnection();
      const retryAt = Date.now() + TRANSIENT_BACKOFF_MS;
      for (const q of this.queriers) q.nextDue = Math.max(q.nextDue, retryAt);
      return null;
    }
  }

  private async connection(): Promise<Connection> {
    this.conn ??= await openConnection(this.parsed);
    if (!this.ready) {
      for (const q of this.queriers) await q.init(this.conn, this.context.offsetStorageReader());
      this.ready = true;
    }
    return this.conn;
  }

  private async dropConnection(): Promise<void> {
    await this.conn?.db.close();
    this.conn = undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.dropConnection();
  }
}
