import type pgModule from 'pg';
import { ConnectError, RetriableError } from '../../api/index.js';
import type { ColumnInfo } from './catalog.js';
import { type ConnectionSpec, DialectName } from './connection-url.js';

/** A row as the drivers answer it: numerics, 64-bit integers, dates and times as text. */
export type Row = Record<string, unknown>;

/** The one connection a task holds. Vendor errors stop here: they come out as Connect errors. */
export interface DbClient {
  query(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** The result columns of a query (run with `LIMIT 0`), typed from the driver's field metadata. */
  describe(sql: string): Promise<ColumnInfo[]>;
  /** Runs `fn` in one transaction: commit when it resolves, rollback when it throws. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// The drivers load on first use: a process that only validates configs or runs other connectors never
// pays for them (mysql2 alone is ~1 MB with its charset tables), and the Lambda bundles stay small.
const loadPg = async () => (await import('pg')).default;
const loadMysql = async () => (await import('mysql2/promise')).default;

// Text for exact types: numeric, int8, date, time, timestamp(tz), json(b); the source converts them.
const PG_AS_TEXT = new Set([20, 1700, 1082, 1083, 1114, 1184, 1266, 114, 3802]);
const pgTypes = (pg: typeof pgModule) => ({
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    PG_AS_TEXT.has(oid)
      ? (v: string) => v
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
});

/** Opens a connection with `connection.attempts` tries, `connection.backoff.ms` apart. */
export async function connect(
  spec: ConnectionSpec,
  options: { attempts: number; backoffMs: number },
): Promise<DbClient> {
  let last: unknown;
  for (let attempt = 1; attempt <= Math.max(1, options.attempts); attempt++) {
    try {
      return spec.dialect === DialectName.POSTGRES ? await connectPg(spec) : await connectMysql(spec);
    } catch (error) {
      last = error;
      if (attempt < options.attempts)
        await new Promise((r) => setTimeout(r, Math.min(options.backoffMs, 2_000)));
    }
  }
  throw new RetriableError(
    `Failed to connect to ${spec.host}:${spec.port}/${spec.database}: ${(last as Error)?.message}`,
    { cause: last },
  );
}

async function connectPg(spec: ConnectionSpec): Promise<DbClient> {
  const sslmode = spec.params.sslmode ?? (spec.params.ssl === 'true' ? 'require' : undefined);
  const schema = spec.params.currentSchema;
  const pg = await loadPg();
  const client = new pg.Client({
    host: spec.host,
    port: spec.port,
    database: spec.database,
    user: spec.user,
    password: spec.password,
    ssl: sslmode && sslmode !== 'disable' ? { rejectUnauthorized: sslmode.startsWith('verify') } : undefined,
    // Timestamps without zone are read and written as UTC (Confluent's db.timezone=UTC).
    options: `-c TimeZone=UTC${schema ? ` -c search_path=${schema.replace(/[^A-Za-z0-9_,$]/g, '')}` : ''}`,
    types: pgTypes(pg),
    connectionTimeoutMillis: 10_000,
  });
  client.on('error', () => {}); // a dropped connection surfaces on the next query
  await client.connect();
  return wrap({
    query: async (sql, params) => (await client.query(sql, params as unknown[])).rows,
    describe: async (sql) => (await client.query(sql)).fields.map(pgColumn),
    close: () => client.end(),
  });
}

async function connectMysql(spec: ConnectionSpec): Promise<DbClient> {
  const useSsl = spec.params.useSSL === 'true' || spec.params.sslMode === 'REQUIRED';
  const mysql = await loadMysql();
  const conn = await mysql.createConnection({
    host: spec.host,
    port: spec.port,
    database: spec.database || undefined,
    user: spec.user,
    password: spec.password,
    timezone: 'Z',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    charset: 'utf8mb4',
    connectTimeout: 10_000,
    ssl: useSsl ? {} : undefined,
  });
  conn.on('error', () => {});
  await conn.query("SET time_zone = '+00:00'");
  return wrap({
    query: async (sql, params) => {
      const [rows] = await conn.query(sql, params as unknown[]);
      return Array.isArray(rows) ? (rows as Row[]) : [];
    },
    describe: async (sql) => {
      const [, fields] = await conn.query(sql);
      return (fields ?? []).map((f) => mysqlColumn(f as unknown as MysqlField));
    },
    close: () => conn.end(),
  });
}

const PG_OIDS: Record<number, string> = {
  16: 'boolean',
  17: 'bytea',
  20: 'bigint',
  21: 'smallint',
  23: 'integer',
  700: 'real',
  701: 'double precision',
  1082: 'date',
  1083: 'time',
  1114: 'timestamp without time zone',
  1184: 'timestamp with time zone',
  1700: 'numeric',
};

function pgColumn(f: { name: string; dataTypeID: number; dataTypeModifier: number }): ColumnInfo {
  const type = PG_OIDS[f.dataTypeID] ?? 'text';
  const bounded = type === 'numeric' && f.dataTypeModifier >= 4;
  return {
    name: f.name,
    type,
    columnType: type,
    nullable: true,
    precision: bounded ? ((f.dataTypeModifier - 4) >> 16) & 0xffff : null,
    scale: bounded ? (f.dataTypeModifier - 4) & 0xffff : null,
    autoIncrement: false,
  };
}

interface MysqlField {
  name: string;
  columnType?: number;
  type?: number;
  flags: number;
  decimals: number;
  columnLength: number;
  characterSet?: number;
}

const MYSQL_TYPES: Record<number, string> = {
  0: 'decimal',
  1: 'tinyint',
  2: 'smallint',
  3: 'int',
  4: 'float',
  5: 'double',
  7: 'timestamp',
  8: 'bigint',
  9: 'mediumint',
  10: 'date',
  11: 'time',
  12: 'datetime',
  13: 'year',
  16: 'bit',
  246: 'decimal',
};

function mysqlColumn(f: MysqlField): ColumnInfo {
  const code = f.columnType ?? f.type ?? 253;
  const binary = f.characterSet === 63 && (code === 252 || code === 253 || code === 254);
  const type = binary ? 'varbinary' : (MYSQL_TYPES[code] ?? 'varchar');
  const unsigned = (f.flags & 32) !== 0;
  const decimal = type === 'decimal';
  return {
    name: f.name,
    type,
    columnType: `${type}${type === 'tinyint' && f.columnLength === 1 ? '(1)' : ''}${unsigned ? ' unsigned' : ''}`,
    nullable: (f.flags & 1) === 0,
    precision: decimal
      ? f.columnLength - (f.decimals > 0 ? 1 : 0) - (unsigned ? 0 : 1)
      : type === 'bit'
        ? f.columnLength
        : null,
    scale: decimal ? f.decimals : null,
    autoIncrement: false,
  };
}

function wrap(raw: Pick<DbClient, 'query' | 'close' | 'describe'>): DbClient {
  const query = async (sql: string, params?: readonly unknown[]) => {
    try {
      return await raw.query(sql, params);
    } catch (error) {
      throw dbError(error, sql);
    }
  };
  return {
    query,
    describe: async (sql) => {
      try {
        return await raw.describe(sql);
      } catch (error) {
        throw dbError(error, sql);
      }
    },
    async transaction(fn) {
      await query('BEGIN');
      try {
        const result = await fn();
        await query('COMMIT');
        return result;
      } catch (error) {
        await raw.query('ROLLBACK').catch(() => {});
        throw error;
      }
    },
    close: () => raw.close().catch(() => {}),
  };
}

/** Whether a driver error is worth retrying: lost connections, deadlocks, serialization failures. */
export function isTransient(error: unknown): boolean {
  const e = error as { code?: string; errno?: number };
  const code = String(e?.code ?? '');
  return (
    code.startsWith('08') ||
    code === '40001' ||
    code === '40P01' ||
    code === '57P01' ||
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'PROTOCOL_CONNECTION_LOST'].includes(code) ||
    e?.errno === 1213 ||
    e?.errno === 1205
  );
}

/** A driver error as a Connect error carrying it as `cause` (SQL text kept: it never holds values). */
export function dbError(error: unknown, sql: string): ConnectError {
  if (error instanceof ConnectError) return error;
  const message = `${(error as Error)?.message ?? String(error)} (SQL: ${sql.slice(0, 300)})`;
  return isTransient(error)
    ? new RetriableError(message, { cause: error })
    : new ConnectError(message, { cause: error });
}
