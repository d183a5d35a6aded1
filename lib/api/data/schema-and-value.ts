import type { Schema } from './schema.js';

/** A value with its schema (Kafka's `SchemaAndValue`); both are `null` for a tombstone. */
export class SchemaAndValue {
  /** No schema, no value. */
  static readonly NULL = new SchemaAndValue(null, null);

  constructor(
    readonly schema: Schema | null,
    readonly value: unknown,
  ) {
    Object.freeze(this);
  }
}
