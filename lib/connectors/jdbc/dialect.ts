import { ConfigError, DataError, LogicalNames, type Schema } from '../../api/index.js';
import { DialectName } from './connection-url.js';
import type { TableId } from './table-id.js';

/** `quote.sql.identifiers`: `always` quotes every identifier; `never` only accepts plain ones. */
export type QuoteMethod = 'always' | 'never';

/**
 * What differs between PostgreSQL and MySQL/MariaDB: identifier quoting, placeholders, the SQL type of a
 * Connect schema, and the upsert clause. Every statement the connectors build comes from here, with values
 * always as placeholders: no value is ever concatenated into SQL.
 */
export interface Dialect {
  readonly name: DialectName;
  /** An identifier, quoted (doubling the quote character inside) or checked plain. */
  quote(identifier: string): string;
  /** A qualified, quoted table name. */
  table(id: TableId): string;
  /**
   * A string as a SQL literal, for the one place a value cannot be a parameter (a DDL `DEFAULT`): read back
   * as exactly `value` by this dialect's sessions (see `DialectOptions`).
   */
  stringLiteral(value: string): string;
  /** The placeholder of the `n`-th (1-based) parameter. */
  placeholder(n: number): string;
  /** The column type for a Connect schema (`isKey`: MySQL needs a bounded type in a primary key). */
  sqlType(schema: Schema, isKey: boolean): string;
  /** The clause after `INSERT … VALUES …` that turns it into an upsert. */
  upsertClause(keys: readonly string[], nonKeys: readonly string[]): string;
  /** Expression of the database's current UTC time as `YYYY-MM-DD HH:MM:SS.ffffff`. */
  readonly nowUtcSql: string;
}

/** What a dialect must know of the session it writes for. */
export interface DialectOptions {
  /** MySQL: the session's `sql_mode` has `NO_BACKSLASH_ESCAPES` (a backslash in `'…'` is itself). */
  noBackslashEscapes?: boolean;
}

const PLAIN = /^[A-Za-z_][A-Za-z0-9_$]*$/;

function quoter(q: string, method: QuoteMethod) {
  return (identifier: string): string => {
    if (method === 'never') {
      if (!PLAIN.test(identifier)) {
        throw new ConfigError(
          'quote.sql.identifiers',
          'never',
          `identifier ${JSON.stringify(identifier)} needs quoting`,
        );
      }
      return identifier;
    }
    if (identifier.includes('\0')) throw new DataError('Identifiers may not contain NUL characters');
    return `${q}${identifier.split(q).join(q + q)}${q}`;
  };
}

function logical(schema: Schema): string | undefined {
  return schema.name === LogicalNames.DECIMAL ||
    schema.name === LogicalNames.DATE ||
    schema.name === LogicalNames.TIME ||
    schema.name === LogicalNames.TIMESTAMP
    ? schema.name
    : undefined;
}

function unsupported(schema: Schema): never {
  throw new DataError(`Unsupported source data type: ${schema.type}`);
}

export function postgresDialect(method: QuoteMethod = 'always'): Dialect {
  const quote = quoter('"', method);
  return {
    name: DialectName.POSTGRES,
    quote,
    table: (id) =>
      [id.schema, id.table]
        .filter((p): p is string => Boolean(p))
        .map(quote)
        .join('.'),
    // With a backslash, an escape string: read alike whatever `standard_conforming_strings` says.
    stringLiteral: (value) =>
      value.includes('\\')
        ? `E'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`
        : `'${value.replace(/'/g, "''")}'`,
    placeholder: (n) => `$${n}`,
    sqlType(schema) {
      switch (logical(schema)) {
        case LogicalNames.DECIMAL:
          return 'DECIMAL';
        case LogicalNames.DATE:
          return 'DATE';
        case LogicalNames.TIME:
          return 'TIME';
        case LogicalNames.TIMESTAMP:
          return 'TIMESTAMP';
      }
      const types: Record<string, string> = {
        INT8: 'SMALLINT',
        INT16: 'SMALLINT',
        INT32: 'INT',
        INT64: 'BIGINT',
        FLOAT32: 'REAL',
        FLOAT64: 'DOUBLE PRECISION',
        BOOLEAN: 'BOOLEAN',
        STRING: 'TEXT',
        BYTES: 'BYTEA',
      };
      return types[schema.type] ?? unsupported(schema);
    },
    upsertClause(keys, nonKeys) {
      const target = keys.map(quote).join(', ');
      if (nonKeys.length === 0) return ` ON CONFLICT (${target}) DO NOTHING`;
      const set = nonKeys.map((c) => `${quote(c)} = EXCLUDED.${quote(c)}`).join(', ');
      return ` ON CONFLICT (${target}) DO UPDATE SET ${set}`;
    },
    nowUtcSql: `to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')`,
  };
}

export function mysqlDialect(method: QuoteMethod = 'always', options: DialectOptions = {}): Dialect {
  const quote = quoter('`', method);
  return {
    name: DialectName.MYSQL,
    quote,
    // MySQL has no schemas: a two-part name is database.table.
    table: (id) =>
      [id.catalog, id.table]
        .filter((p): p is string => Boolean(p))
        .map(quote)
        .join('.'),
    // A quote doubled reads the same in every sql_mode; a backslash only doubles where it is an escape.
    stringLiteral: (value) =>
      `'${(options.noBackslashEscapes ? value : value.replace(/\\/g, '\\\\')).replace(/'/g, "''")}'`,
    placeholder: () => '?',
    sqlType(schema, isKey) {
      switch (logical(schema)) {
        case LogicalNames.DECIMAL:
          return `DECIMAL(65,${Number.parseInt(schema.parameters?.scale ?? '0', 10)})`;
        case LogicalNames.DATE:
          return 'DATE';
        case LogicalNames.TIME:
          return 'TIME(3)';
        case LogicalNames.TIMESTAMP:
          return 'DATETIME(3)';
      }
      const types: Record<string, string> = {
        INT8: 'TINYINT',
        INT16: 'SMALLINT',
        INT32: 'INT',
        INT64: 'BIGINT',
        FLOAT32: 'FLOAT',
        FLOAT64: 'DOUBLE',
        BOOLEAN: 'TINYINT',
        STRING: isKey ? 'VARCHAR(256)' : 'TEXT',
        BYTES: isKey ? 'VARBINARY(767)' : 'LONGBLOB',
      };
      return types[schema.type] ?? unsupported(schema);
    },
    upsertClause(keys, nonKeys) {
      const cols = nonKeys.length > 0 ? nonKeys : keys.slice(0, 1);
      return ` ON DUPLICATE KEY UPDATE ${cols.map((c) => `${quote(c)}=VALUES(${quote(c)})`).join(',')}`;
    },
    nowUtcSql: `DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%d %H:%i:%s.%f')`,
  };
}

export function dialectFor(name: DialectName, method: QuoteMethod, options: DialectOptions = {}): Dialect {
  return name === DialectName.POSTGRES ? postgresDialect(method) : mysqlDialect(method, options);
}

/**
 * A SQL literal for a column DEFAULT (DDL cannot take parameters): numbers and booleans as themselves,
 * strings as the dialect's `stringLiteral`; anything else has no default.
 */
export function defaultLiteral(dialect: Dialect, value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean')
    return dialect.name === DialectName.POSTGRES ? String(value) : value ? '1' : '0';
  if (typeof value === 'string') return dialect.stringLiteral(value);
  return undefined;
}
