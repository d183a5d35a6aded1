import { DataError } from '../errors.js';
import { BigDecimal } from './big-decimal.js';
import type { Field } from './field.js';
import type { Schema } from './schema.js';
import { LogicalNames, SchemaType } from './schema-type.js';
import { Struct } from './struct.js';

/** What {@link ConnectSchema}'s constructor takes; everything but `type` is optional. */
export interface ConnectSchemaProps {
  type: SchemaType;
  optional?: boolean;
  defaultValue?: unknown;
  name?: string | undefined;
  version?: number | undefined;
  doc?: string | undefined;
  parameters?: Readonly<Record<string, string>> | undefined;
  fields?: readonly Field[] | undefined;
  keySchema?: Schema | undefined;
  valueSchema?: Schema | undefined;
}

/** The one implementation of {@link Schema}. Prefer {@link SchemaBuilder} to constructing it directly. */
export class ConnectSchema implements Schema {
  readonly type: SchemaType;
  readonly optional: boolean;
  readonly defaultValue: unknown;
  readonly name: string | undefined;
  readonly version: number | undefined;
  readonly doc: string | undefined;
  readonly parameters: Readonly<Record<string, string>> | undefined;
  readonly keySchema: Schema | undefined;
  readonly valueSchema: Schema | undefined;
  readonly #fields: readonly Field[] | undefined;
  readonly #fieldsByName: ReadonlyMap<string, Field> | undefined;

  constructor(props: ConnectSchemaProps) {
    this.type = props.type;
    this.optional = props.optional ?? false;
    this.defaultValue = props.defaultValue ?? undefined;
    this.name = props.name;
    this.version = props.version;
    this.doc = props.doc;
    this.parameters = props.parameters ? Object.freeze({ ...props.parameters }) : undefined;
    this.keySchema = props.keySchema;
    this.valueSchema = props.valueSchema;
    if (this.type === SchemaType.STRUCT) {
      this.#fields = Object.freeze([...(props.fields ?? [])]);
      this.#fieldsByName = new Map(this.#fields.map((f) => [f.name, f]));
    }
    Object.freeze(this);
  }

  fields(): readonly Field[] {
    if (!this.#fields) throw new DataError('Cannot list fields on non-struct type');
    return this.#fields;
  }

  field(name: string): Field | undefined {
    if (!this.#fieldsByName) throw new DataError('Cannot look up fields on non-struct type');
    return this.#fieldsByName.get(name);
  }

  toString(): string {
    return this.name === undefined ? `Schema{${this.type}}` : `Schema{${this.name}:${this.type}}`;
  }
}

const INT_RANGES = {
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
} as const;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A short description of a value's JS type for error messages (Kafka prints the Java class). */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'object') return typeof value;
  return value.constructor?.name ?? 'Object';
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function matchesType(schema: Schema, value: unknown): boolean {
  switch (schema.name) {
    case LogicalNames.DECIMAL:
      return value instanceof BigDecimal;
    case LogicalNames.DATE:
    case LogicalNames.TIME:
    case LogicalNames.TIMESTAMP:
      return value instanceof Date;
  }
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32': {
      const [min, max] = INT_RANGES[schema.type];
      return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
    }
    case 'INT64':
      if (typeof value === 'number') return Number.isInteger(value);
      return typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX;
    case 'FLOAT32':
    case 'FLOAT64':
      return typeof value === 'number';
    case 'BOOLEAN':
      return typeof value === 'boolean';
    case 'STRING':
      return typeof value === 'string';
    case 'BYTES':
      return value instanceof Uint8Array;
    case 'ARRAY':
      return Array.isArray(value);
    case 'MAP':
      return value instanceof Map || (typeof value === 'object' && value !== null && isPlainObject(value));
    case 'STRUCT':
      return value instanceof Struct;
  }
}

/**
 * Checks that a value fits a schema (type, range and nullability, recursively), throwing a DataError with
 * Kafka's message otherwise (Kafka's `ConnectSchema.validateValue`).
 *
 * @param fieldName names the field in the message, when validating a struct field
 */
export function validateValue(schema: Schema, value: unknown, fieldName?: string): void {
  validateAt(schema, value, fieldName === undefined ? 'value' : `field: "${fieldName}"`);
}

function validateAt(schema: Schema, value: unknown, location: string): void {
  if (value === null || value === undefined) {
    if (!schema.optional) {
      throw new DataError(`Invalid value: null used for required ${location}, schema type: ${schema.type}`);
    }
    return;
  }
  if (!matchesType(schema, value)) {
    const named = schema.name === undefined ? '' : ` "${schema.name}"`;
    throw new DataError(
      `Invalid Java object for schema${named} with type ${schema.type}: ${describeValue(value)} for ${location}`,
    );
  }
  switch (schema.type) {
    case 'STRUCT': {
      const struct = value as Struct;
      if (!schemaEquals(struct.schema, schema)) throw new DataError('Struct schemas do not match.');
      struct.validate();
      break;
    }
    case 'ARRAY': {
      const elementSchema = schema.valueSchema as Schema;
      for (const element of value as unknown[])
        validateAt(elementSchema, element, `element of array ${location}`);
      break;
    }
    case 'MAP': {
      const keySchema = schema.keySchema as Schema;
      const valueSchema = schema.valueSchema as Schema;
      const entries = value instanceof Map ? value.entries() : Object.entries(value as object);
      for (const [k, v] of entries) {
        validateAt(keySchema, k, `key of map ${location}`);
        validateAt(valueSchema, v, `value of map ${location}`);
      }
      break;
    }
  }
}

/** Structural equality of schemas (Kafka's `ConnectSchema.equals`). */
export function schemaEquals(a: Schema | null | undefined, b: Schema | null | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  if (
    a.type !== b.type ||
    a.optional !== b.optional ||
    a.name !== b.name ||
    a.version !== b.version ||
    a.doc !== b.doc ||
    !valueEquals(a.defaultValue ?? null, b.defaultValue ?? null) ||
    !recordEquals(a.parameters, b.parameters)
  ) {
    return false;
  }
  switch (a.type) {
    case 'STRUCT': {
      const fa = a.fields();
      const fb = b.fields();
      return (
        fa.length === fb.length &&
        fa.every((f, i) => {
          const g = fb[i] as Field;
          return f.name === g.name && f.index === g.index && schemaEquals(f.schema, g.schema);
        })
      );
    }
    case 'MAP':
      return schemaEquals(a.keySchema, b.keySchema) && schemaEquals(a.valueSchema, b.valueSchema);
    case 'ARRAY':
      return schemaEquals(a.valueSchema, b.valueSchema);
    default:
      return true;
  }
}

function recordEquals(a: Readonly<Record<string, string>> | undefined, b: typeof a): boolean {
  if (a === b) return true;
  const ka = Object.keys(a ?? {});
  const kb = Object.keys(b ?? {});
  return ka.length === kb.length && ka.every((k) => a?.[k] === b?.[k]);
}

/**
 * Deep equality of Connect values: bytes by content, dates by time, decimals by value and scale, an INT64
 * `number` equal to the same `bigint`, plain-object maps and `Map`s by entries, structs by schema and values.
 */
export function valueEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  const ta = typeof a;
  const tb = typeof b;
  if (ta !== 'object' || tb !== 'object') {
    if ((ta === 'bigint' && tb === 'number') || (ta === 'number' && tb === 'bigint')) {
      // biome-ignore lint/suspicious/noDoubleEquals: loose equality compares a bigint with a number exactly
      return a == b;
    }
    return Number.isNaN(a) && Number.isNaN(b);
  }
  if (a instanceof Uint8Array) {
    return b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);
  }
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (a instanceof BigDecimal) return a.equals(b);
  if (a instanceof Struct) return a.equals(b);
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => valueEquals(x, b[i]));
  }
  if (Array.isArray(b) || b instanceof Uint8Array || b instanceof Date || b instanceof Struct) return false;
  const ea = a instanceof Map ? [...a.entries()] : Object.entries(a as object);
  const mb = b instanceof Map ? b : new Map(Object.entries(b as object));
  return ea.length === mb.size && ea.every(([k, v]) => mb.has(k) && valueEquals(v, mb.get(k)));
}
