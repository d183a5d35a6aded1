import {
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
  Schemas,
  Struct,
  type Transformation,
  ValidString,
} from '../api/index.js';
import {
  defineReplaceNullWithDefault,
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
  SimpleConfig,
  SMT_VERSION,
} from './util/config.js';
import { javaClassName, requireMap, requireStructOrNull } from './util/requirements.js';
import { copySchemaBasics, fieldValue, SchemaCache } from './util/schema-util.js';
import { KEY, type RecordSide, VALUE } from './util/side.js';
import { SimpleDateFormat } from './util/simple-date-format.js';

const PURPOSE = 'converting timestamp formats';
const MILLIS_PER_DAY = 86_400_000;
const TYPES = ['string', 'unix', 'Date', 'Time', 'Timestamp'] as const;
type TimestampType = (typeof TYPES)[number];
const PRECISIONS = ['nanoseconds', 'microseconds', 'milliseconds', 'seconds'] as const;
type Precision = (typeof PRECISIONS)[number];

const CONFIG_DEF = defineReplaceNullWithDefault(
  new ConfigDef()
    .define({
      name: 'field',
      type: ConfigType.STRING,
      defaultValue: '',
      importance: Importance.HIGH,
      documentation: 'The field containing the timestamp, or empty if the entire value is a timestamp',
    })
    .define({
      name: 'target.type',
      type: ConfigType.STRING,
      defaultValue: NO_DEFAULT,
      validator: ValidString.in(...TYPES),
      importance: Importance.HIGH,
      documentation: 'The desired timestamp representation: string, unix, Date, Time, or Timestamp',
    })
    .define({
      name: 'format',
      type: ConfigType.STRING,
      defaultValue: '',
      importance: Importance.MEDIUM,
      documentation:
        'A SimpleDateFormat-compatible format for the timestamp. Used to generate the output when type=string ' +
        'or used to parse the input if the input is a string.',
    })
    .define({
      name: 'unix.precision',
      type: ConfigType.STRING,
      defaultValue: 'milliseconds',
      validator: ValidString.in(...PRECISIONS),
      importance: Importance.LOW,
      documentation:
        'The desired Unix precision for the timestamp: seconds, milliseconds, microseconds, or nanoseconds. ' +
        'Used to generate the output when type=unix or used to parse the input if the input is a Long.' +
        'Note: This SMT will cause precision loss during conversions from, and to, values with sub-millisecond components.',
    }),
);

const MILLIS_PER: Record<Precision, number> = {
  seconds: 1000,
  milliseconds: 1,
  microseconds: 1e-3,
  nanoseconds: 1e-6,
};
const OPTIONAL = {
  Date: ConnectDate.builder().optional().build(),
  Time: ConnectTime.builder().optional().build(),
  Timestamp: ConnectTimestamp.builder().optional().build(),
};

function typeSchema(type: TimestampType, optional: boolean): Schema {
  switch (type) {
    case 'string':
      return optional ? Schemas.OPTIONAL_STRING : Schemas.STRING;
    case 'unix':
      return optional ? Schemas.OPTIONAL_INT64 : Schemas.INT64;
    case 'Date':
      return optional ? OPTIONAL.Date : ConnectDate.SCHEMA;
    case 'Time':
      return optional ? OPTIONAL.Time : ConnectTime.SCHEMA;
    case 'Timestamp':
      return optional ? OPTIONAL.Timestamp : ConnectTimestamp.SCHEMA;
  }
}

function typeFromSchema(schema: Schema): TimestampType {
  if (schema.name === LogicalNames.TIMESTAMP) return 'Timestamp';
  if (schema.name === LogicalNames.DATE) return 'Date';
  if (schema.name === LogicalNames.TIME) return 'Time';
  if (schema.type === 'STRING') return 'string';
  if (schema.type === 'INT64') return 'unix';
  throw new DataError(`Schema ${String(schema)} does not correspond to a known timestamp type format`);
}

function inferType(value: unknown): TimestampType {
  if (value instanceof Date) return 'Timestamp';
  if (typeof value === 'number' || typeof value === 'bigint') return 'unix';
  if (typeof value === 'string') return 'string';
  throw new DataError(
    `TimestampConverter does not support class ${javaClassName(value)} objects as timestamps`,
  );
}

/**
 * Converts timestamps between epoch numbers (`unix`, with `unix.precision`), formatted strings
 * (`format`, a Java SimpleDateFormat pattern, in UTC) and the Connect `Date`, `Time` and `Timestamp`
 * logical types, for the whole key/value or one top-level `field` (Kafka's `TimestampConverter`).
 */
export abstract class TimestampConverter implements Transformation {
  static readonly CONFIG_DEF = CONFIG_DEF;
  readonly version = SMT_VERSION;
  #field = '';
  #target: TimestampType = 'Timestamp';
  #format: SimpleDateFormat | null = null;
  #precision: Precision = 'milliseconds';
  #replaceNullWithDefault = true;
  readonly #cache = new SchemaCache();

  protected constructor(private readonly side: RecordSide) {}

  configure(configs: Record<string, unknown>): void {
    const config = new SimpleConfig(CONFIG_DEF, configs);
    this.#field = config.getString('field') ?? '';
    this.#target = config.getString('target.type') as TimestampType;
    this.#precision = config.getString('unix.precision') as Precision;
    this.#replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG);
    const pattern = config.getString('format') ?? '';
    if (this.#target === 'string' && pattern.trim() === '') {
      throw new ConfigError(
        'TimestampConverter requires format option to be specified when using string timestamps',
      );
    }
    this.#format = null;
    if (pattern.trim() !== '') {
      try {
        this.#format = new SimpleDateFormat(pattern);
      } catch (_e) {
        throw new ConfigError(
          `TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: ${pattern}`,
        );
      }
    }
    this.#cache.clear();
  }

  apply<R extends ConnectRecord>(record: R): R {
    const schema = this.side.schema(record);
    const value = this.side.value(record);
    if (!schema) {
      if (value === null || value === undefined || this.#field === '') {
        return this.side.update(record, null, this.#convert(value, null));
      }
      const updated = { ...requireMap(value, PURPOSE) };
      updated[this.#field] = this.#convert(updated[this.#field], null);
      return this.side.update(record, null, updated);
    }
    if (this.#field === '') {
      return this.side.update(
        record,
        typeSchema(this.#target, schema.optional),
        this.#convert(value, typeFromSchema(schema)),
      );
    }
    const struct = requireStructOrNull(value, PURPOSE);
    const updatedSchema = this.#cache.getOrBuild(schema, (s) => this.#buildSchema(s));
    return this.side.update(record, updatedSchema, this.#convertStruct(struct, updatedSchema));
  }

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  close(): void {}

  #buildSchema(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const field of schema.fields()) {
      const converted =
        field.name === this.#field ? typeSchema(this.#target, field.schema.optional) : field.schema;
      builder.field(field.name, converted);
    }
    if (schema.optional) builder.optional();
    if (schema.defaultValue instanceof Struct)
      builder.defaultValue(this.#convertStruct(schema.defaultValue, builder.build()));
    return builder.build();
  }

  #convertStruct(struct: Struct | null, schema: Schema): Struct | null {
    if (!struct) return null;
    const updated = new Struct(schema);
    for (const field of struct.schema.fields()) {
      const original = fieldValue(struct, field, this.#replaceNullWithDefault);
      updated.put(
        field.name,
        field.name === this.#field ? this.#convert(original, typeFromSchema(field.schema)) : original,
      );
    }
    return updated;
  }

  /** Converts one timestamp from `sourceType` (inferred from the value when null) to the target type. */
  #convert(value: unknown, sourceType: TimestampType | null): unknown {
    if (value === null || value === undefined) return null;
    return this.#fromRaw(this.#toRaw(value, sourceType ?? inferType(value)));
  }

  #toRaw(value: unknown, type: TimestampType): Date {
    switch (type) {
      case 'string': {
        if (typeof value !== 'string') {
          throw new DataError(
            `Expected string timestamp to be a String, but found class ${javaClassName(value)}`,
          );
        }
        const format = this.#format as SimpleDateFormat;
        try {
          return format.parse(value);
        } catch (e) {
          throw new DataError(
            `Could not parse timestamp: value (${value}) does not match pattern (${format.toPattern()})`,
            { cause: e },
          );
        }
      }
      case 'unix': {
        if (typeof value !== 'number' && typeof value !== 'bigint') {
          throw new DataError(
            `Expected Unix timestamp to be a Long, but found class ${javaClassName(value)}`,
          );
        }
        // TimeUnit conversions truncate toward zero.
        return new Date(Math.trunc(Number(value) * MILLIS_PER[this.#precision]));
      }
      default:
        if (!(value instanceof Date)) {
          throw new DataError(
            `Expected ${type} to be a java.util.Date, but found class ${javaClassName(value)}`,
          );
        }
        return value;
    }
  }

  #fromRaw(date: Date): unknown {
    const millis = date.getTime();
    switch (this.#target) {
      case 'string':
        return (this.#format as SimpleDateFormat).format(date);
      case 'unix':
        return this.#precision === 'milliseconds' ? millis : unixOf(millis, this.#precision);
      case 'Date':
        return new Date(millis - mod(millis, MILLIS_PER_DAY));
      case 'Time':
        return new Date(mod(millis, MILLIS_PER_DAY));
      case 'Timestamp':
        return date;
    }
  }
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

function unixOf(millis: number, precision: Precision): number | bigint {
  if (precision === 'seconds') return Math.trunc(millis / 1000);
  const scaled = BigInt(millis) * (precision === 'microseconds' ? 1000n : 1_000_000n);
  return Number.isSafeInteger(Number(scaled)) ? Number(scaled) : scaled;
}

export class TimestampConverterKey extends TimestampConverter {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.TimestampConverter$Key';
  constructor() {
    super(KEY);
  }
}

export class TimestampConverterValue extends TimestampConverter {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.TimestampConverter$Value';
  constructor() {
    super(VALUE);
  }
}
