import {
  ConfigDef,
  ConfigError,
  ConfigType,
  type ConnectRecord,
  ConnectTimestamp,
  Importance,
  type Schema,
  SchemaBuilder,
  Schemas,
  Struct,
  type Transformation,
} from '../api/index.js';
import {
  defineReplaceNullWithDefault,
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
  SimpleConfig,
  SMT_VERSION,
} from './util/config.js';
import { requireMap, requireSinkRecord, requireStruct } from './util/requirements.js';
import { copySchemaBasics, fieldValue, SchemaCache } from './util/schema-util.js';
import { KEY, type RecordSide, VALUE } from './util/side.js';

const PURPOSE = 'field insertion';
const OPTIONALITY_DOC =
  'Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default).';
const KEYS = {
  topic: ['topic.field', 'Field name for Kafka topic. '],
  partition: ['partition.field', 'Field name for Kafka partition. '],
  offset: ['offset.field', 'Field name for Kafka offset - only applicable to sink connectors.<br/>'],
  timestamp: ['timestamp.field', 'Field name for record timestamp. '],
  static: ['static.field', 'Field name for static data field. '],
} as const;
const STATIC_VALUE = 'static.value';
type Kind = keyof typeof KEYS;

const CONFIG_DEF = new ConfigDef();
for (const [name, doc] of Object.values(KEYS)) {
  CONFIG_DEF.define({
    name,
    type: ConfigType.STRING,
    defaultValue: null,
    importance: Importance.MEDIUM,
    documentation: doc + OPTIONALITY_DOC,
  });
}
CONFIG_DEF.define({
  name: STATIC_VALUE,
  type: ConfigType.STRING,
  defaultValue: null,
  importance: Importance.MEDIUM,
  documentation: 'Static field value, if field name configured.',
});
defineReplaceNullWithDefault(CONFIG_DEF);

interface InsertionSpec {
  name: string;
  optional: boolean;
}

function parseSpec(spec: string | null): InsertionSpec | undefined {
  if (spec === null) return undefined;
  if (spec.endsWith('?')) return { name: spec.slice(0, -1), optional: true };
  if (spec.endsWith('!')) return { name: spec.slice(0, -1), optional: false };
  return { name: spec, optional: true };
}

const FIELD_SCHEMAS: Record<Kind, [Schema, Schema]> = {
  topic: [Schemas.OPTIONAL_STRING, Schemas.STRING],
  partition: [Schemas.OPTIONAL_INT32, Schemas.INT32],
  offset: [Schemas.OPTIONAL_INT64, Schemas.INT64],
  timestamp: [ConnectTimestamp.builder().optional().build(), ConnectTimestamp.SCHEMA],
  static: [Schemas.OPTIONAL_STRING, Schemas.STRING],
};

/**
 * Adds record metadata to the key/value (Kafka's `InsertField`): topic, partition, offset (sink records
 * only), timestamp and a static string. A suffix `!` makes the field required, `?` (or none) optional.
 * Null keys/values pass through.
 */
export abstract class InsertField implements Transformation {
  static readonly CONFIG_DEF = CONFIG_DEF;
  readonly version = SMT_VERSION;
  #specs: Partial<Record<Kind, InsertionSpec>> = {};
  #staticValue: string | null = null;
  #replaceNullWithDefault = true;
  readonly #cache = new SchemaCache();

  protected constructor(private readonly side: RecordSide) {}

  configure(configs: Record<string, unknown>): void {
    const config = new SimpleConfig(CONFIG_DEF, configs);
    this.#specs = {};
    for (const [kind, [name]] of Object.entries(KEYS) as [Kind, readonly [string, string]][]) {
      const spec = parseSpec(config.getString(name));
      if (spec) this.#specs[kind] = spec;
    }
    this.#staticValue = config.getString(STATIC_VALUE);
    this.#replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG);
    if (Object.keys(this.#specs).length === 0) throw new ConfigError('No field insertion configured');
    if (this.#specs.static && this.#staticValue === null) {
      throw new ConfigError(
        STATIC_VALUE,
        null,
        `No value specified for static field: ${this.#specs.static.name}`,
      );
    }
    this.#cache.clear();
  }

  apply<R extends ConnectRecord>(record: R): R {
    const value = this.side.value(record);
    if (value === null || value === undefined) return record;
    const schema = this.side.schema(record);
    if (!schema) {
      const updated = { ...requireMap(value, PURPOSE) };
      for (const [name, inserted] of this.#insertions(record, false)) updated[name] = inserted;
      return this.side.update(record, null, updated);
    }
    const struct = requireStruct(value, PURPOSE);
    const updatedSchema = this.#cache.getOrBuild(struct.schema, (s) => this.#buildSchema(s));
    const updated = new Struct(updatedSchema);
    for (const field of struct.schema.fields()) {
      updated.put(field.name, fieldValue(struct, field, this.#replaceNullWithDefault));
    }
    for (const [name, inserted] of this.#insertions(record, true)) updated.put(name, inserted);
    return this.side.update(record, updatedSchema, updated);
  }

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  close(): void {
    this.#cache.clear();
  }

  *#insertions(record: ConnectRecord, withSchema: boolean): Iterable<[string, unknown]> {
    const s = this.#specs;
    if (s.topic) yield [s.topic.name, record.topic];
    if (s.partition && record.kafkaPartition !== null) yield [s.partition.name, record.kafkaPartition];
    if (s.offset) yield [s.offset.name, requireSinkRecord(record, PURPOSE).kafkaOffset];
    if (s.timestamp && record.timestamp !== null) {
      yield [s.timestamp.name, withSchema ? new Date(record.timestamp) : record.timestamp];
    }
    if (s.static && this.#staticValue !== null) yield [s.static.name, this.#staticValue];
  }

  #buildSchema(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const field of schema.fields()) builder.field(field.name, field.schema);
    for (const kind of Object.keys(KEYS) as Kind[]) {
      const spec = this.#specs[kind];
      if (spec) builder.field(spec.name, FIELD_SCHEMAS[kind][spec.optional ? 0 : 1]);
    }
    return builder.build();
  }
}

export class InsertFieldKey extends InsertField {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.InsertField$Key';
  constructor() {
    super(KEY);
  }
}

export class InsertFieldValue extends InsertField {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.InsertField$Value';
  constructor() {
    super(VALUE);
  }
}
