/** The types of Connect schemas (Kafka's `Schema.Type`). ARRAY, MAP and STRUCT are complex; all others primitive. */
export const SchemaType = {
  INT8: 'INT8',
  INT16: 'INT16',
  INT32: 'INT32',
  INT64: 'INT64',
  FLOAT32: 'FLOAT32',
  FLOAT64: 'FLOAT64',
  BOOLEAN: 'BOOLEAN',
  STRING: 'STRING',
  BYTES: 'BYTES',
  ARRAY: 'ARRAY',
  MAP: 'MAP',
  STRUCT: 'STRUCT',
} as const;
export type SchemaType = (typeof SchemaType)[keyof typeof SchemaType];

/** Whether the type is primitive (everything except ARRAY, MAP and STRUCT). */
export function isPrimitiveType(type: SchemaType): boolean {
  return type !== SchemaType.ARRAY && type !== SchemaType.MAP && type !== SchemaType.STRUCT;
}

/** Schema names of the four built-in logical types. */
export const LogicalNames = {
  DECIMAL: 'org.apache.kafka.connect.data.Decimal',
  DATE: 'org.apache.kafka.connect.data.Date',
  TIME: 'org.apache.kafka.connect.data.Time',
  TIMESTAMP: 'org.apache.kafka.connect.data.Timestamp',
} as const;
