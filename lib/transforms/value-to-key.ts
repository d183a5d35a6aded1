import {
  ConfigDef,
  ConfigType,
  type ConnectRecord,
  DataError,
  Importance,
  NO_DEFAULT,
  type Schema,
  SchemaBuilder,
  Struct,
  type Transformation,
} from '../api/index.js';
import {
  defineReplaceNullWithDefault,
  NonEmptyList,
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
  SimpleConfig,
  SMT_VERSION,
} from './util/config.js';
import { type ConnectMap, requireMap, requireStruct } from './util/requirements.js';
import { fieldValue, SchemaCache } from './util/schema-util.js';

const FIELDS_CONFIG = 'fields';
const PURPOSE = 'copying fields from value to key';

/** Replaces the key with a Struct (or map) of some value fields (Kafka's `ValueToKey`). */
export class ValueToKey implements Transformation {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.ValueToKey';
  static readonly CONFIG_DEF = defineReplaceNullWithDefault(
    new ConfigDef().define({
      name: FIELDS_CONFIG,
      type: ConfigType.LIST,
      defaultValue: NO_DEFAULT,
      validator: NonEmptyList,
      importance: Importance.HIGH,
      documentation: 'Field names on the record value to extract as the record key.',
    }),
  );
  readonly version = SMT_VERSION;
  #fields: string[] = [];
  #replaceNullWithDefault = true;
  readonly #cache = new SchemaCache();

  configure(configs: Record<string, unknown>): void {
    const config = new SimpleConfig(ValueToKey.CONFIG_DEF, configs);
    this.#fields = config.getList(FIELDS_CONFIG);
    this.#replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG);
    this.#cache.clear();
  }

  apply<R extends ConnectRecord>(record: R): R {
    if (!record.valueSchema) {
      const value = requireMap(record.value, PURPOSE);
      const key: ConnectMap = {};
      for (const field of this.#fields) key[field] = value[field] ?? null;
      return record.with({ keySchema: null, key });
    }
    const value = requireStruct(record.value, PURPOSE);
    const keySchema = this.#cache.getOrBuild(value.schema, (s) => this.#keySchema(s));
    const key = new Struct(keySchema);
    for (const field of this.#fields) key.put(field, fieldValue(value, field, this.#replaceNullWithDefault));
    return record.with({ keySchema, key });
  }

  config(): ConfigDef {
    return ValueToKey.CONFIG_DEF;
  }

  close(): void {
    this.#cache.clear();
  }

  #keySchema(valueSchema: Schema): Schema {
    const builder = SchemaBuilder.struct();
    for (const name of this.#fields) {
      const field = valueSchema.field(name);
      if (!field) throw new DataError(`Field does not exist: ${name}`);
      builder.field(name, field.schema);
    }
    return builder.build();
  }
}
