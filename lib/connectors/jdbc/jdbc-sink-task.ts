import { ConnectError, DataError, RetriableError, type SinkRecord, SinkTask } from '../../api/index.js';
import { VERSION } from './common-config.js';
import { type Connection, openConnection } from './connection.js';
import {
  AUTO_CREATE,
  AUTO_EVOLVE,
  BATCH_SIZE,
  DELETE_ENABLED,
  FIELDS_WHITELIST,
  INSERT_MODE,
  type InsertMode,
  MAX_RETRIES,
  PK_FIELDS,
  PK_MODE,
  type PkMode,
  RETRY_BACKOFF,
  sinkConfigDef,
  TABLE_NAME_FORMAT,
} from './sink-config.js';
import { SinkWriter, TableError, type WriterConfig } from './sink-writer.js';

/**
 * Writes each `put` in one transaction (Confluent's `JdbcSinkTask`). A failed put is retried
 * `max.retries` times as a RetriableError after `retry.backoff.ms` (the runtime redelivers the same
 * records); data and table errors fail the task at once.
 */
export class JdbcSinkTask extends SinkTask {
  private parsed: Record<string, unknown> = {};
  private config!: WriterConfig;
  private conn?: Connection;
  private writer?: SinkWriter;
  private remainingRetries = 0;

  version = () => VERSION;

  start(props: Readonly<Record<string, string>>): void {
    this.parsed = sinkConfigDef().parse(props);
    const p = this.parsed;
    this.config = {
      insertMode: p[INSERT_MODE] as InsertMode,
      pkMode: p[PK_MODE] as PkMode,
      pkFields: p[PK_FIELDS] as string[],
      fieldsWhitelist: p[FIELDS_WHITELIST] as string[],
      tableNameFormat: p[TABLE_NAME_FORMAT] as string,
      batchSize: p[BATCH_SIZE] as number,
      deleteEnabled: p[DELETE_ENABLED] as boolean,
      autoCreate: p[AUTO_CREATE] as boolean,
      autoEvolve: p[AUTO_EVOLVE] as boolean,
    };
    this.remainingRetries = p[MAX_RETRIES] as number;
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    if (records.length === 0) return;
    try {
      if (!this.conn) {
        this.conn = await openConnection(this.parsed);
        this.writer = new SinkWriter(this.conn, this.config);
      }
      await (this.writer as SinkWriter).write(records);
      this.remainingRetries = this.parsed[MAX_RETRIES] as number;
    } catch (error) {
      if (error instanceof DataError || error instanceof TableError || !(error instanceof ConnectError))
        throw error;
      // A database error: drop the connection (it may be broken) and let the runtime redeliver.
      await this.closeConnection();
      if (this.remainingRetries <= 0) throw error;
      this.remainingRetries--;
      this.context.timeout(this.parsed[RETRY_BACKOFF] as number);
      throw new RetriableError(error.message, { cause: error });
    }
  }

  private async closeConnection(): Promise<void> {
    await this.conn?.db.close();
    this.conn = undefined;
    this.writer = undefined;
  }

  async stop(): Promise<void> {
    await this.closeConnection();
  }
}
