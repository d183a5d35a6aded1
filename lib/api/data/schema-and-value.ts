import type { Schema } from './schema.js';

/** A value with its schema (Kafka's `SchemaAndValue`); both are `null` for a tombstone. */
export class SchemaAndValue {
  /** No schema, no value. */
  static readonly NULL = new SchemaAndValue(null, null);

  // Immutable by type only: converters make two of these per record, and freezing each costs more
  // than the rest of their work.
  constructor(
    readonly schema: Schema | null,
    readonly value: unknown,
  ) {}
}
