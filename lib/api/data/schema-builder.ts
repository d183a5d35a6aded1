import { DataError, SchemaBuilderError } from '../errors.js';
import { ConnectSchema, validateValue } from './connect-schema.js';
import type { Field } from './field.js';
import type { Schema } from './schema.js';
import { SchemaType } from './schema-type.js';

/**
 * A fluent builder of {@link Schema}s (Kafka's `SchemaBuilder`). Each property may be set once.
 *
 * @example
 * const person = SchemaBuilder.struct().name('com.example.Person')
 *   .field('name', Schemas.STRING)
 *   .field('age', SchemaBuilder.int32().optional().defaultValue(0))
 *   .build();
 */
export class SchemaBuilder {
  readonly type: SchemaType;
  #optional: boolean | undefined;
  #defaultValue: unknown;
  #hasDefault = false;
  #name: string | undefined;
  #version: number | undefined;
  #doc: string | undefined;
  #parameters: Record<string, string> | undefined;
  #fields: Field[] | undefined;
  #keySchema: Schema | undefined;
  #valueSchema: Schema | undefined;

  protected constructor(type: SchemaType) {
    this.type = type;
    if (type === SchemaType.STRUCT) this.#fields = [];
  }

  static type(type: SchemaType): SchemaBuilder {
    return new SchemaBuilder(type);
  }
  static int8(): SchemaBuilder {
    return new SchemaBuilder(SchemaType.INT8);
  }
  static int16(): SchemaBuilder {
    return new SchemaBuilder(SchemaType.INT16);
  }
  static int32(): SchemaBuilder {
    return new SchemaBuilder(SchemaType.INT32);
  }
  static int64(): SchemaBuilder {
    return new SchemaBuilder(SchemaType.INT64);
  }
  static float32(): SchemaBuilder {
    return new SchemaBuilder(SchemaType.FLOAT32);
  }
  static float64(): SchemaBuilder {
    return new SchemaBuilder(SchemaType.FLOAT64);
  }
  static bool(): SchemaBuilder {
    return new SchemaBuilder(SchemaType.BOOLEAN);
  }
  static string(): SchemaBuilder {
    return new SchemaBuilder(SchemaType.STRING);
  }
  static bytes(): SchemaBuilder {
    return new SchemaBuilder(SchemaType.BYTES);
  }
  static struct(): SchemaBuilder {
    return new SchemaBuilder(SchemaType.STRUCT);
  }
  static array(valueSchema: Schema | SchemaBuilder): SchemaBuilder {
    const builder = new SchemaBuilder(SchemaType.ARRAY);
    builder.#valueSchema = toSchema(valueSchema);
    return builder;
  }
  static map(keySchema: Schema | SchemaBuilder, valueSchema: Schema | SchemaBuilder): SchemaBuilder {
    const builder = new SchemaBuilder(SchemaType.MAP);
    builder.#keySchema = toSchema(keySchema);
    builder.#valueSchema = toSchema(valueSchema);
    return builder;
  }

  /**
   * A builder that starts as a copy of a schema's type, optionality, name, version, doc and parameters
   * (not its default nor its fields); handy in SMTs that derive a schema.
   */
  static from(schema: Schema): SchemaBuilder {
    const builder = new SchemaBuilder(schema.type);
    builder.#name = schema.name;
    builder.#version = schema.version;
    builder.#doc = schema.doc;
    if (schema.parameters) builder.#parameters = { ...schema.parameters };
    builder.#optional = schema.optional ? true : undefined;
    builder.#keySchema = schema.keySchema;
    builder.#valueSchema = schema.valueSchema;
    return builder;
  }

  optional(): this {
    checkUnset('optional', this.#optional);
    this.#optional = true;
    return this;
  }

  required(): this {
    checkUnset('optional', this.#optional);
    this.#optional = false;
    return this;
  }

  /** Sets the default; throws a SchemaBuilderError (`Invalid default value`) if it does not fit the schema. */
  defaultValue(value: unknown): this {
    if (this.#hasDefault) checkUnset('default', this.#defaultValue);
    try {
      validateValue(this.#peek(), value);
    } catch (e) {
      if (e instanceof DataError) throw new SchemaBuilderError('Invalid default value', { cause: e });
      throw e;
    }
    this.#defaultValue = value ?? undefined;
    this.#hasDefault = value !== null && value !== undefined;
    return this;
  }

  name(name: string): this {
    checkUnset('name', this.#name);
    this.#name = name;
    return this;
  }

  version(version: number): this {
    checkUnset('version', this.#version);
    this.#version = version;
    return this;
  }

  doc(doc: string): this {
    checkUnset('doc', this.#doc);
    this.#doc = doc;
    return this;
  }

  /** Sets one parameter; parameters keep insertion order. */
  parameter(name: string, value: string): this {
    this.#parameters ??= {};
    this.#parameters[name] = value;
    return this;
  }

  /** Adds parameters (additively). */
  parameters(params: Readonly<Record<string, string>>): this {
    if (Object.keys(params).length === 0) return this;
    this.#parameters = { ...this.#parameters, ...params };
    return this;
  }

  /** Adds a struct field; throws a SchemaBuilderError on non-struct types. */
  field(name: string, schema: Schema | SchemaBuilder): this {
    if (!this.#fields) throw new SchemaBuilderError(`Cannot create fields on type ${this.type}`);
    this.#fields.push(Object.freeze({ name, index: this.#fields.length, schema: toSchema(schema) }));
    return this;
  }

  /** The fields added so far; throws a DataError on non-struct types. */
  fields(): readonly Field[] {
    if (!this.#fields) throw new DataError('Cannot list fields on non-struct type');
    return this.#fields;
  }

  build(): Schema {
    return this.#peek(this.#hasDefault ? this.#defaultValue : undefined);
  }

  #peek(defaultValue?: unknown): Schema {
    return new ConnectSchema({
      type: this.type,
      optional: this.#optional ?? false,
      defaultValue,
      name: this.#name,
      version: this.#version,
      doc: this.#doc,
      parameters: this.#parameters,
      fields: this.#fields,
      keySchema: this.#keySchema,
      valueSchema: this.#valueSchema,
    });
  }
}

function toSchema(schema: Schema | SchemaBuilder): Schema {
  return schema instanceof SchemaBuilder ? schema.build() : schema;
}

function checkUnset(name: string, value: unknown): void {
  if (value !== undefined) {
    throw new SchemaBuilderError(`Invalid SchemaBuilder call: ${name} has already been set.`);
  }
}
