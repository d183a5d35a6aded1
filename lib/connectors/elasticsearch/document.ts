import {
  BigDecimal,
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  DataError,
  Decimal,
  LogicalNames,
  mapEntries,
  type Schema,
  Struct,
} from '../../api/index.js';

/** `JSON.rawJSON` (Node ≥ 21): an int64 beyond 2^53 is written with every digit. */
const rawJson = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

export interface DocumentOptions {
  /**
   * With schemas used (`schema.ignore=false`), Confluent first rewrites the value: Decimal becomes a
   * double, maps follow `compact.map.entries`. Ignored schemas give the value as Kafka's JsonConverter
   * writes it: Decimal as base64 bytes, maps with non-string keys as `[key, value]` pairs.
   */
  preprocess: boolean;
  compactMapEntries: boolean;
}

/**
 * A record value as the JSON document both connectors send: Kafka's `JsonConverter`
 * (`schemas.enable=false`) after Confluent's `DataConverter.preProcessValue` when schemas are used.
 * Date/Time/Timestamp stay integers (days, ms of day, epoch ms); bytes are base64. The result is ready
 * for `JSON.stringify`. A value that does not fit its schema throws a DataError (the record's fault).
 * https://github.com/confluentinc/kafka-connect-elasticsearch/blob/v15.1.3/src/main/java/io/confluent/connect/elasticsearch/DataConverter.java
 */
export function toDocument(value: unknown, schema: Schema | null, options: DocumentOptions): unknown {
  return schema ? withSchema(value, schema, options) : schemaless(value);
}

function withSchema(value: unknown, schema: Schema, options: DocumentOptions): unknown {
  if (value === null || value === undefined) {
    if (schema.defaultValue !== undefined && schema.defaultValue !== null)
      return withSchema(schema.defaultValue, schema, options);
    if (schema.optional) return null;
    throw new DataError('null value for field that is required and has no default value');
  }
  switch (schema.name) {
    case LogicalNames.DECIMAL:
      if (!(value instanceof BigDecimal)) throw mismatch(schema, value);
      return options.preprocess ? value.toNumber() : base64(Decimal.fromLogical(schema, value));
    case LogicalNames.DATE:
      return ConnectDate.fromLogical(schema, asDate(schema, value));
    case LogicalNames.TIME:
      return ConnectTime.fromLogical(schema, asDate(schema, value));
    case LogicalNames.TIMESTAMP:
      return ConnectTimestamp.fromLogical(schema, asDate(schema, value));
  }
  switch (schema.type) {
    case 'STRUCT': {
      if (!(value instanceof Struct)) throw mismatch(schema, value);
      const out: Record<string, unknown> = {};
      for (const f of schema.fields()) out[f.name] = withSchema(value.get(f.name), f.schema, options);
      return out;
    }
    case 'ARRAY': {
      if (!Array.isArray(value)) throw mismatch(schema, value);
      const element = schema.valueSchema as Schema;
      return value.map((v) => withSchema(v, element, options));
    }
    case 'MAP':
      return mapDocument(value, schema, options);
    case 'BYTES':
      if (!(value instanceof Uint8Array)) throw mismatch(schema, value);
      return base64(value);
    case 'INT64':
      if (typeof value === 'bigint') return rawJson(value.toString());
      return expect(schema, value, 'number');
    case 'STRING':
      return expect(schema, value, 'string');
    case 'BOOLEAN':
      return expect(schema, value, 'boolean');
    default:
      return expect(schema, value, 'number');
  }
}

function mapDocument(value: unknown, schema: Schema, options: DocumentOptions): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw mismatch(schema, value);
  const keySchema = schema.keySchema as Schema;
  const valueSchema = schema.valueSchema as Schema;
  const entries = [...mapEntries(value as Map<unknown, unknown>)];
  const stringKeys = keySchema.type === 'STRING';
  if (stringKeys && (options.compactMapEntries || !options.preprocess)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) out[String(k)] = withSchema(v, valueSchema, options);
    return out;
  }
  // Confluent writes the entries as {key, value} documents; JsonConverter alone as [key, value] pairs.
  return entries.map(([k, v]) => {
    const key = withSchema(k, keySchema, options);
    const val = withSchema(v, valueSchema, options);
    return options.preprocess ? { key, value: val } : [key, val];
  });
}

/**
 * Values without a schema (JsonConverter with `schemas.enable=false`): plain JSON passes through
 * uncopied; bytes become base64, big integers exact numbers, maps with other than string keys
 * `[key, value]` pairs.
 */
function schemaless(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'number':
      return value;
    case 'bigint':
      return rawJson(value.toString());
    case 'undefined':
      return null;
    case 'object':
      break;
    default:
      throw new DataError(`${typeof value} does not have corresponding schema type.`);
  }
  if (value === null) return null;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((element, i) => {
      const converted = schemaless(element);
      if (converted !== element) copy ??= value.slice();
      if (copy) copy[i] = converted;
    });
    return copy ?? value;
  }
  if (value instanceof Uint8Array) return base64(value);
  if (value instanceof Map) {
    if ([...value.keys()].every((k) => typeof k === 'string'))
      return Object.fromEntries([...value].map(([k, v]) => [k, schemaless(v)]));
    return [...value].map(([k, v]) => [schemaless(k), schemaless(v)]);
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null)
    throw new DataError(`${proto?.constructor?.name ?? 'Object'} does not have corresponding schema type.`);
  let copy: Record<string, unknown> | undefined;
  for (const [k, element] of Object.entries(value)) {
    const converted = schemaless(element);
    if (converted !== element) copy ??= { ...(value as Record<string, unknown>) };
    if (copy) copy[k] = converted;
  }
  return copy ?? value;
}

const base64 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

function asDate(schema: Schema, value: unknown): Date {
  if (!(value instanceof Date)) throw mismatch(schema, value);
  return value;
}

function expect(schema: Schema, value: unknown, type: 'number' | 'string' | 'boolean'): unknown {
  if (typeof value !== type) throw mismatch(schema, value);
  return value;
}

function mismatch(schema: Schema, value: unknown): DataError {
  const actual = value === null || typeof value !== 'object' ? typeof value : value.constructor?.name;
  return new DataError(`Invalid type for ${schema.name ?? schema.type}: ${actual}`);
}
