/**
 * numeric, money, bit/varbit and interval, as Debezium 3.6.1.Final's PostgresValueConverter writes them
 * in each `decimal.handling.mode` / `interval.handling.mode`.
 *
 * @see https://github.com/debezium/debezium/blob/v3.6.1.Final/debezium-connector-postgres/src/main/java/io/debezium/connector/postgresql/PostgresValueConverter.java
 * @see https://github.com/debezium/debezium/blob/v3.6.1.Final/debezium-connector-common/src/main/java/io/debezium/data/SpecialValueDecimal.java
 * @see https://github.com/debezium/debezium/blob/v3.6.1.Final/debezium-connector-common/src/main/java/io/debezium/time/MicroDuration.java
 */
import { BigDecimal, DataError, Decimal, SchemaBuilder } from '../../api/index.js';
import { DebeziumData, DebeziumTime, variableScaleDecimal } from './debezium-types.js';
import { finish, int64, type Mapping, mapping } from './mapping.js';
import { parseInterval, parseMoney } from './pg-text.js';
import { PgOid } from './pg-types.js';
import type { HandlingModes } from './value-converters.js';

/** pgjdbc's length of bit(n) / varbit(n); unbounded varbit reports Integer.MAX_VALUE. */
export const bitLength = (oid: number, typmod: number): number =>
  oid === PgOid.VARBIT && typmod === -1 ? 2_147_483_647 : typmod;

/**
 * `decimal.handling.mode`. NaN and ±Infinity have no precise form: Debezium fails the value there, gives
 * the enum names in string mode and the doubles in double mode.
 */
export function numericMapping(typmod: number, mode: HandlingModes['decimal'], optional: boolean): Mapping {
  const variable = typmod === -1;
  // pgjdbc's precision and scale of numeric(p,s); an unconstrained numeric has neither.
  const precision = variable ? 0 : ((typmod - 4) >> 16) & 0xffff;
  const scale = variable ? 0 : (typmod - 4) & 0xffff;
  const special = new Map<string, [name: string, double: number]>([
    ['NaN', ['NAN', Number.NaN]],
    ['Infinity', ['POSITIVE_INFINITY', Number.POSITIVE_INFINITY]],
    ['-Infinity', ['NEGATIVE_INFINITY', Number.NEGATIVE_INFINITY]],
  ]);
  const exact = (t: string): BigDecimal => {
    if (special.has(t)) {
      throw new DataError(
        'Got a special value (NaN/Infinity) for Decimal type but current mode does not handle it. ' +
          "If you need to support it then set decimal handling mode to 'string'.",
      );
    }
    const value = BigDecimal.parse(t);
    return variable ? value : value.setScale(scale);
  };
  if (mode === 'double') {
    return mapping(
      { builder: SchemaBuilder.float64, fromText: (t) => special.get(t)?.[1] ?? Number(t), fallback: 0 },
      optional,
    );
  }
  if (mode === 'string') {
    const fromText = (t: string) => special.get(t)?.[0] ?? exact(t).toString();
    return mapping(
      { builder: SchemaBuilder.string, fromText, fallback: new BigDecimal(0n, scale).toString() },
      optional,
    );
  }
  if (!variable) {
    const builder = () => DebeziumData.decimal(precision, scale);
    return mapping({ builder, fromText: exact, fallback: new BigDecimal(0n, scale) }, optional);
  }
  const schema = finish(DebeziumData.variableScaleDecimal(), optional);
  const struct = (value: BigDecimal) => {
    const stripped = stripTrailingZeros(value);
    const normal = stripped.scale < 0 ? stripped.setScale(0) : stripped;
    return variableScaleDecimal(schema, normal.unscaled, normal.scale);
  };
  return { schema, fromText: (t) => struct(exact(t)), fallback: struct(new BigDecimal(0n, 0)) };
}

/** Java's `BigDecimal.stripTrailingZeros` (zero becomes 0 with scale 0). */
function stripTrailingZeros(value: BigDecimal): BigDecimal {
  if (value.unscaled === 0n) return new BigDecimal(0n, 0);
  let { unscaled, scale } = value;
  while (unscaled % 10n === 0n) {
    unscaled /= 10n;
    scale--;
  }
  return new BigDecimal(unscaled, scale);
}

/** `setScale(scale, RoundingMode.HALF_UP)`: ties away from zero. */
function roundHalfUp(value: BigDecimal, scale: number): BigDecimal {
  if (scale >= value.scale) return value.setScale(scale);
  const divisor = 10n ** BigInt(value.scale - scale);
  const magnitude = value.unscaled < 0n ? -value.unscaled : value.unscaled;
  const rounded = (magnitude + divisor / 2n) / divisor;
  return new BigDecimal(value.unscaled < 0n ? -rounded : rounded, scale);
}

/** money: Decimal of `money.fraction.digits` (no precision parameter), a double or the plain string. */
export function moneyMapping(modes: HandlingModes, optional: boolean): Mapping {
  const digits = modes.moneyFractionDigits;
  const zero = new BigDecimal(0n, digits);
  switch (modes.decimal) {
    case 'double':
      return mapping(
        { builder: SchemaBuilder.float64, fromText: (t) => parseMoney(t).toNumber(), fallback: 0 },
        optional,
      );
    case 'string':
      return mapping(
        {
          builder: SchemaBuilder.string,
          fromText: (t) => parseMoney(t).toString(),
          fallback: zero.toString(),
        },
        optional,
      );
    default:
      return mapping(
        {
          builder: () => Decimal.builder(digits),
          fromText: (t) => roundHalfUp(parseMoney(t), digits),
          fallback: zero,
        },
        optional,
      );
  }
}

/**
 * bit(1) and varbit(1) are booleans; longer ones Bits: the bit string as a little-endian integer, in as
 * few bytes as its highest set bit needs (none for all zeros), as Debezium re-sizes them.
 */
export function bitsMapping(length: number, optional: boolean): Mapping {
  if (length <= 1) {
    return mapping({ builder: SchemaBuilder.bool, fromText: (t) => /1/.test(t), fallback: false }, optional);
  }
  const fromText = (t: string): Uint8Array => {
    let value = t === '' ? 0n : BigInt(`0b${t}`);
    const bytes: number[] = [];
    for (; value > 0n; value >>= 8n) bytes.push(Number(value & 0xffn));
    return new Uint8Array(bytes);
  };
  return mapping(
    { builder: () => DebeziumData.bits(length), fromText, fallback: new Uint8Array(0) },
    optional,
  );
}

/** `interval.handling.mode`: MicroDuration (Debezium's double arithmetic, 365.25/12 days a month) or ISO text. */
export function intervalMapping(mode: HandlingModes['interval'], optional: boolean): Mapping {
  if (mode === 'string') {
    const fromText = (t: string) => {
      const i = parseInterval(t);
      return `P${i.years}Y${i.months}M${i.days}DT${i.hours}H${i.minutes}M${isoSeconds(i.seconds)}S`;
    };
    return mapping({ builder: DebeziumTime.interval, fromText, fallback: 'P0Y0M0DT0H0M0S' }, optional);
  }
  const fromText = (t: string) => {
    const i = parseInterval(t);
    const days = (i.years * 12 + i.months) * (365.25 / 12) + i.days;
    const seconds = ((days * 24 + i.hours) * 60 + i.minutes) * 60 + i.seconds;
    return int64(javaLong(seconds * 1e6));
  };
  return mapping({ builder: DebeziumTime.microDuration, fromText, fallback: 0 }, optional);
}

/** Java's `(long)` of a double: truncation, saturating at the long range. */
function javaLong(value: number): bigint {
  const max = 2n ** 63n - 1n;
  if (value >= 2 ** 63) return max;
  if (value <= -(2 ** 63)) return -max - 1n;
  return BigInt(Math.trunc(value));
}

/** `BigDecimal.valueOf(seconds)` cut to 9 digits (RoundingMode.DOWN), trailing zeros stripped, plain. */
function isoSeconds(seconds: number): string {
  let value = BigDecimal.parse(String(seconds));
  if (value.scale > 9) value = new BigDecimal(value.unscaled / 10n ** BigInt(value.scale - 9), 9);
  return stripTrailingZeros(value).toString();
}
