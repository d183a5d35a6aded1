import type { Dialect } from './dialect.js';

export type Mode = 'bulk' | 'incrementing' | 'timestamp' | 'timestamp+incrementing';

export interface QuerySpec {
  dialect: Dialect;
  /** `FROM` target: a quoted table, or the user's query as a subquery. */
  from: string;
  mode: Mode;
  incrementingColumn?: string;
  timestampColumns: readonly string[];
  limit: number;
  /** Bulk only: the 1-based positions of the columns that order its pages (see `buildSelect`). */
  bulkOrder?: readonly number[];
}

/** The timestamp expression: the column, or COALESCE of several (Confluent's multi-column timestamps). */
export function timestampExpr(d: Dialect, columns: readonly string[]): string {
  return columns.length === 1
    ? d.quote(columns[0] as string)
    : `COALESCE(${columns.map(d.quote).join(', ')})`;
}

/**
 * The SELECT of one poll, with placeholders for the offset values (in the order of `params` names):
 * incrementing `inc > ?`; timestamp `ts > ? AND ts < end`; both `ts < end AND ((ts = ? AND inc > ?) OR
 * ts > ?)`, ordered so the offset of the last row read resumes exactly; bulk `LIMIT n OFFSET ?`.
 */
export function buildSelect(q: QuerySpec): { sql: string; params: ('inc' | 'ts' | 'end' | 'skip')[] } {
  const d = q.dialect;
  const p = (n: number) => d.placeholder(n);
  const base = `SELECT * FROM ${q.from}`;
  const inc = q.incrementingColumn ? d.quote(q.incrementingColumn) : '';
  const ts = q.timestampColumns.length > 0 ? timestampExpr(d, q.timestampColumns) : '';
  switch (q.mode) {
    case 'bulk': {
      // One page of the table, resumed within it by OFFSET (`?` = rows already read this cycle) in an
      // order over every orderable column, so consecutive pages neither repeat nor skip a row of a table
      // that does not change meanwhile (Confluent streams one result set instead; we cannot hold a
      // cursor open across invocations). Memory stays at one page.
      const order = q.bulkOrder?.length ? ` ORDER BY ${q.bulkOrder.join(', ')}` : '';
      return { sql: `${base}${order} LIMIT ${q.limit} OFFSET ${p(1)}`, params: ['skip'] };
    }
    case 'incrementing':
      return { sql: `${base} WHERE ${inc} > ${p(1)} ORDER BY ${inc} ASC LIMIT ${q.limit}`, params: ['inc'] };
    case 'timestamp':
      return {
        sql: `${base} WHERE ${ts} > ${p(1)} AND ${ts} < ${p(2)} ORDER BY ${ts} ASC LIMIT ${q.limit}`,
        params: ['ts', 'end'],
      };
    case 'timestamp+incrementing':
      return {
        sql: `${base} WHERE ${ts} < ${p(1)} AND ((${ts} = ${p(2)} AND ${inc} > ${p(3)}) OR ${ts} > ${p(4)}) ORDER BY ${ts}, ${inc} ASC LIMIT ${q.limit}`,
        params: ['end', 'ts', 'inc', 'ts'],
      };
  }
}

/** All rows of one timestamp (timestamp mode, when a full page shares a single timestamp). */
export function buildSameTimestamp(q: QuerySpec): string {
  return `SELECT * FROM ${q.from} WHERE ${timestampExpr(q.dialect, q.timestampColumns)} = ${q.dialect.placeholder(1)}`;
}
