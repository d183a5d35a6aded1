import {
  ConfigDef,
  ConfigError,
  ConfigType,
  type ConnectRecord,
  ConnectSchema,
  Importance,
  type Schema,
  Struct,
  type Transformation,
} from '../api/index.js';
import {
  defineReplaceNullWithDefault,
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
  SimpleConfig,
  SMT_VERSION,
} from './util/config.js';
import { requireSchema } from './util/requirements.js';
import { fieldValue } from './util/schema-util.js';
import { KEY, type RecordSide, VALUE } from './util/side.js';

const SCHEMA_NAME = 'schema.name';
const SCHEMA_VERSION = 'schema.version';

const CONFIG_DEF = defineReplaceNullWithDefault(
  new ConfigDef()
    .define({
      name: SCHEMA_NAME,
      type: ConfigType.STRING,
      defaultValue: null,
      importance: Importance.HIGH,
      documentation: 'Schema name to set.',
    })
    .define({
      name: SCHEMA_VERSION,
      type: ConfigType.INT,
      defaultValue: null,
      importance: Importance.HIGH,
      documentation: 'Schema version to set.',
    }),
);

/**
 * Sets the name and/or version of the key/value schema (Kafka's `SetSchemaMetadata`); a Struct is
 * rebuilt on the renamed schema. A record with neither schema nor value passes through.
 */
export abstract class SetSchemaMetadata implements Transformation {
  static readonly CONFIG_DEF = CONFIG_DEF;
  readonly version = SMT_VERSION;
  #name: string | null = null;
  #schemaVersion: number | null = null;
  #replaceNullWithDefault = true;

  protected constructor(private readonly side: RecordSide) {}

  configure(configs: Record<string, unknown>): void {
    const config = new SimpleConfig(CONFIG_DEF, configs);
    this.#name = config.getString(SCHEMA_NAME);
    this.#schemaVersion = config.getInt(SCHEMA_VERSION);
    this.#replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG);
    if (this.#name === null && this.#schemaVersion === null) {
      throw new ConfigError('Neither schema name nor version configured');
    }
  }

  apply<R extends ConnectRecord>(record: R): R {
    const value = this.side.value(record);
    const original = this.side.schema(record);
    if ((value === null || value === undefined) && !original) return record;
    const schema = requireSchema(original, 'updating schema metadata');
    const updatedSchema = new ConnectSchema({
      type: schema.type,
      optional: schema.optional,
      defaultValue: schema.defaultValue,
      name: this.#name ?? schema.name,
      version: this.#schemaVersion ?? schema.version,
      doc: schema.doc,
      parameters: schema.parameters,
      fields: schema.type === 'STRUCT' ? schema.fields() : undefined,
      keySchema: schema.type === 'MAP' ? schema.keySchema : undefined,
      valueSchema: schema.type === 'MAP' || schema.type === 'ARRAY' ? schema.valueSchema : undefined,
    });
    return this.side.update(record, updatedSchema, this.#updateSchemaIn(value, updatedSchema));
  }

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  close(): void {}

  /** A Struct refers to its schema, so it is copied onto the renamed one; other values are kept. */
  #updateSchemaIn(value: unknown, schema: Schema): unknown {
    if (!(value instanceof Struct)) return value;
    const updated = new Struct(schema);
    for (const field of schema.fields())
      updated.put(field, fieldValue(value, field.name, this.#replaceNullWithDefault));
    return updated;
  }
}

export class SetSchemaMetadataKey extends SetSchemaMetadata {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.SetSchemaMetadata$Key';
  constructor() {
    super(KEY);
  }
}

export class SetSchemaMetadataValue extends SetSchemaMetadata {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.SetSchemaMetadata$Value';
  constructor() {
    super(VALUE);
  }
}
