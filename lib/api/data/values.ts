/**
 * String forms of Connect values (Kafka's `Values.convertToString` and `Values.parseString`), used by the
 * SimpleHeaderConverter and the InsertHeader SMT.
 */
import { DataError } from '../errors.js';
import { BigDecimal } from './big-decimal.js';
import { ConnectDate, ConnectTime, ConnectTimestamp, Decimal } from './logical.js';
import type { Schema } from './schema.js';
import { Schemas } from './schema.js';
import { SchemaAndValue } from './schema-and-value.js';
import { SchemaBuilder } from './schema-builder.js';
import { LogicalNames } from './schema-type.js';
import { Struct } from './struct.js';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const isoDate = (d: Date): string =>
  `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const isoTime = (d: Date): string =>
  `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}Z`;

/** Java's `Float/Double.toString` for the common cases: integral values keep a `.0`. */
function floatToString(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e7) return `${value}.0`;
  return String(value);
}

/**
 * The string form of a value: strings as they are, lists `[a,b]`, maps and structs `{k:v}` with nested
 * strings quoted, bytes as Base64, dates in ISO-8601 per their logical schema. `null` stays `null`.
 *
 * @example
 * convertToString(null, ['a', 1]); // '["a",1]'
 */
export function convertToString(schema: Schema | null, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  return append(schema, value, false);
}

function append(schema: Schema | null, value: unknown, embedded: boolean): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return embedded ? `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"` : value;
    case 'number':
      return schema?.type === 'FLOAT32' || schema?.type === 'FLOAT64' ? floatToString(value) : String(value);
    case 'bigint':
    case 'boolean':
      return String(value);
  }
  if (value instanceof Uint8Array) {
    const encoded = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    return embedded ? `"${encoded}"` : encoded;
  }
  if (value instanceof BigDecimal) return value.toString();
  if (value instanceof Date) {
    if (schema?.name === LogicalNames.DATE) return isoDate(value);
    if (schema?.name === LogicalNames.TIME) return isoTime(value);
    return `${isoDate(value)}T${isoTime(value)}`;
  }
  if (Array.isArray(value)) {
    const elementSchema = schema?.valueSchema ?? null;
    return `[${value.map((v) => append(elementSchema, v, true)).join(',')}]`;
  }
  if (value instanceof Struct) {
    const parts = value.schema
      .fields()
      .map((f) => `${append(null, f.name, true)}:${append(f.schema, value.get(f), true)}`);
    return `{${parts.join(',')}}`;
  }
  if (typeof value === 'object') {
    const keySchema = schema?.keySchema ?? null;
    const valueSchema = schema?.valueSchema ?? null;
    const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
    return `{${entries.map(([k, v]) => `${append(keySchema, k, true)}:${append(valueSchema, v, true)}`).join(',')}}`;
  }
  throw new DataError(`Unable to convert ${String(value)} to a string`);
}

/**
 * Parses a string into a schema and value, inferring the type (Kafka's `Values.parseString`): `null`,
 * booleans, the smallest integer type that fits, FLOAT32/FLOAT64/Decimal, `[...]` arrays, `{...}` maps,
 * ISO-8601 dates, times and timestamps; anything else is a STRING of the whole input.
 */
export function parseString(text: string | null): SchemaAndValue {
  if (text === null) return SchemaAndValue.NULL;
  if (text === '') return new SchemaAndValue(Schemas.STRING, text);
  const parser = new Parser(text);
  try {
    const parsed = parser.parseValue(true);
    if (parser.atEnd()) return parsed;
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
  }
  return new SchemaAndValue(Schemas.STRING, text);
}

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/;
const FLOAT32_MAX = 3.4028234663852886e38;

/** A scalar token's schema and value. */
export function parseScalar(token: string): SchemaAndValue {
  if (token === 'null') return SchemaAndValue.NULL;
  if (token === 'true' || token === 'false') return new SchemaAndValue(Schemas.BOOLEAN, token === 'true');
  if (NUMBER.test(token)) return parseNumber(token);
  let m = TIMESTAMP.exec(token);
  if (m) return temporal(ConnectTimestamp.SCHEMA, Date.parse(token));
  m = DATE.exec(token);
  if (m) return temporal(ConnectDate.SCHEMA, Date.parse(`${token}T00:00:00.000Z`));
  m = TIME.exec(token);
  if (m) return temporal(ConnectTime.SCHEMA, Date.parse(`1970-01-01T${token}`));
  return new SchemaAndValue(Schemas.STRING, token);
}

function temporal(schema: Schema, millis: number): SchemaAndValue {
  if (Number.isNaN(millis)) throw new SyntaxError('Invalid date');
  return new SchemaAndValue(schema, new Date(millis));
}

function parseNumber(token: string): SchemaAndValue {
  const decimal = BigDecimal.parse(token);
  let integral: bigint | undefined;
  if (INTEGER.test(token)) integral = decimal.unscaled;
  else {
    try {
      integral = decimal.setScale(0).unscaled;
    } catch {
      integral = undefined;
    }
  }
  if (integral !== undefined) {
    if (integral >= -128n && integral <= 127n) return new SchemaAndValue(Schemas.INT8, Number(integral));
    if (integral >= -32768n && integral <= 32767n) return new SchemaAndValue(Schemas.INT16, Number(integral));
    if (integral >= -2147483648n && integral <= 2147483647n)
      return new SchemaAndValue(Schemas.INT32, Number(integral));
    if (integral >= -(2n ** 63n) && integral < 2n ** 63n) {
      const safe = integral >= BigInt(Number.MIN_SAFE_INTEGER) && integral <= BigInt(Number.MAX_SAFE_INTEGER);
      return new SchemaAndValue(Schemas.INT64, safe ? Number(integral) : integral);
    }
    return new SchemaAndValue(Decimal.schema(decimal.scale), decimal);
  }
  const value = Number(token);
  if (Math.abs(value) <= FLOAT32_MAX) return new SchemaAndValue(Schemas.FLOAT32, Math.fround(value));
  if (Number.isFinite(value)) return new SchemaAndValue(Schemas.FLOAT64, value);
  return new SchemaAndValue(Decimal.schema(decimal.scale), decimal);
}

/** The schema all elements share, or null when they differ (or there are none). */
function commonSchema(schemas: (Schema | null)[]): Schema | null {
  const first = schemas[0];
  if (!first) return null;
  return schemas.every((s) => s === first) ? first : null;
}

class Parser {
  #pos = 0;
  constructor(readonly text: string) {}

  atEnd(): boolean {
    this.#skipSpace();
    return this.#pos >= this.text.length;
  }

  parseValue(topLevel: boolean): SchemaAndValue {
    this.#skipSpace();
    const c = this.text[this.#pos];
    if (c === '[') return this.#parseArray();
    if (c === '{') return this.#parseMap();
    if (c === '"') return new SchemaAndValue(Schemas.STRING, this.#parseQuoted());
    const start = this.#pos;
    if (topLevel) this.#pos = this.text.length;
    else while (this.#pos < this.text.length && !',:]}'.includes(this.text[this.#pos] as string)) this.#pos++;
    const token = this.text.slice(start, this.#pos).trim();
    if (token === '') throw new SyntaxError('Empty value');
    return parseScalar(token);
  }

  #parseArray(): SchemaAndValue {
    this.#pos++;
    const values: unknown[] = [];
    const schemas: (Schema | null)[] = [];
    if (!this.#consume(']')) {
      do {
        const element = this.parseValue(false);
        values.push(element.value);
        schemas.push(element.schema);
      } while (this.#consume(','));
      if (!this.#consume(']')) throw new SyntaxError('Array is missing terminating "]"');
    }
    const element = commonSchema(schemas);
    return new SchemaAndValue(element ? SchemaBuilder.array(element).build() : null, values);
  }

  #parseMap(): SchemaAndValue {
    this.#pos++;
    const entries: [unknown, unknown][] = [];
    const keySchemas: (Schema | null)[] = [];
    const valueSchemas: (Schema | null)[] = [];
    if (!this.#consume('}')) {
      do {
        const key = this.parseValue(false);
        if (!this.#consume(':')) throw new SyntaxError('Map entry is missing ":"');
        const value = this.parseValue(false);
        entries.push([key.value, value.value]);
        keySchemas.push(key.schema);
        valueSchemas.push(value.schema);
      } while (this.#consume(','));
      if (!this.#consume('}')) throw new SyntaxError('Map is missing terminating "}"');
    }
    const keySchema = commonSchema(keySchemas);
    const valueSchema = commonSchema(valueSchemas);
    const stringKeys = entries.every(([k]) => typeof k === 'string');
    const value = stringKeys ? Object.fromEntries(entries) : new Map(entries);
    const schema = keySchema && valueSchema ? SchemaBuilder.map(keySchema, valueSchema).build() : null;
    return new SchemaAndValue(schema, value);
  }

  #parseQuoted(): string {
    let out = '';
    for (this.#pos++; this.#pos < this.text.length; this.#pos++) {
      const c = this.text[this.#pos] as string;
      if (c === '"') {
        this.#pos++;
        return out;
      }
      if (c === '\\' && this.#pos + 1 < this.text.length) this.#pos++;
      out += this.text[this.#pos];
    }
    throw new SyntaxError('String is missing terminating quote');
  }

  #consume(c: string): boolean {
    this.#skipSpace();
    if (this.text[this.#pos] !== c) return false;
    this.#pos++;
    return true;
  }

  #skipSpace(): void {
    while (this.#pos < this.text.length && /\s/.test(this.text[this.#pos] as string)) this.#pos++;
  }
}

/** Kafka's `Values` helpers under their Java names. */
export const Values = { convertToString, parseString } as const;
