import { ConnectError, type SinkRecord } from '../../api/index.js';
import { describeTable } from './catalog.js';
import type { Connection } from './connection.js';
import { DialectName } from './connection-url.js';
import type { InsertMode } from './sink-config.js';
import {
  type ColumnSpec,
  fieldValues,
  keyValues,
  type Layout,
  type LayoutConfig,
  layoutOf,
} from './sink-layout.js';
import {
  alterTableSql,
  createTableSql,
  deleteSql,
  insertSql,
  MAX_PARAMS,
  toDbValue,
  updateSql,
} from './sink-sql.js';
import { parseTableName, type TableId } from './table-id.js';

export interface WriterConfig extends LayoutConfig {
  insertMode: InsertMode;
  tableNameFormat: string;
  batchSize: number;
  deleteEnabled: boolean;
  autoCreate: boolean;
  autoEvolve: boolean;
}

/** A run of records going to one table with one layout and one operation, deduplicated by key. */
interface Buffer {
  table: TableId;
  tableKey: string;
  layout: Layout;
  op: 'write' | 'delete';
  rows: Map<string, SinkRecord>;
  seq: number;
}

/** A missing table or column the config does not allow to fix: not worth retrying. */
export class TableError extends ConnectError {
  override name = 'TableError';
}

/**
 * Writes the records of one `put` (Confluent's `JdbcDbWriter` + `BufferedRecords`): DDL first (auto.create /
 * auto.evolve, outside the transaction since MySQL commits DDL implicitly), then every row in one
 * transaction, in runs of records with the same table, layout and operation. A later record with the same
 * key replaces an earlier one in its run (a multi-row upsert may not touch a row twice).
 */
export class SinkWriter {
  /** Columns known per table (from the catalog, or created/added here). */
  private readonly columns = new Map<string, Set<string>>();

  constructor(
    private readonly conn: Connection,
    private readonly c: WriterConfig,
  ) {}

  tableOf(topic: string): TableId {
    const name = this.c.tableNameFormat.replace(/\$\{topic\}/g, topic);
    return parseTableName(name, this.conn.spec.dialect === DialectName.MYSQL ? 2 : 3);
  }

  async write(records: readonly SinkRecord[]): Promise<void> {
    const planned: { record: SinkRecord; table: TableId; layout: Layout }[] = [];
    for (const record of records) {
      if (record.value === null && !this.c.deleteEnabled) continue; // tombstones are ignored without delete.enabled
      const layout = layoutOf(record, this.c);
      const table = this.tableOf(record.topic);
      await this.ensureTable(table, layout, record.value === null);
      planned.push({ record, table, layout });
    }
    if (planned.length === 0) return;
    await this.conn.db.transaction(async () => {
      let buffer: Buffer | undefined;
      let seq = 0;
      for (const { record, table, layout } of planned) {
        const op = record.value === null ? 'delete' : 'write';
        const tableKey = JSON.stringify(table);
        if (buffer && (buffer.tableKey !== tableKey || buffer.op !== op || buffer.layout.id !== layout.id)) {
          await this.flush(buffer);
          buffer = undefined;
        }
        buffer ??= { table, tableKey, layout, op, rows: new Map(), seq: 0 };
        const keys = keyValues(record, layout, this.c);
        // Without a key (pk.mode none, or plain inserts) every record is its own row.
        const dedupe = layout.keys.length > 0 && (op === 'delete' || this.c.insertMode !== 'insert');
        buffer.rows.set(dedupe ? JSON.stringify(keys, big) : `#${seq++}`, record);
        if (this.c.batchSize > 0 && buffer.rows.size >= this.c.batchSize) {
          await this.flush(buffer);
          buffer = undefined;
        }
      }
      if (buffer) await this.flush(buffer);
    });
  }

  private async flush(b: Buffer): Promise<void> {
    const d = this.conn.dialect;
    const { keys, values } = b.layout;
    const records = [...b.rows.values()];
    const keyParams = (r: SinkRecord) =>
      keyValues(r, b.layout, this.c).map((v, i) => toDbValue(d, (keys[i] as ColumnSpec).schema, v));
    const valueParams = (r: SinkRecord) =>
      fieldValues(r, b.layout).map((v, i) => toDbValue(d, (values[i] as ColumnSpec).schema, v));
    if (b.op === 'delete') {
      if (keys.length === 0) throw new ConnectError('Deletes need a primary key (pk.mode=record_key)');
      for (const chunk of chunks(records, Math.floor(MAX_PARAMS / keys.length))) {
        await this.conn.db.query(
          deleteSql(
            d,
            b.table,
            keys.map((k) => k.name),
            chunk.length,
          ),
          chunk.flatMap(keyParams),
        );
      }
      return;
    }
    if (this.c.insertMode === 'update') {
      const sql = updateSql(
        d,
        b.table,
        values.map((v) => v.name),
        keys.map((k) => k.name),
      );
      for (const r of records) await this.conn.db.query(sql, [...valueParams(r), ...keyParams(r)]);
      return;
    }
    const columns = [...keys, ...values].map((c) => c.name);
    const upsert =
      this.c.insertMode === 'upsert'
        ? { keys: keys.map((k) => k.name), nonKeys: values.map((v) => v.name) }
        : undefined;
    for (const chunk of chunks(records, Math.max(1, Math.floor(MAX_PARAMS / Math.max(1, columns.length))))) {
      const params = chunk.flatMap((r) => [...keyParams(r), ...valueParams(r)]);
      await this.conn.db.query(insertSql(d, b.table, columns, chunk.length, upsert), params);
    }
  }

  /** Creates the table or adds missing columns as the config allows; fails otherwise (Confluent's DbStructure). */
  private async ensureTable(table: TableId, layout: Layout, tombstone: boolean): Promise<void> {
    const key = JSON.stringify(table);
    let known = this.columns.get(key);
    const wanted = [...layout.keys, ...layout.values];
    if (known && wanted.every((c) => known?.has(c.name))) return;
    const d = this.conn.dialect;
    const described = await describeTable(this.conn.db, this.conn.spec.dialect, table);
    if (!described) {
      if (!this.c.autoCreate || tombstone) {
        throw new TableError(`Table ${d.table(table)} is missing and auto-creation is disabled`);
      }
      await this.conn.db.query(createTableSql(d, table, wanted));
      this.columns.set(key, new Set(wanted.map((c) => c.name)));
      return;
    }
    known = new Set(described.map((c) => c.name));
    const missing = wanted.filter((c) => !known?.has(c.name));
    if (missing.length > 0) {
      if (!this.c.autoEvolve) {
        throw new TableError(
          `Table ${d.table(table)} is missing fields (${missing.map((m) => m.name).join(', ')}) and auto-evolution is disabled`,
        );
      }
      for (const m of missing) {
        if (m.isKey)
          throw new TableError(
            `Cannot ALTER TABLE ${d.table(table)} to add missing primary key field ${m.name}`,
          );
        if (!m.schema.optional && (m.schema.defaultValue === null || m.schema.defaultValue === undefined)) {
          throw new TableError(
            `Cannot ALTER TABLE ${d.table(table)} to add missing field ${m.name}, as the field is not optional and does not have a default value`,
          );
        }
      }
      await this.conn.db.query(alterTableSql(d, table, missing));
      for (const m of missing) known.add(m.name);
    }
    this.columns.set(key, known);
  }

  /** Forgets what it knew of the tables (after a failure, the catalog is read again). */
  reset(): void {
    this.columns.clear();
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const big = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);
