import {
  BigDecimal,
  ConfigDef,
  ConfigError,
  ConfigType,
  ConnectDate,
  type ConnectRecord,
  ConnectTime,
  ConnectTimestamp,
  DataError,
  Importance,
  LogicalNames,
  NO_DEFAULT,
  type Schema,
  SchemaBuilder,
  type SchemaType,
  Struct,
  type Transformation,
} from '../api/index.js';
import {
  defineReplaceNullWithDefault,
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
  SimpleConfig,
  SMT_VERSION,
} from './util/config.js';
import {
  javaDoubleToString,
  javaFloatToString,
  narrow,
  parseJavaDouble,
  parseJavaInteger,
} from './util/java-values.js';
import { javaClassName, requireMap, requireStruct } from './util/requirements.js';
import { copySchemaBasics, fieldValue, SchemaCache } from './util/schema-util.js';
import { KEY, type RecordSide, VALUE } from './util/side.js';

const SPEC_CONFIG = 'spec';
const PURPOSE = 'cast types';
const INPUT_TYPES = ['INT8', 'INT16', 'INT32', 'INT64', 'FLOAT32', 'FLOAT64', 'BOOLEAN', 'STRING', 'BYTES'];
const OUTPUT_TYPES = INPUT_TYPES.slice(0, -1);
const MILLIS_PER_DAY = 86_400_000;

type CastType = 'INT8' | 'INT16' | 'INT32' | 'INT64' | 'FLOAT32' | 'FLOAT64' | 'BOOLEAN' | 'STRING';

/** The parsed `spec`: field → type, or the whole-value type under the key `null`. */
function parseFieldTypes(mappings: readonly string[]): Map<string | null, CastType> {
  const casts = new Map<string | null, CastType>();
  let wholeValue = false;
  const outputType = (text: string): CastType => {
    const type = text.trim().toUpperCase();
    if (!OUTPUT_TYPES.includes(type)) {
      if (!INPUT_TYPES.includes(type) && !['ARRAY', 'MAP', 'STRUCT'].includes(type)) {
        throw new ConfigError(`Invalid type found in casting spec: ${text.trim()}`);
      }
      throw new ConfigError(
        `Cast transformation does not support casting to ${type}; supported types are [${OUTPUT_TYPES.join(', ')}]`,
      );
    }
    return type as CastType;
  };
  for (const mapping of mappings) {
    const parts = mapping.split(':');
    if (parts.length > 2) {
      throw new ConfigError(
        `Invalid value [${mappings.join(', ')}] for configuration renames: Invalid rename mapping: ${mapping}`,
      );
    }
    if (parts.length === 1) {
      casts.set(null, outputType(parts[0] as string));
      wholeValue = true;
    } else {
      casts.set((parts[0] as string).trim(), outputType(parts[1] as string));
    }
  }
  if (wholeValue && mappings.length > 1) {
    throw new ConfigError(
      'Cast transformations that specify a type to cast the entire value to may ony specify a single cast in their spec',
    );
  }
  return casts;
}

const CONFIG_DEF = defineReplaceNullWithDefault(
  new ConfigDef().define({
    name: SPEC_CONFIG,
    type: ConfigType.LIST,
    defaultValue: NO_DEFAULT,
    validator: {
      ensureValid(_name, value) {
        const list = value as string[] | null;
        if (!list || list.length === 0) throw new ConfigError('Must specify at least one field to cast.');
        parseFieldTypes(list);
      },
      toString: () => 'list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>',
    },
    importance: Importance.HIGH,
    documentation:
      'List of fields and the type to cast them to of the form field1:type,field2:type to cast fields of Maps or ' +
      'Structs. A single type to cast the entire value. Valid types are int8, int16, int32, int64, float32, ' +
      'float64, boolean, and string. Note that binary fields can only be cast to string.',
  }),
);

/** The schema type Connect infers for a schemaless value (Kafka's `ConnectSchema.schemaType`). */
function inferType(value: unknown): SchemaType | null {
  switch (typeof value) {
    case 'string':
      return 'STRING';
    case 'boolean':
      return 'BOOLEAN';
    case 'bigint':
      return 'INT64';
    case 'number':
      return Number.isInteger(value) ? 'INT64' : 'FLOAT64';
  }
  if (value instanceof Uint8Array) return 'BYTES';
  if (value instanceof Struct) return 'STRUCT';
  if (Array.isArray(value)) return 'ARRAY';
  if (value instanceof Map || (typeof value === 'object' && value?.constructor === Object)) return 'MAP';
  return null;
}

/** Kafka's `Values.dateFormatFor`: a time of day, a date, or a full ISO timestamp. */
function dateToString(date: Date): string {
  const iso = date.toISOString();
  const millis = date.getTime();
  if (millis >= 0 && millis < MILLIS_PER_DAY) return iso.slice(11);
  if (millis % MILLIS_PER_DAY === 0) return iso.slice(0, 10);
  return iso;
}

function encodeLogical(schema: Schema, value: unknown): unknown {
  if (!(value instanceof Date)) return value;
  switch (schema.name) {
    case LogicalNames.DATE:
      return ConnectDate.fromLogical(schema, value);
    case LogicalNames.TIME:
      return ConnectTime.fromLogical(schema, value);
    case LogicalNames.TIMESTAMP:
      return ConnectTimestamp.fromLogical(schema, value);
  }
  return value;
}

function unexpected(value: unknown): DataError {
  return new DataError(`Unexpected type in Cast transformation: class ${javaClassName(value)}`);
}

function toNumeric(value: unknown): number | bigint | BigDecimal | undefined {
  if (typeof value === 'number' || typeof value === 'bigint' || value instanceof BigDecimal) return value;
  return undefined;
}

function castTo(value: unknown, sourceType: SchemaType, target: CastType): unknown {
  const numeric = toNumeric(value);
  switch (target) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
      if (numeric !== undefined) return narrow(numeric, target);
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (typeof value === 'string') return parseJavaInteger(value, target);
      throw unexpected(value);
    case 'FLOAT32':
    case 'FLOAT64': {
      let n: number;
      if (numeric !== undefined) n = numeric instanceof BigDecimal ? numeric.toNumber() : Number(numeric);
      else if (typeof value === 'boolean') n = value ? 1 : 0;
      else if (typeof value === 'string') n = parseJavaDouble(value);
      else throw unexpected(value);
      return target === 'FLOAT32' ? Math.fround(n) : n;
    }
    case 'BOOLEAN':
      if (numeric !== undefined)
        return numeric instanceof BigDecimal ? numeric.unscaled !== 0n : Number(numeric) !== 0;
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string') return value.toLowerCase() === 'true';
      throw unexpected(value);
    case 'STRING':
      if (value instanceof Date) return dateToString(value);
      if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
      if (typeof value === 'number' && sourceType === 'FLOAT32') return javaFloatToString(value);
      if (typeof value === 'number' && (sourceType === 'FLOAT64' || !Number.isInteger(value))) {
        return javaDoubleToString(value);
      }
      return String(value);
  }
}

/** Kafka's `castValueToType`: checks the input type, encodes logical types, then casts. */
function castValueToType(schema: Schema | null, value: unknown, target: CastType): unknown {
  if (value === null || value === undefined) return null;
  const sourceType = schema ? schema.type : inferType(value);
  if (sourceType === null) {
    throw new DataError(
      `Cast transformation was passed a value of type class ${javaClassName(value)} which is not supported by Connect's data API`,
    );
  }
  if (!INPUT_TYPES.includes(sourceType)) {
    throw new DataError(
      `Cast transformation does not support casting from ${sourceType}; supported types are [${INPUT_TYPES.join(', ')}]`,
    );
  }
  const encoded = schema?.name !== undefined && target !== 'STRING' ? encodeLogical(schema, value) : value;
  try {
    return castTo(encoded, sourceType, target);
  } catch (e) {
    if (e instanceof RangeError) {
      throw new DataError(`Value (${String(value)}) was out of range for requested data type`, { cause: e });
    }
    throw e;
  }
}

function builderFor(type: CastType): SchemaBuilder {
  return SchemaBuilder.type(type);
}

/**
 * Casts fields, or the whole key/value, to another primitive type (Kafka's `Cast`). `spec` is either
 * one type (`int32`) for the whole key/value, or `field:type,...` for top-level fields of a Struct or map.
 * Bytes cast only to string (Base64); Date/Time/Timestamp values cast to their numeric form or to an
 * ISO-8601 string.
 */
export abstract class Cast implements Transformation {
  static readonly CONFIG_DEF = CONFIG_DEF;
  readonly version = SMT_VERSION;
  #casts = new Map<string | null, CastType>();
  #wholeValueType: CastType | undefined;
  #replaceNullWithDefault = true;
  readonly #cache = new SchemaCache();

  protected constructor(private readonly side: RecordSide) {}

  configure(configs: Record<string, unknown>): void {
    const config = new SimpleConfig(CONFIG_DEF, configs);
    this.#casts = parseFieldTypes(config.getList(SPEC_CONFIG));
    this.#wholeValueType = this.#casts.get(null);
    this.#replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG);
    this.#cache.clear();
  }

  apply<R extends ConnectRecord>(record: R): R {
    const value = this.side.value(record);
    if (value === null || value === undefined) return record;
    const schema = this.side.schema(record);
    return schema ? this.#applyWithSchema(record, schema, value) : this.#applySchemaless(record, value);
  }

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  close(): void {}

  #applySchemaless<R extends ConnectRecord>(record: R, value: unknown): R {
    if (this.#wholeValueType) {
      return this.side.update(record, null, castValueToType(null, value, this.#wholeValueType));
    }
    const map = requireMap(value, PURPOSE);
    const updated = { ...map };
    for (const [field, type] of this.#casts) {
      updated[field as string] = castValueToType(null, map[field as string], type);
    }
    return this.side.update(record, null, updated);
  }

  #applyWithSchema<R extends ConnectRecord>(record: R, schema: Schema, value: unknown): R {
    if (this.#wholeValueType) {
      const updatedSchema = this.#cache.getOrBuild(schema, (s) => this.#buildSchema(s));
      return this.side.update(record, updatedSchema, castValueToType(schema, value, this.#wholeValueType));
    }
    // Checked before deriving the schema, so a non-Struct gets Kafka's requireStruct message.
    const struct = requireStruct(value, PURPOSE);
    const updatedSchema = this.#cache.getOrBuild(schema, (s) => this.#buildSchema(s));
    const updated = new Struct(updatedSchema);
    for (const field of struct.schema.fields()) {
      const original = fieldValue(struct, field, this.#replaceNullWithDefault);
      const target = this.#casts.get(field.name);
      updated.put(field.name, target ? castValueToType(field.schema, original, target) : original);
    }
    return this.side.update(record, updatedSchema, updated);
  }

  #buildSchema(schema: Schema): Schema {
    let builder: SchemaBuilder;
    if (this.#wholeValueType) {
      builder = copySchemaBasics(schema, builderFor(this.#wholeValueType));
    } else {
      builder = copySchemaBasics(schema, SchemaBuilder.struct());
      for (const field of schema.fields()) {
        const target = this.#casts.get(field.name);
        if (!target) {
          builder.field(field.name, field.schema);
          continue;
        }
        const fieldBuilder = builderFor(target);
        if (field.schema.optional) fieldBuilder.optional();
        if (field.schema.defaultValue !== undefined) {
          fieldBuilder.defaultValue(castValueToType(field.schema, field.schema.defaultValue, target));
        }
        builder.field(field.name, fieldBuilder);
      }
    }
    if (schema.optional) builder.optional();
    if (schema.defaultValue !== undefined) {
      builder.defaultValue(castValueToType(schema, schema.defaultValue, builder.type as CastType));
    }
    return builder.build();
  }
}

export class CastKey extends Cast {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.Cast$Key';
  constructor() {
    super(KEY);
  }
}

export class CastValue extends Cast {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.Cast$Value';
  constructor() {
    super(VALUE);
  }
}
