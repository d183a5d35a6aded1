import {
  ConfigDef,
  ConfigError,
  ConfigType,
  type ConnectRecord,
  DataError,
  Importance,
  NO_DEFAULT,
  type Schema,
  SchemaBuilder,
  Struct,
  type Transformation,
  ValidString,
} from '../api/index.js';
import {
  defineReplaceNullWithDefault,
  NonEmptyList,
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
  SimpleConfig,
  SMT_VERSION,
} from './util/config.js';
import { requireMap, requireStruct } from './util/requirements.js';
import { copySchemaBasics, fieldValue, SchemaCache } from './util/schema-util.js';
import { KEY, type RecordSide, VALUE } from './util/side.js';

const FIELDS_FIELD = 'fields';
const HEADERS_FIELD = 'headers';
const OPERATION_FIELD = 'operation';

const CONFIG_DEF = defineReplaceNullWithDefault(
  new ConfigDef()
    .define({
      name: FIELDS_FIELD,
      type: ConfigType.LIST,
      defaultValue: NO_DEFAULT,
      validator: NonEmptyList,
      importance: Importance.HIGH,
      documentation: 'Field names in the record whose values are to be copied or moved to headers.',
    })
    .define({
      name: HEADERS_FIELD,
      type: ConfigType.LIST,
      defaultValue: NO_DEFAULT,
      validator: NonEmptyList,
      importance: Importance.HIGH,
      documentation:
        'Header names, in the same order as the field names listed in the fields configuration property.',
    })
    .define({
      name: OPERATION_FIELD,
      type: ConfigType.STRING,
      defaultValue: NO_DEFAULT,
      validator: ValidString.in('move', 'copy'),
      importance: Importance.HIGH,
      documentation:
        'Either <code>move</code> if the fields are to be moved to the headers (removed from the key/value), ' +
        'or <code>copy</code> if the fields are to be copied to the headers (retained in the key/value).',
    }),
);

/**
 * Moves or copies fields of the key/value into headers (Kafka's `HeaderFrom`); `fields[i]` goes to
 * header `headers[i]`, keeping the field's schema. Without a schema the headers have no schema.
 */
export abstract class HeaderFrom implements Transformation {
  static readonly CONFIG_DEF = CONFIG_DEF;
  readonly version = SMT_VERSION;
  #fields: string[] = [];
  #headers: string[] = [];
  #move = false;
  #replaceNullWithDefault = true;
  readonly #moveSchemas = new SchemaCache();

  protected constructor(private readonly side: RecordSide) {}

  configure(configs: Record<string, unknown>): void {
    const config = new SimpleConfig(CONFIG_DEF, configs);
    this.#fields = config.getList(FIELDS_FIELD);
    this.#headers = config.getList(HEADERS_FIELD);
    if (this.#fields.length !== this.#headers.length) {
      throw new ConfigError(
        `'${FIELDS_FIELD}' config must have the same number of elements as '${HEADERS_FIELD}' config.`,
      );
    }
    this.#move = config.getString(OPERATION_FIELD) === 'move';
    this.#replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG);
    this.#moveSchemas.clear();
  }

  apply<R extends ConnectRecord>(record: R): R {
    const schema = this.side.schema(record);
    const value = this.side.value(record);
    const headers = record.headers.duplicate();
    const purpose = `header ${this.#move ? 'move' : 'copy'}`;
    if (!schema) {
      const map = requireMap(value, purpose);
      const updated = { ...map };
      this.#fields.forEach((field, i) => {
        if (this.#move) delete updated[field];
        headers.add(this.#headers[i] as string, map[field] ?? null, null);
      });
      return this.side.update(record, null, updated).with({ headers }) as R;
    }
    const struct = requireStruct(value, purpose);
    let updatedSchema = schema;
    let updated = struct;
    if (this.#move) {
      updatedSchema = this.#moveSchemas.getOrBuild(schema, (s) => this.#moveSchema(s));
      updated = new Struct(updatedSchema);
      for (const field of updatedSchema.fields()) {
        updated.put(field, fieldValue(struct, field.name, this.#replaceNullWithDefault));
      }
    }
    this.#fields.forEach((name, i) => {
      const field = schema.field(name);
      // Kafka fails with a NullPointerException here; we say what is missing.
      if (!field) throw new DataError(`Field does not exist: ${name}`);
      headers.add(
        this.#headers[i] as string,
        fieldValue(struct, field, this.#replaceNullWithDefault),
        field.schema,
      );
    });
    return this.side.update(record, updatedSchema, updated).with({ headers }) as R;
  }

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  close(): void {}

  #moveSchema(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const field of schema.fields()) {
      if (!this.#fields.includes(field.name)) builder.field(field.name, field.schema);
    }
    return builder.build();
  }
}

export class HeaderFromKey extends HeaderFrom {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.HeaderFrom$Key';
  constructor() {
    super(KEY);
  }
}

export class HeaderFromValue extends HeaderFrom {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.HeaderFrom$Value';
  constructor() {
    super(VALUE);
  }
}
