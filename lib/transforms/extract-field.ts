import {
  ConfigDef,
  ConfigType,
  type ConnectRecord,
  Importance,
  NO_DEFAULT,
  type Transformation,
} from '../api/index.js';
import {
  defineReplaceNullWithDefault,
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
  SimpleConfig,
  SMT_VERSION,
} from './util/config.js';
import {
  appendFieldSyntaxVersion,
  FIELD_SYNTAX_VERSION_CONFIG,
  fieldSyntaxVersion,
  SingleFieldPath,
} from './util/field-path.js';
import { requireMapOrNull, requireStructOrNull } from './util/requirements.js';
import { KEY, type RecordSide, VALUE } from './util/side.js';

const FIELD_CONFIG = 'field';
const PURPOSE = 'field extraction';

const CONFIG_DEF = appendFieldSyntaxVersion(
  defineReplaceNullWithDefault(
    new ConfigDef().define({
      name: FIELD_CONFIG,
      type: ConfigType.STRING,
      defaultValue: NO_DEFAULT,
      importance: Importance.MEDIUM,
      documentation: 'Field name to extract.',
    }),
  ),
);

/**
 * Replaces the key/value with one of its fields (Kafka's `ExtractField`): from a Struct with a schema,
 * from a map without. Null keys/values pass through. With `field.syntax.version=V2`, `a.b` reaches into
 * nested structs or maps.
 */
export abstract class ExtractField implements Transformation {
  static readonly CONFIG_DEF = CONFIG_DEF;
  readonly version = SMT_VERSION;
  #path = new SingleFieldPath('', 'V1');
  #replaceNullWithDefault = true;

  protected constructor(private readonly side: RecordSide) {}

  configure(configs: Record<string, unknown>): void {
    const config = new SimpleConfig(CONFIG_DEF, configs);
    const version = fieldSyntaxVersion(config.getString(FIELD_SYNTAX_VERSION_CONFIG));
    this.#path = new SingleFieldPath(config.getString(FIELD_CONFIG) as string, version);
    this.#replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG);
  }

  apply<R extends ConnectRecord>(record: R): R {
    const schema = this.side.schema(record);
    if (!schema) {
      const map = requireMapOrNull(this.side.value(record), PURPOSE);
      return this.side.update(record, null, map === null ? null : this.#path.valueFromMap(map));
    }
    const struct = requireStructOrNull(this.side.value(record), PURPOSE);
    const field = this.#path.fieldFrom(schema);
    // Kafka throws IllegalArgumentException here; a TypeError is our closest non-Connect error.
    if (!field) throw new TypeError(`Unknown field: ${this.#path.path}`);
    const value = struct === null ? null : this.#path.valueFromStruct(struct, this.#replaceNullWithDefault);
    return this.side.update(record, field.schema, value);
  }

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  close(): void {}
}

export class ExtractFieldKey extends ExtractField {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.ExtractField$Key';
  constructor() {
    super(KEY);
  }
}

export class ExtractFieldValue extends ExtractField {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.ExtractField$Value';
  constructor() {
    super(VALUE);
  }
}
