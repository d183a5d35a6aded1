import {
  ConfigDef,
  ConfigType,
  type ConnectRecord,
  DataError,
  Importance,
  type Schema,
  SchemaBuilder,
  Struct,
  type Transformation,
} from '../api/index.js';
import { SimpleConfig, SMT_VERSION } from './util/config.js';
import {
  type ConnectMap,
  isMap,
  javaClassName,
  requireMap,
  requireStructOrNull,
} from './util/requirements.js';
import { copySchemaBasics, SchemaCache } from './util/schema-util.js';
import { KEY, type RecordSide, VALUE } from './util/side.js';

const DELIMITER_CONFIG = 'delimiter';
const PURPOSE = 'flattening';
const FLAT_TYPES = new Set([
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FLOAT32',
  'FLOAT64',
  'BOOLEAN',
  'STRING',
  'BYTES',
  'ARRAY',
]);

const CONFIG_DEF = new ConfigDef().define({
  name: DELIMITER_CONFIG,
  type: ConfigType.STRING,
  defaultValue: '.',
  importance: Importance.MEDIUM,
  documentation:
    'Delimiter to insert between field names from the input record when generating field names for the output record',
});

function unsupported(type: string, fieldName: string, withSchema: boolean): DataError {
  return new DataError(
    `Flatten transformation does not support ${type} for record ${withSchema ? 'with' : 'without'} schemas (for field ${fieldName}).`,
  );
}

/**
 * Flattens nested structs (with a schema) or maps (without) into one level, joining names with
 * `delimiter` (Kafka's `Flatten`). Arrays stay as they are; a MAP field in a schema is an error. A field
 * under an optional parent becomes optional, and parents' defaults become the children's defaults.
 */
export abstract class Flatten implements Transformation {
  static readonly CONFIG_DEF = CONFIG_DEF;
  readonly version = SMT_VERSION;
  #delimiter = '.';
  readonly #cache = new SchemaCache();

  protected constructor(private readonly side: RecordSide) {}

  configure(configs: Record<string, unknown>): void {
    this.#delimiter = new SimpleConfig(CONFIG_DEF, configs).getString(DELIMITER_CONFIG) as string;
    this.#cache.clear();
  }

  apply<R extends ConnectRecord>(record: R): R {
    const value = this.side.value(record);
    if (value === null || value === undefined) return record;
    const schema = this.side.schema(record);
    if (!schema) {
      const flat: ConnectMap = {};
      this.#flattenMap(requireMap(value, PURPOSE), '', flat);
      return this.side.update(record, null, flat);
    }
    const struct = requireStructOrNull(value, PURPOSE);
    const updatedSchema = this.#cache.getOrBuild(schema, (s) => this.#flatSchema(s));
    if (!struct) return this.side.update(record, updatedSchema, null);
    const flat = new Struct(updatedSchema);
    this.#flattenStruct(struct, '', flat);
    return this.side.update(record, updatedSchema, flat);
  }

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  close(): void {}

  #name(prefix: string, name: string): string {
    return prefix === '' ? name : `${prefix}${this.#delimiter}${name}`;
  }

  #flattenMap(map: ConnectMap, prefix: string, out: ConnectMap): void {
    for (const [key, value] of Object.entries(map)) {
      const name = this.#name(prefix, key);
      if (value === null || value === undefined) {
        out[name] = null;
      } else if (isMap(value)) {
        this.#flattenMap(requireMap(value, PURPOSE), name, out);
      } else if (value instanceof Struct) {
        throw unsupported(`class ${javaClassName(value)}`, name, false);
      } else if (typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array)) {
        throw new DataError(
          `Flatten transformation was passed a value of type class ${javaClassName(value)} which is not supported by Connect's data API`,
        );
      } else {
        out[name] = value;
      }
    }
  }

  #flatSchema(schema: Schema): Schema {
    // As in Kafka, the flat schema keeps the name, version and doc but not the optionality.
    const flat = copySchemaBasics(schema, SchemaBuilder.struct());
    this.#addFields(schema, '', flat, schema.optional, (schema.defaultValue as Struct | undefined) ?? null);
    return flat.build();
  }

  #addFields(
    schema: Schema,
    prefix: string,
    out: SchemaBuilder,
    optional: boolean,
    parentDefault: Struct | null,
  ): void {
    for (const field of schema.fields()) {
      const name = this.#name(prefix, field.name);
      const fieldOptional = optional || field.schema.optional;
      const fieldDefault = field.schema.defaultValue ?? parentDefault?.get(field) ?? null;
      if (FLAT_TYPES.has(field.schema.type)) {
        const builder = copySchemaBasics(field.schema);
        if (fieldOptional) builder.optional();
        if (fieldDefault !== null) builder.defaultValue(fieldDefault);
        out.field(name, builder);
      } else if (field.schema.type === 'STRUCT') {
        this.#addFields(field.schema, name, out, fieldOptional, fieldDefault as Struct | null);
      } else {
        throw unsupported(field.schema.type, name, true);
      }
    }
  }

  #flattenStruct(struct: Struct | null, prefix: string, out: Struct): void {
    if (!struct) return;
    for (const field of struct.schema.fields()) {
      const name = this.#name(prefix, field.name);
      if (FLAT_TYPES.has(field.schema.type)) out.put(name, struct.get(field));
      else if (field.schema.type === 'STRUCT') this.#flattenStruct(struct.getStruct(field.name), name, out);
      else throw unsupported(field.schema.type, name, true);
    }
  }
}

export class FlattenKey extends Flatten {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.Flatten$Key';
  constructor() {
    super(KEY);
  }
}

export class FlattenValue extends Flatten {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.Flatten$Value';
  constructor() {
    super(VALUE);
  }
}
