import { ConfigError, type ConfigValue, type ConnectorProps, SourceConnector } from '../../api/index.js';
import { VERSION } from './common-config.js';
import { type Connection, openConnection } from './connection.js';
import { JdbcSourceTask } from './jdbc-source-task.js';
import {
  MODE,
  MODE_BULK,
  QUERY,
  SCHEMA_PATTERN,
  sourceConfigDef,
  TABLE_BLACKLIST,
  TABLE_POLL_INTERVAL,
  TABLE_TYPES,
  TABLE_WHITELIST,
  TABLES,
  TIMESTAMP_COLUMN,
} from './source-config.js';
import type { TableId } from './table-id.js';
import { type TableFilter, TableMonitor, tablesToCopy } from './table-monitor.js';

/** Contiguous groups of at most `groups` (Kafka's `ConnectorUtils.groupPartitions`). */
export function groupPartitions<T>(items: readonly T[], groups: number): T[][] {
  const n = Math.min(items.length, groups);
  const result: T[][] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    const size = Math.floor(items.length / n) + (i < items.length % n ? 1 : 0);
    result.push(items.slice(start, start + size));
    start += size;
  }
  return result;
}

/**
 * Copies tables (or a query) into topics: Confluent's `io.confluent.connect.jdbc.JdbcSourceConnector`
 * with its keys, modes and offsets. Tables are spread over `tasks.max` tasks; the table monitor asks for
 * task reconfiguration when tables appear or go.
 */
export class JdbcSourceConnector extends SourceConnector {
  static readonly CLASS_NAME = 'io.confluent.connect.jdbc.JdbcSourceConnector';
  private props: ConnectorProps = {};
  private tables: TableId[] = [];
  private conn?: Connection;
  private monitor?: TableMonitor;

  version = () => VERSION;
  config = sourceConfigDef;
  taskClass = () => JdbcSourceTask;

  override validate(props: ConnectorProps): ConfigValue[] {
    const values = super.validate(props);
    const byName = new Map(values.map((v) => [v.name, v]));
    const list = (k: string) => (byName.get(k)?.value as string[] | null) ?? [];
    if (list(TABLE_WHITELIST).length > 0 && list(TABLE_BLACKLIST).length > 0) {
      byName.get(TABLE_WHITELIST)?.addErrorMessage('table.whitelist and table.blacklist are exclusive.');
      byName.get(TABLE_BLACKLIST)?.addErrorMessage('table.whitelist and table.blacklist are exclusive.');
    }
    const mode = byName.get(MODE)?.value;
    if (
      mode !== MODE_BULK &&
      String(mode ?? '').startsWith('timestamp') &&
      list(TIMESTAMP_COLUMN).length === 0
    ) {
      byName.get(TIMESTAMP_COLUMN)?.addErrorMessage(`timestamp.column.name is required in mode ${mode}.`);
    }
    return values;
  }

  async start(props: ConnectorProps): Promise<void> {
    const errors = this.validate(props).flatMap((v) => v.errorMessages);
    if (errors.length > 0) throw new ConfigError(errors.join(' '));
    const parsed = sourceConfigDef().parse(props);
    this.props = props;
    if (parsed[QUERY]) return;
    this.conn = await openConnection(parsed);
    const filter: TableFilter = {
      whitelist: parsed[TABLE_WHITELIST] as string[],
      blacklist: parsed[TABLE_BLACKLIST] as string[],
      types: parsed[TABLE_TYPES] as string[],
      schemaPattern: parsed[SCHEMA_PATTERN] as string | null,
    };
    const conn = this.conn;
    this.tables = await tablesToCopy(conn, filter);
    this.monitor = new TableMonitor(
      () => tablesToCopy(conn, filter),
      this.tables,
      (tables) => {
        this.tables = tables;
        this.context?.requestTaskReconfiguration();
      },
      (error) => this.context?.raiseError(error as Error),
    );
    this.monitor.start(Number(parsed[TABLE_POLL_INTERVAL]));
  }

  /** Query mode: one task. Table mode: the tables in contiguous groups, one group per task. */
  taskConfigs(maxTasks: number): Record<string, string>[] {
    if (this.props[QUERY]) return [{ ...this.props }];
    return groupPartitions(this.tables, maxTasks).map((group) => ({
      ...this.props,
      [TABLES]: JSON.stringify(group),
    }));
  }

  async stop(): Promise<void> {
    this.monitor?.stop();
    await this.conn?.db.close();
    this.conn = undefined;
  }
}
