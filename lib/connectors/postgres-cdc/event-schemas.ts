/**
 * The key, value, envelope and source schemas of Debezium 3.6.1.Final's PostgreSQL change events, and the
 * structs that fill them.
 *
 * @see https://github.com/debezium/debezium/blob/v3.6.1.Final/debezium-connector-common/src/main/java/io/debezium/relational/TableSchemaBuilder.java
 * @see https://github.com/debezium/debezium/blob/v3.6.1.Final/debezium-connector-common/src/main/java/io/debezium/schema/SchemaFactory.java
 * @see https://github.com/debezium/debezium/blob/v3.6.1.Final/debezium-connector-common/src/main/java/io/debezium/data/Envelope.java
 * @see https://github.com/debezium/debezium/blob/v3.6.1.Final/debezium-connector-postgres/src/main/java/io/debezium/connector/postgresql/PostgresSourceInfoStructMaker.java
 */
import { DataError, type Schema, SchemaBuilder, Schemas, Struct } from '../../api/index.js';
import { DebeziumData } from './debezium-types.js';
import { int64 } from './mapping.js';
import type { TypeCatalog } from './pg-types.js';
import { UNCHANGED_TOAST } from './pgoutput.js';
import {
  type ColumnConverter,
  columnConverter,
  type HandlingModes,
  type PgColumn,
} from './value-converters.js';

export interface TableId {
  schema: string;
  table: string;
}

/** Marks a column whose value is an unchanged TOAST datum (pgoutput's `u`): not sent, not known. */
export { UNCHANGED_TOAST as UNCHANGED };

export type ColumnValues = ReadonlyMap<string, string | null | typeof UNCHANGED_TOAST>;

/** A column Debezium keeps in its events, and how to convert it. */
export interface TableColumn {
  column: PgColumn;
  converter: ColumnConverter;
}

export interface TableSchemas {
  /** `<topic>.Key`; null when the table has no key columns. */
  keySchema: Schema | null;
  /** `<topic>.Value`, optional (it is `before` and `after`). */
  valueSchema: Schema;
  /** `<topic>.Envelope`, version 2. */
  envelopeSchema: Schema;
  /** The value's columns in table order; columns of types Debezium drops are not here. */
  columns: readonly TableColumn[];
  /** The value struct of a row (its text values by column name; a missing column is NULL). */
  row(values: ColumnValues): Struct;
  key(values: ColumnValues): Struct | null;
}

/** Debezium's transaction block (`event.block`), null unless `provide.transaction.metadata`. */
export const TRANSACTION_SCHEMA = SchemaBuilder.struct()
  .optional()
  .name('event.block')
  .version(1)
  .field('id', Schemas.STRING)
  .field('total_order', Schemas.INT64)
  .field('data_collection_order', Schemas.INT64)
  .build();

const SNAPSHOT_VALUES = [
  'true',
  'first',
  'first_in_data_collection',
  'last_in_data_collection',
  'last',
  'false',
  'incremental',
] as const;

export const SOURCE_SCHEMA = SchemaBuilder.struct()
  .name('io.debezium.connector.postgresql.Source')
  .version(1)
  .field('version', Schemas.STRING)
  .field('connector', Schemas.STRING)
  .field('name', Schemas.STRING)
  .field('ts_ms', Schemas.INT64)
  .field('snapshot', DebeziumData.enumeration(SNAPSHOT_VALUES).defaultValue('false').optional())
  .field('db', Schemas.STRING)
  .field('sequence', Schemas.OPTIONAL_STRING)
  .field('ts_us', Schemas.OPTIONAL_INT64)
  .field('ts_ns', Schemas.OPTIONAL_INT64)
  .field('schema', Schemas.STRING)
  .field('table', Schemas.STRING)
  .field('txId', Schemas.OPTIONAL_INT64)
  .field('lsn', Schemas.OPTIONAL_INT64)
  .field('xmin', Schemas.OPTIONAL_INT64)
  .field('origin', Schemas.OPTIONAL_STRING)
  .field('origin_lsn', Schemas.OPTIONAL_INT64)
  .build();

export interface SourceInfo {
  /** The Debezium version we stand for, `3.6.1.Final`. */
  version: string;
  /** `topic.prefix`. */
  name: string;
  db: string;
  schema: string;
  table: string;
  /** Commit time (streaming) or read time (snapshot), epoch microseconds. */
  tsUs: bigint;
  snapshot?: (typeof SNAPSHOT_VALUES)[number];
  txId?: number;
  lsn?: bigint;
  lastCommitLsn?: bigint | null;
  /** The second LSN of `sequence`; `lsn` when not given (it stays there during incremental snapshots). */
  sequenceLsn?: bigint | null;
  xmin?: number;
  /** The replication origin of the change (pgoutput `O` message), and its LSN. */
  origin?: string;
  originLsn?: bigint;
}

const MICROS = 1000n;
const floorDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b));

/**
 * The `source` block as PostgresSourceInfoStructMaker fills it: `snapshot` only when not false (the
 * default reads `false`), txId/lsn/xmin not during incremental snapshots, `sequence` always, as Jackson
 * writes `[lastCommitLsn, lsn]`.
 */
export function sourceStruct(info: SourceInfo): Struct {
  const struct = new Struct(SOURCE_SCHEMA)
    .put('version', info.version)
    .put('connector', 'postgresql')
    .put('name', info.name)
    .put('ts_ms', int64(floorDiv(info.tsUs, MICROS)))
    .put('db', info.db)
    .put('ts_us', int64(info.tsUs))
    .put('ts_ns', int64(info.tsUs * MICROS))
    .put('schema', info.schema)
    .put('table', info.table);
  const second = info.sequenceLsn === undefined ? info.lsn : info.sequenceLsn;
  struct.put(
    'sequence',
    JSON.stringify([info.lastCommitLsn?.toString() ?? null, second?.toString() ?? null]),
  );
  if (info.snapshot && info.snapshot !== 'false') struct.put('snapshot', info.snapshot);
  if (info.snapshot !== 'incremental') {
    if (info.txId !== undefined) struct.put('txId', info.txId);
    if (info.lsn !== undefined) struct.put('lsn', int64(info.lsn));
    if (info.xmin !== undefined) struct.put('xmin', info.xmin);
  }
  if (info.origin !== undefined) struct.put('origin', info.origin);
  if (info.originLsn !== undefined) struct.put('origin_lsn', int64(info.originLsn));
  return struct;
}

/**
 * The schemas of one table's events, as TableSchemaBuilder builds them: fields named as the columns,
 * optional where the column is nullable, no defaults nor docs.
 *
 * @param onConversionError when given, a value that fails to convert is reported here and left null
 *   (Debezium's `event.converting.failure.handling.mode` warn/skip); otherwise the error is thrown (fail).
 */
export function tableSchemas(opts: {
  topic: string;
  table: TableId;
  columns: PgColumn[];
  /**
   * The key's columns in key order: names of `columns`, or a column itself for a key column left out of
   * the value by column.exclude.list (Debezium keeps primary-key columns in the key regardless).
   */
  keyColumns: (string | PgColumn)[];
  catalog: TypeCatalog;
  modes: HandlingModes;
  onConversionError?: (column: string, error: unknown) => void;
}): TableSchemas {
  const converted = (columns: PgColumn[]): TableColumn[] =>
    columns.flatMap((column) => {
      const converter = columnConverter(column, opts.catalog, opts.modes);
      return converter ? [{ column, converter }] : [];
    });
  const struct = (name: string, columns: readonly TableColumn[]): SchemaBuilder => {
    const builder = SchemaBuilder.struct().name(name);
    for (const { column, converter } of columns) builder.field(column.name, converter.schema);
    return builder;
  };
  const columns = converted(opts.columns);
  const byName = new Map(opts.columns.map((c) => [c.name, c]));
  const keyColumns = converted(
    opts.keyColumns.map((key) => {
      if (typeof key !== 'string') return key;
      const column = byName.get(key);
      if (!column) throw new DataError(`Key column ${key} is not among the columns of ${opts.table.table}`);
      return column;
    }),
  );
  const valueSchema = struct(`${opts.topic}.Value`, columns).optional().build();
  const keySchema = opts.keyColumns.length > 0 ? struct(`${opts.topic}.Key`, keyColumns).build() : null;
  const envelopeSchema = SchemaBuilder.struct()
    .name(`${opts.topic}.Envelope`)
    .version(2)
    .field('before', valueSchema)
    .field('after', valueSchema)
    .field('source', SOURCE_SCHEMA)
    .field('transaction', TRANSACTION_SCHEMA)
    .field('op', Schemas.STRING)
    .field('ts_ms', Schemas.OPTIONAL_INT64)
    .field('ts_us', Schemas.OPTIONAL_INT64)
    .field('ts_ns', Schemas.OPTIONAL_INT64)
    .build();

  const fill = (schema: Schema, fields: readonly TableColumn[], values: ColumnValues): Struct => {
    const out = new Struct(schema);
    for (const { column, converter } of fields) {
      const raw = values.get(column.name) ?? null;
      try {
        const value =
          raw === UNCHANGED_TOAST
            ? converter.unavailable
            : raw === null
              ? converter.nullValue
              : converter.fromText(raw);
        out.put(column.name, value);
      } catch (error) {
        if (!opts.onConversionError) throw error;
        opts.onConversionError(column.name, error);
      }
    }
    return out;
  };
  return {
    keySchema,
    valueSchema,
    envelopeSchema,
    columns,
    row: (values) => fill(valueSchema, columns, values),
    key: (values) => (keySchema ? fill(keySchema, keyColumns, values) : null),
  };
}

export type Operation = 'r' | 'c' | 'u' | 'd' | 't';

/**
 * A change event (Debezium's `Envelope.read/create/update/delete/truncate`): ts_ms/us/ns are the
 * connector's processing time.
 */
export function envelope(
  schemas: TableSchemas,
  op: Operation,
  before: Struct | null,
  after: Struct | null,
  source: Struct,
  nowUs: bigint,
  transaction: Struct | null = null,
): Struct {
  return new Struct(schemas.envelopeSchema)
    .put('before', op === 'u' || op === 'd' ? before : null)
    .put('after', op === 'r' || op === 'c' || op === 'u' ? after : null)
    .put('source', source)
    .put('transaction', transaction)
    .put('op', op)
    .put('ts_ms', int64(floorDiv(nowUs, MICROS)))
    .put('ts_us', int64(nowUs))
    .put('ts_ns', int64(nowUs * MICROS));
}

export const HEARTBEAT_KEY_SCHEMA = SchemaBuilder.struct()
  .name('io.debezium.connector.common.ServerNameKey')
  .version(1)
  .field('serverName', Schemas.STRING)
  .build();

export const HEARTBEAT_VALUE_SCHEMA = SchemaBuilder.struct()
  .name('io.debezium.connector.common.Heartbeat')
  .version(1)
  .field('ts_ms', Schemas.INT64)
  .build();

export const heartbeatKey = (serverName: string): Struct =>
  new Struct(HEARTBEAT_KEY_SCHEMA).put('serverName', serverName);
export const heartbeatValue = (tsMs: number): Struct => new Struct(HEARTBEAT_VALUE_SCHEMA).put('ts_ms', tsMs);

const TOPIC_MAX_LENGTH = 249;

/**
 * The data topic of a table (SchemaTopicNamingStrategy): blank parts skipped, then sanitised as
 * AbstractTopicNamingStrategy does — each UTF-16 unit outside `[A-Za-z0-9._-]` becomes `_`, at most 249
 * characters, and `.` / `..` become `_` / `__`.
 */
export function topicName(prefix: string, schema: string, table: string, delimiter = '.'): string {
  // Java's isNullOrBlank: blank is nothing but characters up to U+0020 (String.trim).
  const blank = (part: string) => [...part].every((c) => c <= ' ');
  const joined = [prefix, schema, table].filter((part) => !blank(part)).join(delimiter);
  const sanitized = joined.replace(/[^A-Za-z0-9._-]/g, '_');
  if (sanitized.length > TOPIC_MAX_LENGTH) return sanitized.slice(0, TOPIC_MAX_LENGTH);
  if (sanitized === '.' || sanitized === '..') return sanitized.replaceAll('.', '_');
  return sanitized;
}
