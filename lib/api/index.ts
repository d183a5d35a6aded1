export * from './config-def.js';
export * from './connector.js';
export * from './converter.js';
export { BigDecimal } from './data/big-decimal.js';
export {
  ConnectSchema,
  type ConnectSchemaProps,
  describeValue,
  schemaEquals,
  validateValue,
  valueEquals,
} from './data/connect-schema.js';
export type { Field } from './data/field.js';
export {
  bigintToBytes,
  bytesToBigint,
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  Decimal,
} from './data/logical.js';
export { mapEntries, type Schema, Schemas } from './data/schema.js';
export { SchemaAndValue } from './data/schema-and-value.js';
export { SchemaBuilder } from './data/schema-builder.js';
export { isPrimitiveType, LogicalNames, SchemaType } from './data/schema-type.js';
export { Struct } from './data/struct.js';
export { parseScalar, Values } from './data/values.js';
export * from './errors.js';
export { ConnectHeaders, type Header } from './header.js';
export type { Predicate } from './predicate.js';
export * from './record.js';
export * from './sink.js';
export * from './source.js';
export type { Transformation } from './transformation.js';
