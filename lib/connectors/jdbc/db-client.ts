import type pgModule from 'pg';
import { ConnectError, DataError, RetriableError } from '../../api/index.js';
import type { ColumnInfo } from './catalog.js';
import { type ConnectionSpec, DialectName } from './connection-url.js';

/** A row as the drivers answer it: numerics, 64-bit integers, dates and times as text. */
export type Row = Record<string, unknown>;

/**
 * The one connection a task holds. Vendor errors stop here: they come out as Connect errors.
 *
 * Values never become SQL text: PostgreSQL gets them as bind parameters (extended protocol), MySQL/MariaDB
 * as server-side prepared statement parameters (binary protocol), so no session setting (`sql_mode`
 * `NO_BACKSLASH_ESCAPES`, `standard_conforming_strings`) can change how a value is read.
 */
export interface DbClient {
  /** Runs `sql`; with `params`, they are bound to its placeholders, never interpolated. */
  query(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** The result columns of a query (run with `LIMIT 0`), typed from the driver's field metadata. */
  describe(sql: string): Promise<ColumnInfo[]>;
  /** Runs `fn` in one transaction: commit when it resolves, rollback when it throws. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * Whether the session reads a backslash in a `'…'` literal as itself (MySQL `sql_mode`
   * `NO_BACKSLASH_ESCAPES`): the one thing a literal that cannot be a parameter (a DDL `DEFAULT`) depends on.
   * Always false for PostgreSQL, whose dialect writes such literals as `E'…'`, read alike in every mode.
   */
  readonly noBackslashEscapes: boolean;
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
    noBackslashEscapes: false,
  });
}

/**
 * mysql2 keeps one server-side statement per distinct SQL text and closes the least recently used beyond
 * this many. A task's hot set is small (per table: a full-batch insert, the last partial one, a delete, the
 * source's SELECT), while the server caps statements for all sessions together (`max_prepared_stmt_count`,
 * 16,382 by default): the driver's default of 16,000 per connection could exhaust it.
 */
const MYSQL_PREPARED_STATEMENTS = 32;

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
    maxPreparedStatements: MYSQL_PREPARED_STATEMENTS,
  });
  conn.on('error', () => {});
  try {
    await conn.query("SET time_zone = '+00:00'");
    const [modes] = await conn.query('SELECT @@SESSION.sql_mode AS m');
    const mode = String((modes as Row[])[0]?.m ?? '');
    return wrap({
      query: async (sql, params) => {
        // Only statements without values go as text (BEGIN, DDL, catalog reads): those cannot be injected.
        if (!params || params.length === 0) {
          const [rows] = await conn.query(sql);
          return Array.isArray(rows) ? (rows as Row[]) : [];
        }
        const values = params.map(bindable) as Parameters<typeof conn.execute>[1];
        const [rows, fields] = await conn.execute(sql, values);
        return Array.isArray(rows) ? asTextProtocol(rows as Row[], fields as unknown as MysqlField[]) : [];
      },
      describe: async (sql) => {
        const [, fields] = await conn.query(sql);
        return (fields ?? []).map((f) => mysqlColumn(f as unknown as MysqlField));
      },
      close: () => conn.end(),
      noBackslashEscapes: mode.split(',').includes('NO_BACKSLASH_ESCAPES'),
    });
  } catch (error) {
    conn.destroy();
    throw error;
  }
}

/** A value as a prepared-statement parameter: mysql2's `execute` refuses `undefined`, sends arrays as JSON. */
function bindable(value: unknown): unknown {
  if (value === undefined) return null;
  if (Array.isArray(value)) throw new DataError('A MySQL statement parameter cannot be a list');
  // A Buffer goes as BLOB; a bare Uint8Array would go as text in the connection charset.
  if (value instanceof Uint8Array && !Buffer.isBuffer(value))
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return value;
}

const FLOAT = 4;
const DOUBLE = 5;
const TEMPORAL_WITH_FRACTION = new Set([7, 11, 12]); // TIMESTAMP, TIME, DATETIME
const NOT_FIXED = 31; // the `decimals` of a FLOAT/DOUBLE without (M,D), or of an expression

/**
 * Rows of a prepared statement (binary protocol) as the same statement's text would have answered them,
 * where the two differ: a FLOAT as the server prints it (6 significant digits) rather than its exact
 * single-precision value, a FLOAT(M,D)/DOUBLE(M,D) rounded to its D decimals, and fractional seconds padded
 * to the column's digits (binary rows drop a zero fraction). The server rounds half to even, exactly.
 */
export function asTextProtocol(rows: Row[], fields: readonly MysqlField[] | undefined): Row[] {
  const fixes: [string, (v: unknown) => unknown][] = [];
  for (const f of fields ?? []) {
    const code = f.columnType ?? f.type;
    const fixed = f.decimals < NOT_FIXED;
    if (code === FLOAT || (code === DOUBLE && fixed)) {
      const round = fixed ? { decimals: f.decimals } : { significant: 6 };
      fixes.push([f.name, (v) => (typeof v === 'number' ? roundHalfEven(v, round) : v)]);
    } else if (code !== undefined && TEMPORAL_WITH_FRACTION.has(code) && f.decimals > 0 && f.decimals <= 6) {
      fixes.push([f.name, (v) => (typeof v === 'string' ? withFraction(v, f.decimals) : v)]);
    }
  }
  if (fixes.length === 0) return rows;
  for (const row of rows) for (const [name, fix] of fixes) row[name] = fix(row[name]);
  return rows;
}

/** `x` rounded half to even, from its exact binary value, to some decimals or significant digits. */
export function roundHalfEven(x: number, to: { decimals: number } | { significant: number }): number {
  if (!Number.isFinite(x) || x === 0) return x;
  // x = ±digits / 10^scale exactly: a double is m·2^e, and 2^-k = 5^k / 10^k.
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biased = Number(bits >> 52n);
  const mantissa = (bits & ((1n << 52n) - 1n)) | (biased === 0 ? 0n : 1n << 52n);
  const e = (biased === 0 ? 1 : biased) - 1075;
  const digits = e >= 0 ? mantissa << BigInt(e) : mantissa * 5n ** BigInt(-e);
  const scale = Math.max(0, -e);
  const keep = 'decimals' in to ? to.decimals : to.significant - digits.toString().length + scale;
  const drop = scale - keep;
  if (drop <= 0) return x;
  const unit = 10n ** BigInt(drop);
  const half = unit / 2n;
  let q = digits / unit;
  const r = digits % unit;
  if (r > half || (r === half && q % 2n === 1n)) q += 1n;
  return Number(`${x < 0 ? '-' : ''}${q}e${-keep}`);
}

function withFraction(value: string, digits: number): string {
  const dot = value.indexOf('.');
  const fraction = dot < 0 ? '' : value.slice(dot + 1);
  return `${dot < 0 ? value : value.slice(0, dot)}.${fraction.padEnd(digits, '0').slice(0, digits)}`;
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

export interface MysqlField {
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

function wrap(raw: Pick<DbClient, 'query' | 'close' | 'describe' | 'noBackslashEscapes'>): DbClient {
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
    noBackslashEscapes: raw.noBackslashEscapes,
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
