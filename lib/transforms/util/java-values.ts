/**
 * Java number semantics Cast and MaskField need: narrowing conversions, `parseXxx` strictness, and
 * `Float/Double.toString` output.
 */
import { BigDecimal } from '../../api/index.js';

const BITS = { INT8: 8, INT16: 16, INT32: 32, INT64: 64 } as const;
export type IntegerType = keyof typeof BITS;

const JAVA_INTEGER = /^[+-]?\d+$/;
const JAVA_DOUBLE = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)$/;

/** Narrows a number like Java's `Number.byteValue()` … `longValue()`: truncate, saturate to int/long, wrap. */
export function narrow(value: number | bigint | BigDecimal, type: IntegerType): number | bigint {
  const bits = BITS[type];
  let big: bigint;
  if (typeof value === 'bigint') big = value;
  else if (value instanceof BigDecimal) {
    // BigDecimal.intValue(): the integer part, truncated.
    big =
      value.scale >= 0
        ? value.unscaled / 10n ** BigInt(value.scale)
        : value.unscaled * 10n ** BigInt(-value.scale);
  } else if (Number.isInteger(value)) big = BigInt(value);
  else {
    // A double goes through (int) or (long), which saturate, before narrowing.
    const limit = bits === 64 ? 2 ** 63 : 2 ** 31;
    big = Number.isNaN(value) ? 0n : BigInt(Math.trunc(Math.max(-limit, Math.min(limit - 1, value))));
  }
  const narrowed = BigInt.asIntN(bits, big);
  return bits === 64 && !Number.isSafeInteger(Number(narrowed)) ? narrowed : Number(narrowed);
}

/** Java's `Byte.parseByte` … `Long.parseLong`: a signed decimal integer in range, else a RangeError. */
export function parseJavaInteger(text: string, type: IntegerType): number | bigint {
  if (!JAVA_INTEGER.test(text)) throw new RangeError(`For input string: "${text}"`);
  const big = BigInt(text);
  const bits = BITS[type];
  if (BigInt.asIntN(bits, big) !== big) throw new RangeError(`Value out of range. Value:"${text}"`);
  return bits === 64 && !Number.isSafeInteger(Number(big)) ? big : Number(big);
}

/** Java's `Double.parseDouble` (surrounding whitespace allowed), else a RangeError. */
export function parseJavaDouble(text: string): number {
  const trimmed = text.trim();
  if (!JAVA_DOUBLE.test(trimmed)) throw new RangeError(`For input string: "${text}"`);
  return Number(trimmed.replace(/[fFdD]$/, ''));
}

/** Java's `Double.toString`: `1.0`, `0.001`, `1.0E7`, `1.0E-4`. */
export function javaDoubleToString(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e7) {
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

/** Java's `Float.toString`: the shortest decimal that reads back as the same float. */
export function javaFloatToString(value: number): string {
  const f = Math.fround(value);
  if (!Number.isFinite(f) || f === 0) return javaDoubleToString(f);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(f.toPrecision(digits));
    if (Math.fround(candidate) === f) return javaDoubleToString(candidate);
  }
  return javaDoubleToString(f);
}
