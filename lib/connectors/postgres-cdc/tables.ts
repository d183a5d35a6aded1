import type pg from 'pg';
import type { Filters, TableRef } from './filters.js';
import type { PgColumn } from './value-converters.js';

/** A captured table as the catalog describes it. */
export interface TableInfo extends TableRef {
  oid: number;
  /** Columns in table order (dropped columns left out). */
  columns: PgColumn[];
  /** Primary key columns in key order; empty when the table has none. */
  primaryKey: string[];
  replicaIdentity: 'default' | 'nothing' | 'full' | 'index';
  /** SQL type of each column (format_type), to cast the snapshot's keyset parameters. */
  sqlTypes: Map<string, string>;
}

const IDENTITY = { d: 'default', n: 'nothing', f: 'full', i: 'index' } as const;

/** Ordinary and partitioned tables of the database the filters capture, sorted by schema.table. */
export async function capturedTables(client: pg.ClientBase, f: Filters): Promise<TableInfo[]> {
  const { rows } = await client.query<{ oid: number; schema: string; table: string }>(
    `SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS table
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
      ORDER BY n.nspname, c.relname`,
  );
  const wanted = rows.filter((r) => f.captures(r));
  return describe(
    client,
    wanted.map((r) => r.oid),
  );
}

/** The catalog's view of these relations, by oid (a relation message names its table by oid). */
export async function describe(client: pg.ClientBase, oids: number[]): Promise<TableInfo[]> {
  if (oids.length === 0) return [];
  const { rows } = await client.query<{
    oid: number;
    schema: string;
    table: string;
    identity: keyof typeof IDENTITY;
    columns: { name: string; typeOid: number; typeMod: number; notNull: boolean; sqlType: string }[];
    pk: string[] | null;
  }>(
    `SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS table, c.relreplident AS identity,
            (SELECT json_agg(json_build_object('name', a.attname, 'typeOid', a.atttypid::int,
                    'typeMod', a.atttypmod, 'notNull', a.attnotnull,
                    'sqlType', format_type(a.atttypid, a.atttypmod)) ORDER BY a.attnum)
               FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
            (SELECT array_agg(a.attname::text ORDER BY array_position(i.indkey::int2[], a.attnum))
               FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
              WHERE i.indrelid = c.oid AND i.indisprimary) AS pk
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.oid = ANY($1::oid[])
      ORDER BY n.nspname, c.relname`,
    [oids],
  );
  return rows.map((r) => ({
    oid: r.oid,
    schema: r.schema,
    table: r.table,
    replicaIdentity: IDENTITY[r.identity],
    primaryKey: r.pk ?? [],
    sqlTypes: new Map((r.columns ?? []).map((c) => [c.name, c.sqlType])),
    columns: (r.columns ?? []).map((c) => ({
      name: c.name,
      typeOid: c.typeOid,
      typeMod: c.typeMod,
      optional: !c.notNull,
    })),
  }));
}
