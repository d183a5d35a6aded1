/**
 * Debezium's semantic types: the schema names, versions and parameters of `io.debezium.data.*` and
 * `io.debezium.time.*` as 3.6.1.Final builds them, each a fresh builder (a column makes it optional).
 *
 * @see https://github.com/debezium/debezium/blob/v3.6.1.Final/debezium-connector-common/src/main/java/io/debezium/schema/SchemaFactory.java
 * @see https://github.com/debezium/debezium/tree/v3.6.1.Final/debezium-connector-common/src/main/java/io/debezium/time
 */
import { bigintToBytes, Decimal, type Schema, SchemaBuilder, Schemas, Struct } from '../../api/index.js';

const named = (builder: SchemaBuilder, name: string): SchemaBuilder => builder.name(name).version(1);

export const DebeziumTime = {
  date: () => named(SchemaBuilder.int32(), 'io.debezium.time.Date'),
  time: () => named(SchemaBuilder.int32(), 'io.debezium.time.Time'),
  microTime: () => named(SchemaBuilder.int64(), 'io.debezium.time.MicroTime'),
  nanoTime: () => named(SchemaBuilder.int64(), 'io.debezium.time.NanoTime'),
  timestamp: () => named(SchemaBuilder.int64(), 'io.debezium.time.Timestamp'),
  microTimestamp: () => named(SchemaBuilder.int64(), 'io.debezium.time.MicroTimestamp'),
  nanoTimestamp: () => named(SchemaBuilder.int64(), 'io.debezium.time.NanoTimestamp'),
  isoDate: () => named(SchemaBuilder.string(), 'io.debezium.time.IsoDate'),
  isoTime: () => named(SchemaBuilder.string(), 'io.debezium.time.IsoTime'),
  isoTimestamp: () => named(SchemaBuilder.string(), 'io.debezium.time.IsoTimestamp'),
  zonedTime: () => named(SchemaBuilder.string(), 'io.debezium.time.ZonedTime'),
  zonedTimestamp: () => named(SchemaBuilder.string(), 'io.debezium.time.ZonedTimestamp'),
  microDuration: () => named(SchemaBuilder.int64(), 'io.debezium.time.MicroDuration'),
  interval: () => named(SchemaBuilder.string(), 'io.debezium.time.Interval'),
} as const;

export const DebeziumData = {
  json: () => named(SchemaBuilder.string(), 'io.debezium.data.Json'),
  uuid: () => named(SchemaBuilder.string(), 'io.debezium.data.Uuid'),
  xml: () => named(SchemaBuilder.string(), 'io.debezium.data.Xml'),
  tsvector: () => named(SchemaBuilder.string(), 'io.debezium.data.Tsvector'),
  /** `allowed` is the labels joined by commas, as Debezium's `Strings.join(",", …)`. */
  enumeration: (labels: readonly string[]) =>
    named(SchemaBuilder.string(), 'io.debezium.data.Enum').parameter('allowed', labels.join(',')),
  bits: (length: number) =>
    named(SchemaBuilder.bytes(), 'io.debezium.data.Bits').parameter('length', String(length)),
  /** Kafka's Decimal plus the column's precision, as Debezium's `SpecialValueDecimal.builder`. */
  decimal: (precision: number, scale: number) =>
    Decimal.builder(scale).parameter('connect.decimal.precision', String(precision)),
  variableScaleDecimal: () =>
    named(SchemaBuilder.struct(), 'io.debezium.data.VariableScaleDecimal')
      .doc('Variable scaled decimal')
      .field('scale', Schemas.INT32)
      .field('value', Schemas.BYTES),
  point: () =>
    named(SchemaBuilder.struct(), 'io.debezium.data.geometry.Point')
      .doc('Geometry (POINT)')
      .field('x', Schemas.FLOAT64)
      .field('y', Schemas.FLOAT64)
      .field('wkb', Schemas.OPTIONAL_BYTES)
      .field('srid', Schemas.OPTIONAL_INT32),
} as const;

/** A VariableScaleDecimal value: the scale and the unscaled value's two's-complement bytes. */
export function variableScaleDecimal(schema: Schema, unscaled: bigint, scale: number): Struct {
  return new Struct(schema).put('scale', scale).put('value', bigintToBytes(unscaled));
}

/** A Point value: x, y and their WKB (Debezium's `Point.createValue`); no SRID. */
export function pointValue(schema: Schema, x: number, y: number): Struct {
  const wkb = Buffer.alloc(21);
  wkb.writeUInt8(1, 0); // byte order mark: little endian
  wkb.writeUInt32LE(1, 1); // WKB type 1: Point
  wkb.writeDoubleLE(x, 5);
  wkb.writeDoubleLE(y, 13);
  return new Struct(schema).put('wkb', new Uint8Array(wkb)).put('x', x).put('y', y);
}
