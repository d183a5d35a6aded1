/** The shape every type's mapping takes: a schema, the text → value conversion, and Debezium's fallbacks. */
import type { Schema, SchemaBuilder } from '../../api/index.js';

/** A type's schema builder, how its text becomes the Connect value, and the value Debezium gives a NULL it cannot be. */
export interface Conversion {
  builder(): SchemaBuilder;
  fromText(text: string): unknown;
  fallback: unknown;
}

/** A column's final schema (optionality applied) and conversions. */
export interface Mapping {
  schema: Schema;
  fromText(text: string): unknown;
  fallback: unknown;
  /** What Debezium's converter makes of the unchanged-TOAST marker; its placeholder text when not said. */
  unchanged?: unknown;
}

export const finish = (builder: SchemaBuilder, optional: boolean): Schema =>
  (optional ? builder.optional() : builder).build();

export const mapping = (c: Conversion, optional: boolean, unchanged?: unknown): Mapping => ({
  schema: finish(c.builder(), optional),
  fromText: c.fromText,
  fallback: c.fallback,
  ...(unchanged === undefined ? {} : { unchanged }),
});

/** INT64 values as our Struct takes them: a number when it is a safe integer, else a bigint. */
export const int64 = (value: bigint): number | bigint =>
  value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;

export const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));
