import type pg from 'pg';
import { quoteIdent, quoteTable, TEXT_TYPES } from './database.js';
import { tableKey } from './filters.js';
import type { TableInfo } from './tables.js';

/** Debezium's `source.snapshot` markers (SnapshotRecord). */
export type SnapshotMarker =
  | 'first'
  | 'first_in_data_collection'
  | 'true'
  | 'last_in_data_collection'
  | 'last';

export interface SnapshotRow {
  table: TableInfo;
  /** Every column's text output by name. */
  values: Map<string, string | null>;
  /** The row's ordering key as text (primary key values, or its ctid): where a resumed snapshot continues. */
  after: string[];
  marker: SnapshotMarker;
  /** The last row of the whole snapshot. */
  last: boolean;
}

export interface SnapshotPosition {
  /** schema.table being read. */
  table: string;
  /** The ordering key of the last row emitted from it. */
  after: string[];
}

interface Pending {
  table: TableInfo;
  index: number;
  values: Map<string, string | null>;
  after: string[];
  firstInTable: boolean;
}

const CTID = '__sc_ctid';

/**
 * Reads the snapshot tables in keyset chunks (primary key order; ctid for a table without one), in a
 * transaction the caller opened (on the slot's exported snapshot when the slot is new). It holds one
 * row back, so each row's marker (first, last, first/last in its table) is known when it is answered,
 * and it can start after a {@link SnapshotPosition}: a snapshot that a batch end interrupted continues
 * with the next row instead of starting over.
 */
export class SnapshotReader {
  private index: number;
  private after: string[] | null;
  private pending?: Pending;
  private started: boolean;
  private exhausted = false;
  private buffer: Pending[] = [];
  private tableDone = false;

  constructor(
    private readonly client: pg.ClientBase,
    private readonly tables: TableInfo[],
    private readonly fetchSize: number,
    resume?: SnapshotPosition,
  ) {
    this.started = resume !== undefined;
    if (!resume) {
      this.index = 0;
      this.after = null;
      return;
    }
    const at = tables.findIndex((t) => tableKey(t) === resume.table);
    // A table that went away since: continue with the first one after it in name order.
    this.index = at >= 0 ? at : tables.findIndex((t) => tableKey(t) > resume.table);
    if (this.index < 0) this.index = tables.length;
    this.after = at >= 0 ? resume.after : null;
  }

  /** Up to `max` rows; an empty answer means the snapshot is complete. */
  async next(max: number): Promise<SnapshotRow[]> {
    const out: SnapshotRow[] = [];
    while (out.length < max && !this.exhausted) {
      const row = await this.read();
      if (!row) {
        this.exhausted = true;
        if (this.pending) out.push(this.emit(this.pending, undefined));
        this.pending = undefined;
        break;
      }
      if (this.pending) out.push(this.emit(this.pending, row));
      this.pending = row;
    }
    return out;
  }

  get done(): boolean {
    return this.exhausted && this.pending === undefined;
  }

  private emit(row: Pending, next: Pending | undefined): SnapshotRow {
    const lastInTable = next === undefined || next.table !== row.table;
    const first = !this.started;
    this.started = true;
    const marker: SnapshotMarker = first
      ? 'first'
      : next === undefined
        ? 'last'
        : row.firstInTable
          ? 'first_in_data_collection'
          : lastInTable
            ? 'last_in_data_collection'
            : 'true';
    return { table: row.table, values: row.values, after: row.after, marker, last: next === undefined };
  }

  /** The next row of the snapshot in order, or undefined at its end. */
  private async read(): Promise<Pending | undefined> {
    while (this.index < this.tables.length) {
      if (this.buffer.length === 0 && !this.tableDone) await this.fetch();
      const row = this.buffer.shift();
      if (row) return row;
      this.index++;
      this.after = null;
      this.tableDone = false;
    }
    return undefined;
  }

  private async fetch(): Promise<void> {
    const table = this.tables[this.index] as TableInfo;
    const keyed = table.primaryKey.length > 0;
    const order = keyed ? table.primaryKey.map(quoteIdent) : ['ctid'];
    const columns = table.columns.map((c) => quoteIdent(c.name));
    const params: string[] = [];
    let where = '';
    if (this.after) {
      params.push(...this.after);
      const casts = keyed
        ? table.primaryKey.map((k, i) => `$${i + 1}::${table.sqlTypes.get(k)}`)
        : ['$1::tid'];
      where = ` WHERE (${order.join(', ')}) > (${casts.join(', ')})`;
    }
    const select = keyed ? columns : [`ctid::text AS ${quoteIdent(CTID)}`, ...columns];
    const { rows } = await this.client.query({
      text: `SELECT ${select.join(', ')} FROM ${quoteTable(table)}${where} ORDER BY ${order.join(', ')} LIMIT ${this.fetchSize}`,
      values: params,
      types: TEXT_TYPES,
      rowMode: 'array',
    });
    const firstChunk = this.after === null;
    const offset = keyed ? 0 : 1;
    rows.forEach((r: (string | null)[], i: number) => {
      const values = new Map<string, string | null>();
      table.columns.forEach((c, j) => {
        values.set(c.name, r[j + offset] ?? null);
      });
      const after = keyed ? table.primaryKey.map((k) => values.get(k) ?? '') : [r[0] as string];
      this.buffer.push({ table, index: this.index, values, after, firstInTable: firstChunk && i === 0 });
    });
    if (rows.length < this.fetchSize) this.tableDone = true;
    const lastRow = this.buffer[this.buffer.length - 1];
    if (lastRow) this.after = lastRow.after;
  }
}
