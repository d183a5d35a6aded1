import { DataError } from '../errors.js';
import type { BigDecimal } from './big-decimal.js';
import { schemaEquals, validateValue, valueEquals } from './connect-schema.js';
import type { Field } from './field.js';
import type { Schema } from './schema.js';
import type { SchemaType } from './schema-type.js';

/**
 * A structured record value with a STRUCT schema (Kafka's `Struct`). Values are validated on `put`;
 * `validate()` checks that every required field is set. Unset fields read as the field's default.
 *
 * @example
 * const schema = SchemaBuilder.struct().name('com.example.Person')
 *   .field('name', Schemas.STRING).field('age', Schemas.INT32).build();
 * const person = new Struct(schema).put('name', 'Bobby McGee').put('age', 21);
 */
export class Struct {
  readonly schema: Schema;
  readonly #values: unknown[];

  constructor(schema: Schema) {
    if (schema.type !== 'STRUCT') throw new DataError(`Not a struct schema: ${String(schema)}`);
    this.schema = schema;
    this.#values = new Array(schema.fields().length).fill(null);
  }

  /** The field's value, or its schema default when unset. */
  get(field: string | Field): unknown {
    const f = typeof field === 'string' ? this.#lookup(field) : field;
    const value = this.#values[f.index];
    return value === null || value === undefined ? (f.schema.defaultValue ?? null) : value;
  }

  /** The field's value, ignoring any default. */
  getWithoutDefault(field: string): unknown {
    return this.#values[this.#lookup(field).index];
  }

  getInt8(field: string): number | null {
    return this.#getChecked(field, 'INT8') as number | null;
  }
  getInt16(field: string): number | null {
    return this.#getChecked(field, 'INT16') as number | null;
  }
  getInt32(field: string): number | null {
    return this.#getChecked(field, 'INT32') as number | null;
  }
  getInt64(field: string): number | bigint | null {
    return this.#getChecked(field, 'INT64') as number | bigint | null;
  }
  getFloat32(field: string): number | null {
    return this.#getChecked(field, 'FLOAT32') as number | null;
  }
  getFloat64(field: string): number | null {
    return this.#getChecked(field, 'FLOAT64') as number | null;
  }
  getBoolean(field: string): boolean | null {
    return this.#getChecked(field, 'BOOLEAN') as boolean | null;
  }
  getString(field: string): string | null {
    return this.#getChecked(field, 'STRING') as string | null;
  }
  /** BYTES, also the Decimal logical type's BigDecimal. */
  getBytes(field: string): Uint8Array | BigDecimal | null {
    return this.#getChecked(field, 'BYTES') as Uint8Array | null;
  }
  getArray<T = unknown>(field: string): T[] | null {
    return this.#getChecked(field, 'ARRAY') as T[] | null;
  }
  getMap(field: string): Map<unknown, unknown> | Record<string, unknown> | null {
    return this.#getChecked(field, 'MAP') as Map<unknown, unknown> | Record<string, unknown> | null;
  }
  getStruct(field: string): Struct | null {
    return this.#getChecked(field, 'STRUCT') as Struct | null;
  }

  /** Sets a field after validating the value against its schema; returns this for chaining. */
  put(field: string | Field, value: unknown): this {
    const f = typeof field === 'string' ? this.#lookup(field) : field;
    validateValue(f.schema, value, f.name);
    this.#values[f.index] = value ?? null;
    return this;
  }

  /** Throws a DataError unless every required field without a default has a valid value. */
  validate(): void {
    for (const field of this.schema.fields()) {
      const value = this.#values[field.index];
      if (
        (value === null || value === undefined) &&
        (field.schema.optional || field.schema.defaultValue != null)
      ) {
        continue;
      }
      validateValue(field.schema, value, field.name);
    }
  }

  equals(other: unknown): boolean {
    if (this === other) return true;
    if (!(other instanceof Struct) || !schemaEquals(this.schema, other.schema)) return false;
    return this.#values.every((v, i) => valueEquals(v, other.#values[i]));
  }

  toString(): string {
    const parts = this.schema
      .fields()
      .filter((f) => this.#values[f.index] != null)
      .map((f) => `${f.name}=${String(this.#values[f.index])}`);
    return `Struct{${parts.join(',')}}`;
  }

  #lookup(name: string): Field {
    const field = this.schema.field(name);
    if (!field) throw new DataError(`${name} is not a valid field name`);
    return field;
  }

  #getChecked(name: string, type: SchemaType): unknown {
    const field = this.#lookup(name);
    if (field.schema.type !== type) throw new DataError(`Field '${name}' is not of type ${type}`);
    return this.#values[field.index];
  }
}
