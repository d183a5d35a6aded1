/**
 * Connect values ↔ JSON trees for the JsonConverter (Kafka's `JsonConverter.convertToJson` and
 * `convertToConnect`). A JSON tree here is what JSON.parse gives (plus bigint and {@link JsonNumberText}
 * for exact numbers) and what JSON.stringify takes (plus `JSON.rawJSON` values).
 */
import {
  BigDecimal,
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  DataError,
  Decimal,
  LogicalNames,
  type Schema,
  Struct,
  schemaEquals,
} from '../api/index.js';
import { floatJson, JsonNumberText, rawJson } from './json-number.js';

/** How Decimal values are written (`decimal.format`). */
export const DecimalFormat = { BASE64: 'BASE64', NUMERIC: 'NUMERIC' } as const;
export type DecimalFormat = (typeof DecimalFormat)[keyof typeof DecimalFormat];

export interface JsonValueOptions {
  decimalFormat: DecimalFormat;
  replaceNullWithDefault: boolean;
}

const base64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

function nodeType(node: unknown): string {
  if (node === null || node === undefined) return 'NULL';
  if (Array.isArray(node)) return 'ARRAY';
  if (typeof node === 'number' || typeof node === 'bigint' || node instanceof JsonNumberText) return 'NUMBER';
  if (typeof node === 'string') return 'STRING';
  if (typeof node === 'boolean') return 'BOOLEAN';
  return 'OBJECT';
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A Connect value as JSON, following its schema, or inferring from the JS type when there is none. */
export function toJson(schema: Schema | null, value: unknown, options: JsonValueOptions): unknown {
  if (value === null || value === undefined) {
    if (!schema) return null;
    if (schema.defaultValue != null && options.replaceNullWithDefault) {
      return toJson(schema, schema.defaultValue, options);
    }
    if (schema.optional) return null;
    throw new DataError('Conversion error: null value for field that is required and has no default value');
  }
  if (!schema) return schemalessToJson(value, options);
  if (schema.name !== undefined) {
    const logical = logicalToJson(schema, value, options);
    if (logical !== undefined) return logical;
  }
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
      if (typeof value !== 'number') throw invalidType(schema, value);
      return value;
    case 'INT64':
      if (typeof value === 'bigint') return rawJson(value.toString());
      if (typeof value !== 'number') throw invalidType(schema, value);
      return value;
    case 'FLOAT32':
    case 'FLOAT64':
      if (typeof value !== 'number') throw invalidType(schema, value);
      return floatJson(value, schema.type === 'FLOAT32');
    case 'BOOLEAN':
    case 'STRING':
      if (typeof value !== (schema.type === 'STRING' ? 'string' : 'boolean'))
        throw invalidType(schema, value);
      return value;
    case 'BYTES':
      if (!(value instanceof Uint8Array)) {
        throw new DataError(`Invalid type for bytes type: ${typeName(value)}`);
      }
      return base64(value);
    case 'ARRAY': {
      if (!Array.isArray(value)) throw invalidType(schema, value);
      const elementSchema = schema.valueSchema ?? null;
      return value.map((v) => toJson(elementSchema, v, options));
    }
    case 'MAP':
      return mapToJson(schema.keySchema ?? null, schema.valueSchema ?? null, value, options);
    case 'STRUCT': {
      if (!(value instanceof Struct)) throw invalidType(schema, value);
      if (!schemaEquals(value.schema, schema)) throw new DataError('Mismatching schema.');
      const out: Record<string, unknown> = {};
      for (const field of schema.fields()) {
        const v = options.replaceNullWithDefault ? value.get(field) : value.getWithoutDefault(field.name);
        out[field.name] = toJson(field.schema, v, options);
      }
      return out;
    }
  }
}

function typeName(value: unknown): string {
  return value === null || typeof value !== 'object' ? typeof value : (value.constructor?.name ?? 'Object');
}

function invalidType(schema: Schema | null, value: unknown): DataError {
  return new DataError(`Invalid type for ${schema ? schema.type : 'unknown schema'}: ${typeName(value)}`);
}

function mapToJson(
  keySchema: Schema | null,
  valueSchema: Schema | null,
  value: unknown,
  options: JsonValueOptions,
): unknown {
  if (value instanceof Map) {
    const objectMode = keySchema
      ? keySchema.type === 'STRING'
      : [...value.keys()].every((k) => typeof k === 'string');
    if (objectMode) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of value)
        out[String(toJson(keySchema, k, options))] = toJson(valueSchema, v, options);
      return out;
    }
    return [...value].map(([k, v]) => [toJson(keySchema, k, options), toJson(valueSchema, v, options)]);
  }
  if (typeof value !== 'object' || value === null || !isPlainObject(value)) {
    throw invalidType(keySchema ? ({ type: 'MAP' } as Schema) : null, value);
  }
  if (keySchema && keySchema.type !== 'STRING') {
    return Object.entries(value).map(([k, v]) => [
      toJson(keySchema, k, options),
      toJson(valueSchema, v, options),
    ]);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = toJson(valueSchema, v, options);
  return out;
}

/**
 * Schemaless values: returns the value itself when it is already plain JSON, so the common case (a
 * parsed JSON object passing through) costs one read-only walk and no copy.
 */
function schemalessToJson(value: unknown, options: JsonValueOptions): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return rawJson(value.toString());
    case 'object':
      break;
    default:
      throw new DataError(`Java class ${typeof value} does not have corresponding schema type.`);
  }
  if (value === null) return null;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const element = value[i];
      const converted = schemalessToJson(element, options);
      if (converted !== element) {
        copy ??= value.slice(0, i);
      }
      if (copy) copy.push(converted === undefined ? null : converted);
    }
    return copy ?? value;
  }
  if (value instanceof Uint8Array) return base64(value);
  if (value instanceof Map) return mapToJson(null, null, value, options);
  if (value instanceof Struct) throw new DataError('Mismatching schema.');
  if (value instanceof BigDecimal || value instanceof Date) {
    throw new DataError(`Java class ${typeName(value)} does not have corresponding schema type.`);
  }
  if (!isPlainObject(value)) {
    throw new DataError(`Java class ${typeName(value)} does not have corresponding schema type.`);
  }
  let copy: Record<string, unknown> | undefined;
  for (const key in value) {
    const element = (value as Record<string, unknown>)[key];
    const converted = schemalessToJson(element, options);
    if (converted !== element && !copy) copy = { ...(value as Record<string, unknown>) };
    if (copy) copy[key] = converted;
  }
  return copy ?? value;
}

function logicalToJson(schema: Schema, value: unknown, options: JsonValueOptions): unknown {
  switch (schema.name) {
    case LogicalNames.DECIMAL:
      if (!(value instanceof BigDecimal)) {
        throw new DataError(`Invalid type for Decimal, expected BigDecimal but was ${typeName(value)}`);
      }
      if (options.decimalFormat === DecimalFormat.NUMERIC) return rawJson(value.toString());
      return base64(Decimal.fromLogical(schema, value));
    case LogicalNames.DATE:
      if (!(value instanceof Date))
        throw new DataError(`Invalid type for Date, expected Date but was ${typeName(value)}`);
      return ConnectDate.fromLogical(schema, value);
    case LogicalNames.TIME:
      if (!(value instanceof Date))
        throw new DataError(`Invalid type for Time, expected Date but was ${typeName(value)}`);
      return ConnectTime.fromLogical(schema, value);
    case LogicalNames.TIMESTAMP:
      if (!(value instanceof Date)) {
        throw new DataError(`Invalid type for Timestamp, expected Date but was ${typeName(value)}`);
      }
      return ConnectTimestamp.fromLogical(schema, value);
    default:
      return undefined;
  }
}

/** A JSON tree as a Connect value of the schema, or inferred (integer → INT64, float → FLOAT64) without one. */
export function fromJson(schema: Schema | null, node: unknown, options: JsonValueOptions): unknown {
  if (!schema) return inferFromJson(node);
  if (node === null || node === undefined) {
    if (schema.defaultValue != null && options.replaceNullWithDefault) return schema.defaultValue;
    if (schema.optional) return null;
    throw new DataError(`Invalid null value for required ${schema.type} field`);
  }
  if (schema.name !== undefined) {
    const logical = logicalFromJson(schema, node);
    if (logical !== undefined) return logical;
  }
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
      return Math.trunc(toNumber(schema, node));
    case 'INT64':
      if (typeof node === 'bigint') return node;
      return Math.trunc(toNumber(schema, node));
    case 'FLOAT32':
      return Math.fround(toNumber(schema, node));
    case 'FLOAT64':
      return toNumber(schema, node);
    case 'BOOLEAN':
      if (typeof node !== 'boolean') throw invalidNode(schema, node);
      return node;
    case 'STRING':
      if (typeof node !== 'string') throw invalidNode(schema, node);
      return node;
    case 'BYTES':
      if (typeof node !== 'string') throw new DataError('Invalid bytes field');
      return Buffer.from(node, 'base64');
    case 'ARRAY': {
      if (!Array.isArray(node)) throw invalidNode(schema, node);
      const elementSchema = schema.valueSchema ?? null;
      return node.map((e) => fromJson(elementSchema, e, options));
    }
    case 'MAP':
      return mapFromJson(schema, node, options);
    case 'STRUCT': {
      if (typeof node !== 'object' || Array.isArray(node)) {
        throw new DataError(`Structs should be encoded as JSON objects, but found ${nodeType(node)}`);
      }
      const struct = new Struct(schema);
      for (const field of schema.fields()) {
        const v = fromJson(field.schema, (node as Record<string, unknown>)[field.name], options);
        if (v !== null) struct.put(field, v);
      }
      return struct;
    }
  }
}

function invalidNode(schema: Schema, node: unknown): DataError {
  return new DataError(`Invalid value for ${schema.type} field: JSON ${nodeType(node)}`);
}

function toNumber(schema: Schema, node: unknown): number {
  if (typeof node === 'number') return node;
  if (typeof node === 'bigint') return Number(node);
  if (node instanceof JsonNumberText) return node.toNumber();
  // Jackson writes non-finite floats as quoted strings.
  if (node === 'NaN' || node === 'Infinity' || node === '-Infinity') return Number(node);
  throw invalidNode(schema, node);
}

function mapFromJson(schema: Schema, node: unknown, options: JsonValueOptions): unknown {
  const keySchema = schema.keySchema ?? null;
  const valueSchema = schema.valueSchema ?? null;
  if (!keySchema || keySchema.type === 'STRING') {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      throw new DataError(
        `Maps with string fields should be encoded as JSON objects, but found ${nodeType(node)}`,
      );
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = fromJson(valueSchema, v, options);
    return out;
  }
  if (!Array.isArray(node)) {
    throw new DataError(
      `Maps with non-string fields should be encoded as JSON array of tuples, but found ${nodeType(node)}`,
    );
  }
  const out = new Map<unknown, unknown>();
  for (const entry of node) {
    if (!Array.isArray(entry)) {
      throw new DataError(`Found invalid map entry instead of array tuple: ${nodeType(entry)}`);
    }
    if (entry.length !== 2)
      throw new DataError(`Found invalid map entry, expected length 2 but found :${entry.length}`);
    out.set(fromJson(keySchema, entry[0], options), fromJson(valueSchema, entry[1], options));
  }
  return out;
}

/** Schemaless reading: plain JSON values are already Connect values, except kept-exact decimal text. */
function inferFromJson(node: unknown): unknown {
  if (node === undefined) return null;
  if (node instanceof JsonNumberText) return node.toNumber();
  if (typeof node !== 'object' || node === null) return node;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) node[i] = inferFromJson(node[i]);
    return node;
  }
  const record = node as Record<string, unknown>;
  for (const key in record) {
    const v = record[key];
    if (typeof v === 'object' && v !== null) record[key] = inferFromJson(v);
  }
  return node;
}

function logicalFromJson(schema: Schema, node: unknown): unknown {
  switch (schema.name) {
    case LogicalNames.DECIMAL: {
      const scale = Decimal.scale(schema);
      if (node instanceof JsonNumberText || typeof node === 'number' || typeof node === 'bigint') {
        const text = node instanceof JsonNumberText ? node.source : String(node);
        try {
          // Kafka keeps the literal's own scale; we rescale to the schema's so the value can be written again.
          return BigDecimal.parse(text).setScale(scale);
        } catch (e) {
          throw new DataError(`Decimal value ${text} does not fit the schema's scale ${scale}`, { cause: e });
        }
      }
      if (typeof node === 'string') return Decimal.toLogical(schema, Buffer.from(node, 'base64'));
      throw new DataError(
        `Invalid type for Decimal, underlying representation should be numeric or bytes but was ${nodeType(node)}`,
      );
    }
    case LogicalNames.DATE:
      if (typeof node !== 'number' || !Number.isInteger(node)) {
        throw new DataError(
          `Invalid type for Date, underlying representation should be integer but was ${nodeType(node)}`,
        );
      }
      return ConnectDate.toLogical(schema, node);
    case LogicalNames.TIME:
      if (typeof node !== 'number' || !Number.isInteger(node)) {
        throw new DataError(
          `Invalid type for Time, underlying representation should be integer but was ${nodeType(node)}`,
        );
      }
      return ConnectTime.toLogical(schema, node);
    case LogicalNames.TIMESTAMP:
      if (!((typeof node === 'number' && Number.isInteger(node)) || typeof node === 'bigint')) {
        throw new DataError(
          `Invalid type for Timestamp, underlying representation should be integral but was ${nodeType(node)}`,
        );
      }
      return ConnectTimestamp.toLogical(schema, node);
    default:
      return undefined;
  }
}
