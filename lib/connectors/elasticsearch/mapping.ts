import { BigDecimal, DataError, LogicalNames, type Schema } from '../../api/index.js';

const rawJson = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

const PRIMITIVE_TYPES: Partial<Record<Schema['type'], string>> = {
  BOOLEAN: 'boolean',
  INT8: 'byte',
  INT16: 'short',
  INT32: 'integer',
  INT64: 'long',
  FLOAT32: 'float',
  FLOAT64: 'double',
  STRING: 'text',
  BYTES: 'binary',
};

/**
 * The mapping both connectors put on an index from a record's value schema (`schema.ignore=false`):
 * structs become `properties`, arrays their element's mapping, maps `properties {key, value}`, strings
 * `text` with a `keyword` sub-field (`ignore_above: 256`), Date/Time/Timestamp `date`, Decimal
 * `double`; a schema default becomes `null_value` except on text and binary, which do not take one.
 * Debezium's logical types are not Connect's, so they map by their base type.
 * https://github.com/confluentinc/kafka-connect-elasticsearch/blob/v15.1.3/src/main/java/io/confluent/connect/elasticsearch/Mapping.java
 */
export function buildMapping(schema: Schema | null): Record<string, unknown> {
  if (!schema) throw new DataError('Cannot infer mapping without schema.');
  switch (schema.name) {
    case LogicalNames.DATE:
    case LogicalNames.TIME:
    case LogicalNames.TIMESTAMP:
      return primitive('date', schema.defaultValue instanceof Date ? schema.defaultValue.getTime() : null);
    case LogicalNames.DECIMAL:
      return primitive(
        'double',
        schema.defaultValue instanceof BigDecimal ? schema.defaultValue.toNumber() : null,
      );
  }
  switch (schema.type) {
    case 'ARRAY':
      return buildMapping(schema.valueSchema ?? null);
    case 'MAP':
      return {
        properties: {
          key: buildMapping(schema.keySchema ?? null),
          value: buildMapping(schema.valueSchema ?? null),
        },
      };
    case 'STRUCT':
      return { properties: Object.fromEntries(schema.fields().map((f) => [f.name, buildMapping(f.schema)])) };
    default:
      return primitive(PRIMITIVE_TYPES[schema.type] as string, schema.defaultValue);
  }
}

function primitive(type: string, defaultValue: unknown): Record<string, unknown> {
  if (type === 'text') return { type, fields: { keyword: { type: 'keyword', ignore_above: 256 } } };
  if (defaultValue === null || defaultValue === undefined || type === 'binary') return { type };
  return {
    type,
    null_value: typeof defaultValue === 'bigint' ? rawJson(defaultValue.toString()) : defaultValue,
  };
}

/** Whether an index's mapping, as read back from the cluster, is set (then it is left alone). */
export function hasMapping(mapping: unknown): boolean {
  return typeof mapping === 'object' && mapping !== null && Object.keys(mapping).length > 0;
}
