/**
 * Connect schemas (Kafka's `org.apache.kafka.connect.data.Schema`).
 *
 * ## JS values for each schema type
 *
 * | schema type | JS value |
 * |---|---|
 * | INT8, INT16, INT32 | `number` (an integer within the type's range) |
 * | INT64 | `number` (an integer) **or** `bigint` |
 * | FLOAT32, FLOAT64 | `number` |
 * | BOOLEAN | `boolean` |
 * | STRING | `string` |
 * | BYTES | `Uint8Array` (a `Buffer` is one) |
 * | ARRAY | `unknown[]` |
 * | MAP | `Record<string, unknown>` (a plain object) when keys are strings, or `Map<unknown, unknown>` |
 * | STRUCT | {@link Struct} |
 * | Decimal (BYTES) | {@link BigDecimal} |
 * | Date, Time, Timestamp | `Date` |
 *
 * Why INT64 is `number | bigint`: records flow at 100k/s, and nearly every INT64 in practice (ids,
 * epoch millis, counters) is a safe integer; `number` is what JSON.parse gives and what arithmetic wants,
 * and `bigint` allocates and forces `BigInt`-aware code everywhere. So readers produce a `number` when the
 * value is a safe integer (|v| ≤ 2^53 − 1) and a `bigint` only beyond that, where precision demands it;
 * writers accept both. Code handling INT64 must therefore accept both (`typeof v === 'bigint'`).
 *
 * Why MAP is a plain object or a `Map`: Kafka's schemaless data is `Map<String, Object>`, and its natural JS
 * equivalent — what JSON.parse gives and what SMTs want to index — is a plain object. Maps whose keys are
 * not strings (e.g. `map(INT32, STRING)` read from JSON pairs) need a real `Map`. Readers produce a plain
 * object whenever the keys are strings and a `Map` otherwise; writers accept both. Iterate either with
 * {@link mapEntries}.
 *
 * Absent values are `null` (Kafka's null); `undefined` is accepted wherever `null` is. A schema with no
 * default has `defaultValue === undefined`.
 *
 * @module
 */

import { ConnectSchema } from './connect-schema.js';
import type { Field } from './field.js';
import type { SchemaType } from './schema-type.js';

export type { Field } from './field.js';

/** An immutable schema. Build one with {@link SchemaBuilder} or use a constant of {@link Schemas}. */
export interface Schema {
  readonly type: SchemaType;
  readonly optional: boolean;
  /** The default value, `undefined` when there is none. */
  readonly defaultValue: unknown;
  /** The schema name, e.g. a logical type's name or a record name. */
  readonly name: string | undefined;
  readonly version: number | undefined;
  readonly doc: string | undefined;
  readonly parameters: Readonly<Record<string, string>> | undefined;
  /** MAP only. */
  readonly keySchema: Schema | undefined;
  /** MAP and ARRAY only. */
  readonly valueSchema: Schema | undefined;
  /** STRUCT only: the fields in order; throws a DataError on other types. */
  fields(): readonly Field[];
  /** STRUCT only: the field of that name or `undefined`; throws a DataError on other types. */
  field(name: string): Field | undefined;
}

/** Iterates the entries of a MAP value, a plain object or a `Map`. */
export function mapEntries(
  value: Map<unknown, unknown> | Record<string, unknown>,
): Iterable<[unknown, unknown]> {
  return value instanceof Map ? value.entries() : Object.entries(value);
}

const primitive = (type: SchemaType, optional: boolean): Schema => new ConnectSchema({ type, optional });

/** Predefined primitive schemas (Kafka's `Schema.INT8_SCHEMA`, `Schema.OPTIONAL_INT8_SCHEMA`, ...). */
export const Schemas = {
  INT8: primitive('INT8', false),
  INT16: primitive('INT16', false),
  INT32: primitive('INT32', false),
  INT64: primitive('INT64', false),
  FLOAT32: primitive('FLOAT32', false),
  FLOAT64: primitive('FLOAT64', false),
  BOOLEAN: primitive('BOOLEAN', false),
  STRING: primitive('STRING', false),
  BYTES: primitive('BYTES', false),
  OPTIONAL_INT8: primitive('INT8', true),
  OPTIONAL_INT16: primitive('INT16', true),
  OPTIONAL_INT32: primitive('INT32', true),
  OPTIONAL_INT64: primitive('INT64', true),
  OPTIONAL_FLOAT32: primitive('FLOAT32', true),
  OPTIONAL_FLOAT64: primitive('FLOAT64', true),
  OPTIONAL_BOOLEAN: primitive('BOOLEAN', true),
  OPTIONAL_STRING: primitive('STRING', true),
  OPTIONAL_BYTES: primitive('BYTES', true),
} as const satisfies Record<string, Schema>;
