import {
  BigDecimal,
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  Decimal,
  type Schema,
  SchemaBuilder,
} from '../../api/index.js';
import type { ColumnInfo } from './catalog.js';
import { parseDbTimestamp, parseTimeOfDay } from './timestamps.js';

/** `numeric.mapping` (Confluent): how NUMERIC/DECIMAL columns map. */
export type NumericMapping = 'none' | 'precision_only' | 'best_fit';

/** A column's Connect schema and how to turn the driver's value into the Connect value. */
export interface FieldMapping {
  name: string;
  schema: Schema;
  convert(raw: unknown): unknown;
}

const int = (raw: unknown) => (typeof raw === 'number' ? raw : Number(raw));
const int64 = (raw: unknown) => {
  if (typeof raw === 'number' || typeof raw === 'bigint') return raw;
  const big = BigInt(String(raw));
  return big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(big) : big;
};
const bool = (raw: unknown) =>
  raw instanceof Uint8Array
    ? raw[0] === 1
    : typeof raw === 'string'
      ? raw === '1' || raw === 't'
      : Boolean(raw);
const text = (raw: unknown) =>
  typeof raw === 'string'
    ? raw
    : raw instanceof Uint8Array
      ? Buffer.from(raw).toString('utf8')
      : JSON.stringify(raw);

function integerBuilder(precision: number): { builder: SchemaBuilder; convert(raw: unknown): unknown } {
  if (precision <= 2) return { builder: SchemaBuilder.int8(), convert: int };
  if (precision <= 4) return { builder: SchemaBuilder.int16(), convert: int };
  if (precision <= 9) return { builder: SchemaBuilder.int32(), convert: int };
  return { builder: SchemaBuilder.int64(), convert: int64 };
}

/**
 * The Connect schema of a column, as Confluent's JDBC source maps JDBC types: integers by width, NUMERIC →
 * Decimal of the column's scale (or by `numeric.mapping`), DATE → Date, TIME → Time, TIMESTAMP → Timestamp,
 * binary → BYTES, MySQL `tinyint(1)`/`bit(1)` → BOOLEAN; nullable columns (or all, in query mode) optional.
 * Types Confluent skips (uuid, json, intervals, …) come through as their text.
 */
export function mapColumn(
  col: ColumnInfo,
  numericMapping: NumericMapping,
  forceOptional = false,
): FieldMapping {
  const { builder, convert } = builderFor(col, numericMapping);
  if (col.nullable || forceOptional) builder.optional();
  const schema = builder.build();
  return {
    name: col.name,
    schema,
    convert: (raw) => (raw === null || raw === undefined ? null : convert(raw)),
  };
}

function builderFor(
  col: ColumnInfo,
  numericMapping: NumericMapping,
): { builder: SchemaBuilder; convert(raw: unknown): unknown } {
  const unsigned = col.columnType.includes('unsigned');
  switch (col.type) {
    case 'bit':
      return col.precision === 1 || col.columnType === 'bit(1)' || col.columnType === 'bit'
        ? { builder: SchemaBuilder.bool(), convert: bool }
        : { builder: SchemaBuilder.bytes(), convert: (r) => r };
    case 'boolean':
      return { builder: SchemaBuilder.bool(), convert: bool };
    case 'tinyint':
      if (col.columnType.startsWith('tinyint(1)')) return { builder: SchemaBuilder.bool(), convert: bool };
      return unsigned
        ? { builder: SchemaBuilder.int16(), convert: int }
        : { builder: SchemaBuilder.int8(), convert: int };
    case 'smallint':
      return unsigned
        ? { builder: SchemaBuilder.int32(), convert: int }
        : { builder: SchemaBuilder.int16(), convert: int };
    case 'mediumint':
    case 'year':
      return { builder: SchemaBuilder.int32(), convert: int };
    case 'integer':
    case 'int':
      return unsigned
        ? { builder: SchemaBuilder.int64(), convert: int64 }
        : { builder: SchemaBuilder.int32(), convert: int };
    case 'bigint':
      return { builder: SchemaBuilder.int64(), convert: int64 };
    case 'real':
    case 'float':
      return { builder: SchemaBuilder.float32(), convert: int };
    case 'double precision':
    case 'double':
      return { builder: SchemaBuilder.float64(), convert: int };
    case 'numeric':
    case 'decimal':
      return numericBuilder(col, numericMapping);
    case 'date':
      return {
        builder: ConnectDate.builder(),
        convert: (r) => new Date(`${String(r).slice(0, 10)}T00:00:00Z`),
      };
    case 'time':
    case 'time without time zone':
      return { builder: ConnectTime.builder(), convert: (r) => new Date(parseTimeOfDay(String(r))) };
    case 'timestamp':
    case 'datetime':
    case 'timestamp without time zone':
    case 'timestamp with time zone':
      return {
        builder: ConnectTimestamp.builder(),
        convert: (r) => new Date(parseDbTimestamp(String(r)).millis),
      };
    case 'bytea':
    case 'binary':
    case 'varbinary':
    case 'blob':
    case 'tinyblob':
    case 'mediumblob':
    case 'longblob':
      return {
        builder: SchemaBuilder.bytes(),
        convert: (r) => (r instanceof Uint8Array ? r : Buffer.from(String(r))),
      };
    default:
      return { builder: SchemaBuilder.string(), convert: text };
  }
}

function numericBuilder(
  col: ColumnInfo,
  mapping: NumericMapping,
): { builder: SchemaBuilder; convert(raw: unknown): unknown } {
  const precision = col.precision ?? 0;
  const scale = col.scale ?? 0;
  if (col.precision === null) {
    // Unbounded NUMERIC has no fixed scale, which a Decimal schema needs: carried as FLOAT64.
    return { builder: SchemaBuilder.float64(), convert: int };
  }
  if (mapping !== 'none' && scale === 0 && precision > 0 && precision < 19) return integerBuilder(precision);
  if (mapping === 'best_fit' && scale > 0 && precision <= 15) {
    return { builder: SchemaBuilder.float64(), convert: int };
  }
  return {
    builder: Decimal.builder(scale),
    convert: (r) => BigDecimal.parse(String(r)).setScale(scale),
  };
}
