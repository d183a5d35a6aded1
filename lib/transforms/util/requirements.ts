/**
 * Kafka's `transforms.util.Requirements`: the shape checks every SMT makes before touching a key or value,
 * with Kafka's messages.
 *
 * Type names in messages: Kafka prints the Java class of the offending value (`java.lang.String`). We
 * print the Java class a Kafka user would see for the same Connect value, so messages read alike in both
 * worlds: string → `java.lang.String`, boolean → `java.lang.Boolean`, an integral number →
 * `java.lang.Integer` (or `java.lang.Long` outside the int32 range, or a bigint), any other number →
 * `java.lang.Double`, `Uint8Array` → `[B`, `Date` → `java.util.Date`, array → `java.util.ArrayList`, plain
 * object or `Map` → `java.util.HashMap`, `Struct` → `org.apache.kafka.connect.data.Struct`, `BigDecimal` →
 * `java.math.BigDecimal`; anything else its JS constructor name.
 */
import {
  BigDecimal,
  type ConnectRecord,
  DataError,
  type Schema,
  SinkRecord,
  SourceRecord,
  Struct,
} from '../../api/index.js';

/** A schemaless map value: Kafka's `Map<String, Object>`. */
export type ConnectMap = Record<string, unknown>;

/** The Java class name Kafka would print for a Connect value (see the module doc). */
export function javaClassName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return 'java.lang.String';
    case 'boolean':
      return 'java.lang.Boolean';
    case 'bigint':
      return 'java.lang.Long';
    case 'number':
      if (!Number.isInteger(value)) return 'java.lang.Double';
      return value >= -(2 ** 31) && value < 2 ** 31 ? 'java.lang.Integer' : 'java.lang.Long';
  }
  if (value instanceof Uint8Array) return '[B';
  if (value instanceof Date) return 'java.util.Date';
  if (Array.isArray(value)) return 'java.util.ArrayList';
  if (value instanceof Struct) return 'org.apache.kafka.connect.data.Struct';
  if (value instanceof BigDecimal) return 'java.math.BigDecimal';
  if (value instanceof SinkRecord) return 'org.apache.kafka.connect.sink.SinkRecord';
  if (value instanceof SourceRecord) return 'org.apache.kafka.connect.source.SourceRecord';
  if (isMap(value)) return 'java.util.HashMap';
  return (value as object).constructor?.name ?? 'Object';
}

/** Whether a value is a schemaless map: a plain object or a `Map`. */
export function isMap(value: unknown): value is ConnectMap | Map<unknown, unknown> {
  if (value instanceof Map) return true;
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The value as a schemaless map, or a DataError. A `Map` is read as a plain object with its keys as
 * strings (schemaless data here is a plain object; a `Map` only appears for non-string keys).
 */
export function requireMap(value: unknown, purpose: string): ConnectMap {
  if (!isMap(value)) {
    throw new DataError(
      `Only Map objects supported in absence of schema for [${purpose}], found: ${javaClassName(value)}`,
    );
  }
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), v]));
  return value;
}

export function requireMapOrNull(value: unknown, purpose: string): ConnectMap | null {
  return value === null || value === undefined ? null : requireMap(value, purpose);
}

export function requireStruct(value: unknown, purpose: string): Struct {
  if (!(value instanceof Struct)) {
    throw new DataError(`Only Struct objects supported for [${purpose}], found: ${javaClassName(value)}`);
  }
  return value;
}

export function requireStructOrNull(value: unknown, purpose: string): Struct | null {
  return value === null || value === undefined ? null : requireStruct(value, purpose);
}

export function requireSchema(schema: Schema | null, purpose: string): Schema {
  if (!schema) throw new DataError(`Schema required for [${purpose}]`);
  return schema;
}

export function requireSinkRecord(record: ConnectRecord, purpose: string): SinkRecord {
  if (!(record instanceof SinkRecord)) {
    throw new DataError(`Only SinkRecord supported for [${purpose}], found: ${javaClassName(record)}`);
  }
  return record;
}
