import {
  ConfigDef,
  ConfigType,
  type ConnectRecord,
  Importance,
  NO_DEFAULT,
  SchemaBuilder,
  Struct,
  type Transformation,
} from '../api/index.js';
import { SimpleConfig, SMT_VERSION } from './util/config.js';
import { SchemaCache } from './util/schema-util.js';
import { KEY, type RecordSide, VALUE } from './util/side.js';

const FIELD_CONFIG = 'field';

const CONFIG_DEF = new ConfigDef().define({
  name: FIELD_CONFIG,
  type: ConfigType.STRING,
  defaultValue: NO_DEFAULT,
  importance: Importance.MEDIUM,
  documentation: 'Field name for the single field that will be created in the resulting Struct or Map.',
});

/**
 * Wraps the key/value in a one-field Struct (with a schema) or map (without) named `field` (Kafka's
 * `HoistField`).
 */
export abstract class HoistField implements Transformation {
  static readonly CONFIG_DEF = CONFIG_DEF;
  readonly version = SMT_VERSION;
  #field = '';
  readonly #cache = new SchemaCache();

  protected constructor(private readonly side: RecordSide) {}

  configure(configs: Record<string, unknown>): void {
    this.#field = new SimpleConfig(CONFIG_DEF, configs).getString(FIELD_CONFIG) as string;
    this.#cache.clear();
  }

  apply<R extends ConnectRecord>(record: R): R {
    const schema = this.side.schema(record);
    const value = this.side.value(record);
    if (!schema) return this.side.update(record, null, { [this.#field]: value });
    const updatedSchema = this.#cache.getOrBuild(schema, (s) =>
      SchemaBuilder.struct().field(this.#field, s).build(),
    );
    return this.side.update(record, updatedSchema, new Struct(updatedSchema).put(this.#field, value));
  }

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  close(): void {
    this.#cache.clear();
  }
}

export class HoistFieldKey extends HoistField {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.HoistField$Key';
  constructor() {
    super(KEY);
  }
}

export class HoistFieldValue extends HoistField {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.HoistField$Value';
  constructor() {
    super(VALUE);
  }
}
