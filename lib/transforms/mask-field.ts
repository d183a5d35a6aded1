import {
  BigDecimal,
  ConfigDef,
  ConfigType,
  type ConnectRecord,
  DataError,
  Importance,
  NO_DEFAULT,
  NonEmptyString,
  type Schema,
  type SchemaType,
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
import { parseJavaDouble, parseJavaInteger } from './util/java-values.js';
import { isMap, javaClassName, requireMap, requireStruct } from './util/requirements.js';
import { fieldValue } from './util/schema-util.js';
import { KEY, type RecordSide, VALUE } from './util/side.js';

const FIELDS_CONFIG = 'fields';
const REPLACEMENT_CONFIG = 'replacement';
const PURPOSE = 'mask fields';

const CONFIG_DEF = defineReplaceNullWithDefault(
  new ConfigDef()
    .define({
      name: FIELDS_CONFIG,
      type: ConfigType.LIST,
      defaultValue: NO_DEFAULT,
      validator: NonEmptyList,
      importance: Importance.HIGH,
      documentation: 'Names of fields to mask.',
    })
    .define({
      name: REPLACEMENT_CONFIG,
      type: ConfigType.STRING,
      defaultValue: null,
      validator: NonEmptyString,
      importance: Importance.LOW,
      documentation:
        "Custom value replacement, that will be applied to all 'fields' values (numeric or non-empty string values only).",
    }),
);

/**
 * The Connect type of a value to mask: its schema's when there is one; otherwise inferred from the JS
 * value, where every number reads as a double (JS has no int/double distinction without a schema).
 */
function typeOf(schema: Schema | null, value: unknown): SchemaType | 'DECIMAL' | 'DATE' | null {
  if (value instanceof BigDecimal) return 'DECIMAL';
  if (value instanceof Date) return 'DATE';
  if (schema) return schema.type;
  if (typeof value === 'number') return Number.isInteger(value) ? 'INT64' : 'FLOAT64';
  if (typeof value === 'bigint') return 'INT64';
  if (typeof value === 'string') return 'STRING';
  if (typeof value === 'boolean') return 'BOOLEAN';
  if (Array.isArray(value)) return 'ARRAY';
  if (isMap(value)) return 'MAP';
  return null;
}

function zero(type: ReturnType<typeof typeOf>, value: unknown): unknown {
  switch (type) {
    case 'BOOLEAN':
      return false;
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
    case 'FLOAT32':
    case 'FLOAT64':
      return 0;
    case 'DECIMAL':
      return new BigDecimal(0n, 0);
    case 'DATE':
      return new Date(0);
    case 'STRING':
      return '';
    case 'ARRAY':
      return [];
    case 'MAP':
      return {};
  }
  throw new DataError(`Cannot mask value of type: class ${javaClassName(value)}`);
}

function replacementFor(type: ReturnType<typeof typeOf>, value: unknown, replacement: string): unknown {
  try {
    switch (type) {
      case 'INT8':
      case 'INT16':
      case 'INT32':
      case 'INT64':
        return parseJavaInteger(replacement.trim(), type);
      case 'FLOAT32':
        return Math.fround(parseJavaDouble(replacement));
      case 'FLOAT64':
        return parseJavaDouble(replacement);
      case 'DECIMAL':
        return BigDecimal.parse(replacement);
      case 'STRING':
        return replacement;
    }
  } catch (e) {
    throw new DataError(`Unable to convert ${replacement} (class java.lang.String) to number`, { cause: e });
  }
  throw new DataError(`Cannot mask value of type class ${javaClassName(value)} with custom replacement.`);
}

/**
 * Masks fields with a "zero" of their type (`false`, `0`, `""`, `Date(0)`, empty list or map), or with
 * `replacement` converted to the field's type for numeric and string fields (Kafka's `MaskField`).
 */
export abstract class MaskField implements Transformation {
  static readonly CONFIG_DEF = CONFIG_DEF;
  readonly version = SMT_VERSION;
  #fields = new Set<string>();
  #replacement: string | null = null;
  #replaceNullWithDefault = true;

  protected constructor(private readonly side: RecordSide) {}

  configure(configs: Record<string, unknown>): void {
    const config = new SimpleConfig(CONFIG_DEF, configs);
    this.#fields = new Set(config.getList(FIELDS_CONFIG));
    this.#replacement = config.getString(REPLACEMENT_CONFIG);
    this.#replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG);
  }

  apply<R extends ConnectRecord>(record: R): R {
    const schema = this.side.schema(record);
    const value = this.side.value(record);
    if (!schema) {
      const map = requireMap(value, PURPOSE);
      const updated = { ...map };
      for (const field of this.#fields) updated[field] = this.#masked(null, map[field]);
      return this.side.update(record, null, updated);
    }
    const struct = requireStruct(value, PURPOSE);
    const updated = new Struct(struct.schema);
    for (const field of struct.schema.fields()) {
      const original = fieldValue(struct, field, this.#replaceNullWithDefault);
      updated.put(field, this.#fields.has(field.name) ? this.#masked(field.schema, original) : original);
    }
    return this.side.update(record, schema, updated);
  }

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  close(): void {}

  #masked(schema: Schema | null, value: unknown): unknown {
    if (value === null || value === undefined) return null;
    const type = typeOf(schema, value);
    return this.#replacement === null ? zero(type, value) : replacementFor(type, value, this.#replacement);
  }
}

export class MaskFieldKey extends MaskField {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.MaskField$Key';
  constructor() {
    super(KEY);
  }
}

export class MaskFieldValue extends MaskField {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.MaskField$Value';
  constructor() {
    super(VALUE);
  }
}
