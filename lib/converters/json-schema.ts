/**
 * Connect schemas ↔ their JSON form in the JsonConverter envelope (Kafka's `JsonSchema`,
 * `JsonConverter.asJsonSchema` / `asConnectSchema`).
 */
import { DataError, type Schema, SchemaBuilder, type SchemaType } from '../api/index.js';
import { fromJson, type JsonValueOptions, toJson } from './json-values.js';

const TYPE_NAMES: Record<SchemaType, string> = {
  INT8: 'int8',
  INT16: 'int16',
  INT32: 'int32',
  INT64: 'int64',
  FLOAT32: 'float',
  FLOAT64: 'double',
  BOOLEAN: 'boolean',
  STRING: 'string',
  BYTES: 'bytes',
  ARRAY: 'array',
  MAP: 'map',
  STRUCT: 'struct',
};

const BUILDERS: Record<string, () => SchemaBuilder> = {
  boolean: SchemaBuilder.bool,
  int8: SchemaBuilder.int8,
  int16: SchemaBuilder.int16,
  int32: SchemaBuilder.int32,
  int64: SchemaBuilder.int64,
  float: SchemaBuilder.float32,
  double: SchemaBuilder.float64,
  bytes: SchemaBuilder.bytes,
  string: SchemaBuilder.string,
  struct: SchemaBuilder.struct,
};

/** A schema as its JSON object, keys in Kafka's order (type, items/keys/values/fields, optional, name, ...). */
export function schemaToJson(schema: Schema, options: JsonValueOptions): Record<string, unknown> {
  const json: Record<string, unknown> = { type: TYPE_NAMES[schema.type] };
  switch (schema.type) {
    case 'ARRAY':
      json.items = schemaToJson(schema.valueSchema as Schema, options);
      break;
    case 'MAP':
      json.keys = schemaToJson(schema.keySchema as Schema, options);
      json.values = schemaToJson(schema.valueSchema as Schema, options);
      break;
    case 'STRUCT':
      json.fields = schema.fields().map((f) => ({ ...schemaToJson(f.schema, options), field: f.name }));
      break;
  }
  json.optional = schema.optional;
  if (schema.name !== undefined) json.name = schema.name;
  if (schema.version !== undefined) json.version = schema.version;
  if (schema.doc !== undefined) json.doc = schema.doc;
  if (schema.parameters !== undefined) json.parameters = { ...schema.parameters };
  if (schema.defaultValue != null) json.default = toJson(schema, schema.defaultValue, options);
  return json;
}

function isObject(node: unknown): node is Record<string, unknown> {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

/** The schema of a JSON schema object; `null` for JSON null or a missing schema. */
export function jsonToSchema(node: unknown, options: JsonValueOptions): Schema | null {
  if (node === null || node === undefined) return null;
  if (!isObject(node)) throw new DataError("Schema must contain 'type' field");
  const typeName = node.type;
  if (typeof typeName !== 'string') throw new DataError("Schema must contain 'type' field");
  let builder: SchemaBuilder;
  switch (typeName) {
    case 'array': {
      const items = node.items;
      if (items === null || items === undefined)
        throw new DataError('Array schema did not specify the element type');
      builder = SchemaBuilder.array(jsonToSchema(items, options) as Schema);
      break;
    }
    case 'map': {
      if (node.keys === null || node.keys === undefined)
        throw new DataError('Map schema did not specify the key type');
      if (node.values === null || node.values === undefined) {
        throw new DataError('Map schema did not specify the value type');
      }
      builder = SchemaBuilder.map(
        jsonToSchema(node.keys, options) as Schema,
        jsonToSchema(node.values, options) as Schema,
      );
      break;
    }
    default: {
      const make = BUILDERS[typeName];
      if (!make) throw new DataError(`Unknown schema type: ${typeName}`);
      builder = make();
    }
  }
  if (typeName === 'struct') {
    const fields = node.fields;
    if (!Array.isArray(fields)) throw new DataError('Struct schema\'s "fields" argument is not an array.');
    for (const field of fields) {
      const name = isObject(field) ? field.field : undefined;
      if (typeof name !== 'string') throw new DataError("Struct schema's field name not specified properly");
      builder.field(name, jsonToSchema(field, options) as Schema);
    }
  }
  if (node.optional === true) builder.optional();
  else builder.required();
  if (typeof node.name === 'string') builder.name(node.name);
  if (typeof node.version === 'number' && Number.isInteger(node.version)) builder.version(node.version);
  if (typeof node.doc === 'string') builder.doc(node.doc);
  const params = node.parameters;
  if (params !== null && params !== undefined) {
    if (!isObject(params)) throw new DataError('Schema parameters must be a JSON object.');
    for (const [k, v] of Object.entries(params)) {
      if (typeof v !== 'string') throw new DataError('Schema parameters must have string values.');
      builder.parameter(k, v);
    }
  }
  if (node.default !== undefined && node.default !== null) {
    builder.defaultValue(fromJson(builder.build(), node.default, options));
  }
  return builder.build();
}
