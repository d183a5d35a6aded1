import { DialectName } from './connection-url.js';
import type { DbClient, Row } from './db-client.js';
import type { TableId } from './table-id.js';

/** One column as the catalog describes it. */
export interface ColumnInfo {
  name: string;
  /** Lower-case catalog type: `integer`, `numeric`, `timestamp with time zone`, `varchar`, … */
  type: string;
  /** MySQL's full column type (`tinyint(1)`, `int(10) unsigned`); the type otherwise. */
  columnType: string;
  nullable: boolean;
  precision: number | null;
  scale: number | null;
  autoIncrement: boolean;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const str = (row: Row, key: string) => String(row[key] ?? row[key.toUpperCase()] ?? '');

/** The current database (catalog) name. */
export async function currentDatabase(db: DbClient, dialect: DialectName): Promise<string> {
  const sql =
    dialect === DialectName.POSTGRES ? 'SELECT current_database() AS db' : 'SELECT DATABASE() AS db';
  const [row] = await db.query(sql);
  return String(row?.db ?? '');
}

/**
 * The tables (and views, when `table.types` has VIEW) the connection can read: PostgreSQL outside its
 * system schemas (or in `schema.pattern`, a LIKE pattern), MySQL in the current database.
 */
export async function listTables(
  db: DbClient,
  dialect: DialectName,
  options: { types: readonly string[]; schemaPattern: string | null },
): Promise<TableId[]> {
  const types = options.types.map((t) => (t.toUpperCase() === 'TABLE' ? 'BASE TABLE' : t.toUpperCase()));
  if (dialect === DialectName.POSTGRES) {
    const rows = await db.query(
      `SELECT table_catalog, table_schema, table_name FROM information_schema.tables
       WHERE table_type = ANY($1) AND table_schema NOT IN ('pg_catalog', 'information_schema')
       AND ($2::text IS NULL OR table_schema LIKE $2) ORDER BY table_schema, table_name`,
      [types, options.schemaPattern],
    );
    return rows.map((r) => ({
      catalog: str(r, 'table_catalog'),
      schema: str(r, 'table_schema'),
      table: str(r, 'table_name'),
    }));
  }
  // A prepared statement binds one value per placeholder: the list gets one each.
  const list = types.length > 0 ? types.map(() => '?').join(', ') : 'NULL';
  const rows = await db.query(
    `SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name FROM information_schema.tables
     WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_TYPE IN (${list}) ORDER BY TABLE_NAME`,
    [options.schemaPattern, ...types],
  );
  return rows.map((r) => ({ catalog: str(r, 'table_schema'), table: str(r, 'table_name') }));
}

/** The table's columns in order, or `null` when it does not exist. */
export async function describeTable(
  db: DbClient,
  dialect: DialectName,
  id: TableId,
): Promise<ColumnInfo[] | null> {
  const rows =
    dialect === DialectName.POSTGRES
      ? await db.query(
          `SELECT column_name, data_type, is_nullable, numeric_precision, numeric_scale,
                  (column_default LIKE 'nextval(%' OR is_identity = 'YES') AS auto_increment
           FROM information_schema.columns
           WHERE table_schema = COALESCE($1, current_schema()) AND table_name = $2
           ORDER BY ordinal_position`,
          [id.schema ?? null, id.table],
        )
      : await db.query(
          `SELECT COLUMN_NAME AS column_name, DATA_TYPE AS data_type, COLUMN_TYPE AS column_type,
                  IS_NULLABLE AS is_nullable, NUMERIC_PRECISION AS numeric_precision,
                  NUMERIC_SCALE AS numeric_scale, (EXTRA LIKE '%auto_increment%') AS auto_increment
           FROM information_schema.columns
           WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?
           ORDER BY ORDINAL_POSITION`,
          [id.catalog ?? null, id.table],
        );
  if (rows.length === 0) return null;
  return rows.map((r) => ({
    name: str(r, 'column_name'),
    type: str(r, 'data_type').toLowerCase(),
    columnType: (str(r, 'column_type') || str(r, 'data_type')).toLowerCase(),
    nullable: str(r, 'is_nullable').toUpperCase() === 'YES',
    precision: num(r.numeric_precision),
    scale: num(r.numeric_scale),
    autoIncrement: r.auto_increment === true || Number(r.auto_increment) === 1,
  }));
}
