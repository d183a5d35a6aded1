/**
 * The built-in logical types (Kafka's `Decimal`, `Date`, `Time`, `Timestamp` in `connect.data`): a
 * primitive schema with a well-known name (version 1) whose JS value is richer than the primitive.
 */
import { DataError } from '../errors.js';
import { BigDecimal } from './big-decimal.js';
import type { Schema } from './schema.js';
import { SchemaBuilder } from './schema-builder.js';
import { LogicalNames } from './schema-type.js';

const MILLIS_PER_DAY = 86_400_000;

/** Big-endian two's-complement bytes of a bigint, minimal length (Java's `BigInteger.toByteArray`). */
export function bigintToBytes(value: bigint): Uint8Array {
  let hex = (value < 0n ? -value - 1n : value).toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  // A leading byte with the top bit set would read as negative (positive) and needs a sign byte.
  if (Number.parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  const bytes = Buffer.from(hex, 'hex');
  if (value < 0n) for (let i = 0; i < bytes.length; i++) bytes[i] = ~(bytes[i] as number) & 0xff;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** The bigint of big-endian two's-complement bytes (Java's `new BigInteger(byte[])`). */
export function bytesToBigint(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  const unsigned = BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex')}`);
  return (bytes[0] as number) & 0x80 ? unsigned - (1n << BigInt(bytes.length * 8)) : unsigned;
}

/** Arbitrary-precision decimals: BYTES holding the unscaled two's-complement value, parameter `scale`. */
export const Decimal = {
  LOGICAL_NAME: LogicalNames.DECIMAL,
  SCALE_FIELD: 'scale',
  /** A builder for a Decimal schema of this scale, to make optional or give a default. */
  builder(scale: number): SchemaBuilder {
    return SchemaBuilder.bytes().name(LogicalNames.DECIMAL).parameter('scale', String(scale)).version(1);
  },
  schema(scale: number): Schema {
    return Decimal.builder(scale).build();
  },
  /** The scale a Decimal schema declares. */
  scale(schema: Schema): number {
    const scale = schema.parameters?.scale;
    if (scale === undefined) throw new DataError('Invalid Decimal schema: scale parameter not found.');
    return Number.parseInt(scale, 10);
  },
  fromLogical(schema: Schema, value: BigDecimal): Uint8Array {
    if (value.scale !== Decimal.scale(schema)) {
      throw new DataError('BigDecimal has mismatching scale value for given Decimal schema');
    }
    return bigintToBytes(value.unscaled);
  },
  toLogical(schema: Schema, value: Uint8Array): BigDecimal {
    return new BigDecimal(bytesToBigint(value), Decimal.scale(schema));
  },
} as const;

/** A calendar date: INT32 days since the epoch; JS value a `Date` at UTC midnight. */
export const ConnectDate = {
  LOGICAL_NAME: LogicalNames.DATE,
  builder(): SchemaBuilder {
    return SchemaBuilder.int32().name(LogicalNames.DATE).version(1);
  },
  SCHEMA: SchemaBuilder.int32().name(LogicalNames.DATE).version(1).build(),
  fromLogical(schema: Schema, value: Date): number {
    if (schema.name !== LogicalNames.DATE) {
      throw new DataError('Requested conversion of Date object but the schema does not match.');
    }
    const millis = value.getTime();
    if (millis % MILLIS_PER_DAY !== 0) {
      throw new DataError('Kafka Connect Date type should not have any time fields set to non-zero values.');
    }
    return millis / MILLIS_PER_DAY;
  },
  toLogical(schema: Schema, value: number): Date {
    if (schema.name !== LogicalNames.DATE) {
      throw new DataError('Requested conversion of Date object but the schema does not match.');
    }
    return new Date(value * MILLIS_PER_DAY);
  },
} as const;

/** A time of day: INT32 milliseconds since midnight; JS value a `Date` on 1970-01-01 UTC. */
export const ConnectTime = {
  LOGICAL_NAME: LogicalNames.TIME,
  builder(): SchemaBuilder {
    return SchemaBuilder.int32().name(LogicalNames.TIME).version(1);
  },
  SCHEMA: SchemaBuilder.int32().name(LogicalNames.TIME).version(1).build(),
  fromLogical(schema: Schema, value: Date): number {
    if (schema.name !== LogicalNames.TIME) {
      throw new DataError('Requested conversion of Time object but the schema does not match.');
    }
    const millis = value.getTime();
    // Kafka's bound is inclusive: 24:00:00 (a PostgreSQL time) is 86 400 000 ms and valid.
    if (millis < 0 || millis > MILLIS_PER_DAY) {
      throw new DataError('Kafka Connect Time type should not have any date fields set to non-zero values.');
    }
    return millis;
  },
  toLogical(schema: Schema, value: number): Date {
    if (schema.name !== LogicalNames.TIME) {
      throw new DataError('Requested conversion of Date object but the schema does not match.');
    }
    if (value < 0 || value > MILLIS_PER_DAY) {
      throw new DataError(
        'Time values must use number of milliseconds greater than 0 and less than 86400000',
      );
    }
    return new Date(value);
  },
} as const;

/** An instant: INT64 milliseconds since the epoch; JS value a `Date`. */
export const ConnectTimestamp = {
  LOGICAL_NAME: LogicalNames.TIMESTAMP,
  builder(): SchemaBuilder {
    return SchemaBuilder.int64().name(LogicalNames.TIMESTAMP).version(1);
  },
  SCHEMA: SchemaBuilder.int64().name(LogicalNames.TIMESTAMP).version(1).build(),
  fromLogical(schema: Schema, value: Date): number {
    if (schema.name !== LogicalNames.TIMESTAMP) {
      throw new DataError('Requested conversion of Timestamp object but the schema does not match.');
    }
    return value.getTime();
  },
  toLogical(schema: Schema, value: number | bigint): Date {
    if (schema.name !== LogicalNames.TIMESTAMP) {
      throw new DataError('Requested conversion of Timestamp object but the schema does not match.');
    }
    return new Date(Number(value));
  },
} as const;
