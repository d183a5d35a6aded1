import {
  ConfigDef,
  ConfigError,
  ConfigType,
  type ConnectRecord,
  Importance,
  lambdaValidator,
  type Schema,
  SchemaBuilder,
  Struct,
  type Transformation,
} from '../api/index.js';
import {
  defineReplaceNullWithDefault,
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
  SimpleConfig,
  SMT_VERSION,
} from './util/config.js';
import { type ConnectMap, requireMap, requireStruct } from './util/requirements.js';
import { copySchemaBasics, fieldValue, SchemaCache } from './util/schema-util.js';
import { KEY, type RecordSide, VALUE } from './util/side.js';

const EXCLUDE = 'exclude';
const INCLUDE = 'include';
const RENAMES = 'renames';
const PURPOSE = 'field replacement';

function parseRenameMappings(mappings: readonly string[]): Map<string, string> {
  const renames = new Map<string, string>();
  for (const mapping of mappings) {
    const parts = mapping.split(':');
    if (parts.length !== 2) {
      throw new ConfigError(RENAMES, `[${mappings.join(', ')}]`, `Invalid rename mapping: ${mapping}`);
    }
    renames.set(parts[0] as string, parts[1] as string);
  }
  return renames;
}

const listKey = (name: string, documentation: string) => ({
  name,
  type: ConfigType.LIST,
  defaultValue: '',
  importance: Importance.MEDIUM,
  documentation,
});

const CONFIG_DEF = defineReplaceNullWithDefault(
  new ConfigDef()
    .define(listKey(EXCLUDE, 'Fields to exclude. This takes precedence over the fields to include.'))
    .define(listKey(INCLUDE, 'Fields to include. If specified, only these fields will be used.'))
    .define({
      ...listKey(RENAMES, 'Field rename mappings.'),
      validator: lambdaValidator(
        (_name, value) => void parseRenameMappings((value as string[] | null) ?? []),
        'list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>',
      ),
    }),
);

/**
 * Keeps, drops and renames top-level fields (Kafka's `ReplaceField`): `exclude` wins over `include`;
 * an empty `include` keeps everything; `renames` is `old:new,...`. Null keys/values pass through.
 */
export abstract class ReplaceField implements Transformation {
  static readonly CONFIG_DEF = CONFIG_DEF;
  readonly version = SMT_VERSION;
  #exclude = new Set<string>();
  #include = new Set<string>();
  #renames = new Map<string, string>();
  #reverse = new Map<string, string>();
  #replaceNullWithDefault = true;
  readonly #cache = new SchemaCache();

  protected constructor(private readonly side: RecordSide) {}

  configure(configs: Record<string, unknown>): void {
    const config = new SimpleConfig(CONFIG_DEF, configs);
    this.#exclude = new Set(config.getList(EXCLUDE));
    this.#include = new Set(config.getList(INCLUDE));
    this.#renames = parseRenameMappings(config.getList(RENAMES));
    this.#reverse = new Map([...this.#renames].map(([from, to]) => [to, from]));
    this.#replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG);
    this.#cache.clear();
  }

  apply<R extends ConnectRecord>(record: R): R {
    const value = this.side.value(record);
    if (value === null || value === undefined) return record;
    const schema = this.side.schema(record);
    if (!schema) {
      const updated: ConnectMap = {};
      for (const [name, fieldValue] of Object.entries(requireMap(value, PURPOSE))) {
        if (this.#keep(name)) updated[this.#renamed(name)] = fieldValue;
      }
      return this.side.update(record, null, updated);
    }
    const struct = requireStruct(value, PURPOSE);
    const updatedSchema = this.#cache.getOrBuild(struct.schema, (s) => this.#buildSchema(s));
    const updated = new Struct(updatedSchema);
    for (const field of updatedSchema.fields()) {
      const original = this.#reverse.get(field.name) ?? field.name;
      updated.put(field.name, fieldValue(struct, original, this.#replaceNullWithDefault));
    }
    return this.side.update(record, updatedSchema, updated);
  }

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  close(): void {
    this.#cache.clear();
  }

  #keep(name: string): boolean {
    return !this.#exclude.has(name) && (this.#include.size === 0 || this.#include.has(name));
  }

  #renamed(name: string): string {
    return this.#renames.get(name) ?? name;
  }

  #buildSchema(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const field of schema.fields()) {
      if (this.#keep(field.name)) builder.field(this.#renamed(field.name), field.schema);
    }
    return builder.build();
  }
}

export class ReplaceFieldKey extends ReplaceField {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.ReplaceField$Key';
  constructor() {
    super(KEY);
  }
}

export class ReplaceFieldValue extends ReplaceField {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.ReplaceField$Value';
  constructor() {
    super(VALUE);
  }
}
