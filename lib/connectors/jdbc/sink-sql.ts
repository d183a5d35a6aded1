import { BigDecimal, DataError, LogicalNames, type Schema } from '../../api/index.js';
import { DialectName } from './connection-url.js';
import { type Dialect, defaultLiteral } from './dialect.js';
import type { ColumnSpec } from './sink-layout.js';
import type { TableId } from './table-id.js';
import { formatDate, formatInstant, formatTime } from './timestamps.js';

/** Both drivers take at most 65,535 placeholders per statement; stay well below. */
export const MAX_PARAMS = 60_000;

const placeholders = (d: Dialect, from: number, count: number) =>
  Array.from({ length: count }, (_, i) => d.placeholder(from + i)).join(', ');

/** `INSERT INTO t (cols) VALUES (…), (…)` for `rows` rows, plus the upsert clause when `upsertKeys` is given. */
export function insertSql(
  d: Dialect,
  table: TableId,
  columns: readonly string[],
  rows: number,
  upsert?: { keys: readonly string[]; nonKeys: readonly string[] },
): string {
  const tuples = Array.from(
    { length: rows },
    (_, r) => `(${placeholders(d, r * columns.length + 1, columns.length)})`,
  );
  const sql = `INSERT INTO ${d.table(table)} (${columns.map(d.quote).join(', ')}) VALUES ${tuples.join(', ')}`;
  return upsert ? sql + d.upsertClause(upsert.keys, upsert.nonKeys) : sql;
}

/** `UPDATE t SET a = ?, … WHERE k = ? AND …` (set values first, then keys). */
export function updateSql(
  d: Dialect,
  table: TableId,
  nonKeys: readonly string[],
  keys: readonly string[],
): string {
  const set = nonKeys.map((c, i) => `${d.quote(c)} = ${d.placeholder(i + 1)}`).join(', ');
  const where = keys.map((k, i) => `${d.quote(k)} = ${d.placeholder(nonKeys.length + i + 1)}`).join(' AND ');
  return `UPDATE ${d.table(table)} SET ${set} WHERE ${where}`;
}

/** `DELETE FROM t WHERE (k1 = ? AND k2 = ?) OR …` for `rows` keys. */
export function deleteSql(d: Dialect, table: TableId, keys: readonly string[], rows: number): string {
  const one = (r: number) =>
    `(${keys.map((k, i) => `${d.quote(k)} = ${d.placeholder(r * keys.length + i + 1)}`).join(' AND ')})`;
  return `DELETE FROM ${d.table(table)} WHERE ${Array.from({ length: rows }, (_, r) => one(r)).join(' OR ')}`;
}

function columnDef(d: Dialect, c: ColumnSpec): string {
  const def =
    c.schema.defaultValue === null || c.schema.defaultValue === undefined
      ? undefined
      : defaultLiteral(d, c.schema.defaultValue);
  const nullable = c.isKey || !c.schema.optional ? 'NOT NULL' : 'NULL';
  return `${d.quote(c.name)} ${d.sqlType(c.schema, c.isKey)}${def ? ` DEFAULT ${def}` : ''} ${nullable}`;
}

/** `CREATE TABLE t (… , PRIMARY KEY(…))` from the record's columns (auto.create). */
export function createTableSql(d: Dialect, table: TableId, columns: readonly ColumnSpec[]): string {
  const keys = columns.filter((c) => c.isKey).map((c) => d.quote(c.name));
  const defs = columns.map((c) => columnDef(d, c));
  if (keys.length > 0) defs.push(`PRIMARY KEY(${keys.join(', ')})`);
  return `CREATE TABLE ${d.table(table)} (\n${defs.map((x) => `  ${x}`).join(',\n')})`;
}

/** `ALTER TABLE t ADD …` for missing columns (auto.evolve): one statement, every column. */
export function alterTableSql(d: Dialect, table: TableId, columns: readonly ColumnSpec[]): string {
  const kw = d.name === DialectName.POSTGRES ? 'ADD COLUMN ' : 'ADD ';
  return `ALTER TABLE ${d.table(table)} ${columns.map((c) => kw + columnDef(d, c)).join(', ')}`;
}

/** A Connect value as a driver parameter: decimals, dates and times as text, int64 as text when big. */
export function toDbValue(d: Dialect, schema: Schema, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (schema.name) {
    case LogicalNames.DECIMAL:
      return value instanceof BigDecimal ? value.toString() : String(value);
    case LogicalNames.TIMESTAMP:
      return formatInstant(value instanceof Date ? value : new Date(Number(value)));
    case LogicalNames.DATE:
      return formatDate(value instanceof Date ? value : new Date(Number(value) * 86_400_000));
    case LogicalNames.TIME:
      return formatTime(value instanceof Date ? value : new Date(Number(value)));
  }
  switch (schema.type) {
    case 'BOOLEAN':
      return d.name === DialectName.POSTGRES ? Boolean(value) : value ? 1 : 0;
    case 'INT64':
      return typeof value === 'bigint' ? value.toString() : value;
    case 'BYTES':
      return value instanceof Uint8Array
        ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
        : value;
    case 'STRUCT':
    case 'ARRAY':
    case 'MAP':
      throw new DataError(`Unsupported type for a JDBC column: ${schema.type}`);
    default:
      return value;
  }
}
