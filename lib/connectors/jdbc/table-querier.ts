import {
  ConnectError,
  type OffsetStorageReader,
  type Schema,
  SchemaBuilder,
  SourceRecord,
  Struct,
} from '../../api/index.js';
import { describeTable } from './catalog.js';
import { type FieldMapping, mapColumn, type NumericMapping } from './column-schema.js';
import type { Connection } from './connection.js';
import type { Row } from './db-client.js';
import {
  fromOffsetMap,
  legacyPartition,
  type QueryOffset,
  sourcePartition,
  toOffsetMap,
} from './source-offsets.js';
import { buildSameTimestamp, buildSelect, type Mode, type QuerySpec } from './source-query.js';
import type { TableId } from './table-id.js';
import { formatDbTimestamp, type PreciseTime, parseDbTimestamp } from './timestamps.js';

/** PostgreSQL types with no ordering operator: left out of a bulk page's ORDER BY. */
const UNORDERABLE = new Set(['json', 'xml', 'point', 'line', 'lseg', 'box', 'path', 'polygon', 'circle']);

export interface QuerierOptions {
  mode: Mode;
  /** A table, or `null` with `query`. */
  table: TableId | null;
  query: string;
  topic: string;
  incrementingColumn: string;
  timestampColumns: readonly string[];
  batchMaxRows: number;
  pollIntervalMs: number;
  delayMs: number;
  numericMapping: NumericMapping;
  validateNonNull: boolean;
  /** Epoch ms to start timestamp modes at without an offset; -1: now; null: 1970. */
  timestampInitial: number | null;
}

/**
 * Reads one table (or the query) page by page: each `poll` runs one bounded SELECT from the last offset
 * (Confluent's `TableQuerier`). A full page makes the table due again at once; a short one waits
 * `poll.interval.ms`. Bulk reads the whole table once per cycle, a page of `batch.max.rows` per poll
 * (never the table whole in memory); the short page that ends a cycle starts the next after the interval.
 */
export class TableQuerier {
  nextDue = 0;
  private fields: FieldMapping[] = [];
  private schema?: Schema;
  private offset: QueryOffset = {};
  private incrementing = '';
  /** Bulk: rows of the table read so far in this cycle (the next page's OFFSET). */
  private bulkRead = 0;
  /** Bulk: the positions of the orderable columns, which order its pages. */
  private bulkOrder: number[] = [];
  private readonly partition;

  constructor(private readonly o: QuerierOptions) {
    this.partition = sourcePartition(o.table);
  }

  get name(): string {
    return this.o.table ? this.o.table.table : 'query';
  }

  /** Describes the table and loads the committed offset. */
  async init(conn: Connection, reader: OffsetStorageReader): Promise<void> {
    await this.describe(conn);
    let stored = await reader.offset(this.partition);
    if (!stored && this.o.table) stored = await reader.offset(legacyPartition(this.o.table));
    this.offset = fromOffsetMap(stored);
    if (!this.offset.timestamp && this.o.mode.startsWith('timestamp') && this.o.timestampInitial !== null) {
      const ms = this.o.timestampInitial === -1 ? Date.now() : this.o.timestampInitial;
      this.offset.timestamp = { millis: ms, nanos: (ms % 1000) * 1e6 };
    }
  }

  /** One query; the rows as records (possibly none). */
  async poll(conn: Connection): Promise<SourceRecord[]> {
    const rows = await this.fetch(conn);
    if (rows.length > 0 && this.fields.some((f) => !(f.name in (rows[0] as Row)))) await this.describe(conn);
    const full = rows.length >= this.o.batchMaxRows;
    if (this.o.mode === 'bulk') this.bulkRead = full ? this.bulkRead + rows.length : 0;
    this.nextDue = full ? 0 : Date.now() + this.o.pollIntervalMs;
    return rows.map((row) => this.toRecord(row));
  }

  private async fetch(conn: Connection): Promise<Row[]> {
    const { mode, batchMaxRows } = this.o;
    if (mode === 'bulk') {
      const { sql } = buildSelect(this.spec(conn));
      return conn.db.query(sql, [this.bulkRead]);
    }
    const spec = this.spec(conn);
    const { sql, params } = buildSelect(spec);
    const end = mode.startsWith('timestamp') ? await this.endTime(conn) : '';
    const ts = formatDbTimestamp(this.offset.timestamp ?? { millis: 0, nanos: 0 });
    const values = params.map((p) =>
      p === 'inc' ? (this.offset.incrementing ?? -1) : p === 'ts' ? ts : end,
    );
    let rows = await conn.db.query(sql, values);
    if (mode === 'timestamp' && rows.length >= batchMaxRows)
      rows = await this.wholeLastTimestamp(conn, spec, rows);
    return rows;
  }

  /**
   * Timestamp mode has no tie-breaker: a page cut inside a run of equal timestamps would skip the rest of
   * the run. Drop the trailing run and read it next time, or read a page-filling run whole.
   */
  private async wholeLastTimestamp(conn: Connection, spec: QuerySpec, rows: Row[]): Promise<Row[]> {
    const last = this.rowTimestamp(rows.at(-1) as Row);
    const key = (r: Row) => this.rowTimestamp(r);
    const same = (r: Row) => {
      const t = key(r);
      return t.millis === last.millis && t.nanos === last.nanos;
    };
    let cut = rows.length;
    while (cut > 0 && same(rows[cut - 1] as Row)) cut--;
    if (cut > 0) return rows.slice(0, cut);
    return conn.db.query(buildSameTimestamp(spec), [formatDbTimestamp(last)]);
  }

  private async endTime(conn: Connection): Promise<string> {
    const [row] = await conn.db.query(`SELECT ${conn.dialect.nowUtcSql} AS now`);
    const now = parseDbTimestamp(String(row?.now));
    const millis = now.millis - this.o.delayMs;
    return formatDbTimestamp({
      millis,
      nanos: this.o.delayMs === 0 ? now.nanos : (((millis % 1000) + 1000) % 1000) * 1e6 + (now.nanos % 1e6),
    });
  }

  private spec(conn: Connection): QuerySpec {
    const from = this.o.table ? conn.dialect.table(this.o.table) : `(${this.o.query}) AS connect_query`;
    return {
      dialect: conn.dialect,
      from,
      mode: this.o.mode,
      incrementingColumn: this.incrementing,
      timestampColumns: this.o.timestampColumns,
      limit: this.o.batchMaxRows,
      bulkOrder: this.bulkOrder,
    };
  }

  private async describe(conn: Connection): Promise<void> {
    const { table, mode, numericMapping } = this.o;
    const columns = table
      ? await describeTable(conn.db, conn.spec.dialect, table)
      : await conn.db.describe(`SELECT * FROM (${this.o.query}) AS connect_query LIMIT 0`);
    if (!columns) throw new ConnectError(`Table ${table?.table} does not exist`);
    this.fields = columns.map((c) => mapColumn(c, numericMapping, table === null));
    this.bulkOrder = columns.flatMap((c, i) => (UNORDERABLE.has(c.type) ? [] : [i + 1]));
    const builder = SchemaBuilder.struct();
    if (table) builder.name(table.table);
    for (const f of this.fields) builder.field(f.name, f.schema);
    this.schema = builder.build();
    if (mode === 'incrementing' || mode === 'timestamp+incrementing') {
      this.incrementing = this.o.incrementingColumn || (columns.find((c) => c.autoIncrement)?.name ?? '');
      if (!this.incrementing) {
        throw new ConnectError(
          `Cannot find auto-incrementing column for ${this.name}; set incrementing.column.name`,
        );
      }
    }
    const needed = [
      ...(this.incrementing ? [this.incrementing] : []),
      ...(mode.startsWith('timestamp') ? this.o.timestampColumns : []),
    ];
    for (const name of needed) {
      const col = columns.find((c) => c.name === name);
      if (!col) throw new ConnectError(`Column ${name} not found in ${this.name}`);
      // Query results do not say whether a column is nullable: only tables are checked, as in Confluent.
      if (this.o.validateNonNull && table && col.nullable) {
        throw new ConnectError(
          `Cannot make incremental queries using ${name === this.incrementing ? 'incrementing' : 'timestamp'} column ${name} on ${this.name} because this column is nullable.`,
        );
      }
    }
  }

  private rowTimestamp(row: Row): PreciseTime {
    for (const c of this.o.timestampColumns) {
      const v = row[c];
      if (v !== null && v !== undefined) return parseDbTimestamp(String(v));
    }
    return { millis: 0, nanos: 0 };
  }

  private toRecord(row: Row): SourceRecord {
    const schema = this.schema as Schema;
    const value = new Struct(schema);
    for (const f of this.fields) value.put(f.name, f.convert(row[f.name]));
    let sourceOffset = null;
    if (this.o.mode !== 'bulk') {
      if (this.incrementing) this.offset.incrementing = Number(row[this.incrementing]);
      if (this.o.mode.startsWith('timestamp')) this.offset.timestamp = this.rowTimestamp(row);
      sourceOffset = toOffsetMap(this.offset);
    }
    return new SourceRecord({
      sourcePartition: this.partition,
      sourceOffset,
      topic: this.o.topic,
      valueSchema: schema,
      value,
    });
  }
}
