import { type Field, type Schema, SchemaBuilder, type Struct } from '../../api/index.js';

/**
 * Copies name, version, doc and parameters of `source` onto `builder` (Kafka's
 * `SchemaUtil.copySchemaBasics`); optionality and default are left to the caller, as in Kafka.
 */
export function copySchemaBasics(source: Schema, builder?: SchemaBuilder): SchemaBuilder {
  const target =
    builder ??
    (source.type === 'ARRAY'
      ? SchemaBuilder.array(source.valueSchema as Schema)
      : source.type === 'MAP'
        ? SchemaBuilder.map(source.keySchema as Schema, source.valueSchema as Schema)
        : SchemaBuilder.type(source.type));
  if (source.name !== undefined) target.name(source.name);
  if (source.version !== undefined) target.version(source.version);
  if (source.doc !== undefined) target.doc(source.doc);
  if (source.parameters) target.parameters(source.parameters);
  return target;
}

/** A struct field's value, with its schema default when `replaceNullWithDefault` (the SMTs' shared rule). */
export function fieldValue(struct: Struct, field: Field | string, replaceNullWithDefault: boolean): unknown {
  if (replaceNullWithDefault) return struct.get(field);
  return struct.getWithoutDefault(typeof field === 'string' ? field : field.name);
}

/**
 * The derived-schema cache Kafka keeps in SMTs (an LRU of 16 entries), keyed by the input schema's
 * identity: converters hand out the same schema object for the same schema, so identity hits.
 */
export class SchemaCache {
  readonly #entries = new Map<Schema, Schema>();

  constructor(private readonly capacity = 16) {}

  get(schema: Schema): Schema | undefined {
    const hit = this.#entries.get(schema);
    if (hit) {
      this.#entries.delete(schema);
      this.#entries.set(schema, hit);
    }
    return hit;
  }

  /** The cached schema for `schema`, building and storing it on a miss. */
  getOrBuild(schema: Schema, build: (schema: Schema) => Schema): Schema {
    const hit = this.get(schema);
    if (hit) return hit;
    const built = build(schema);
    this.#entries.set(schema, built);
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value as Schema);
    return built;
  }

  clear(): void {
    this.#entries.clear();
  }
}
