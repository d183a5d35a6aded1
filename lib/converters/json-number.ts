/**
 * JSON number helpers for the JsonConverter: exact reading of big integers and decimals, and Java's
 * (Jackson's) way of printing floats, so our bytes match Kafka's.
 */

/** `JSON.rawJSON` (Node ≥ 21): a value JSON.stringify writes verbatim. */
export const rawJson = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

/** A JSON number kept as its source text, for Decimal fields that must not lose digits. */
export class JsonNumberText {
  constructor(readonly source: string) {}
  toNumber(): number {
    return Number(this.source);
  }
}

type Reviver = (key: string, value: unknown, context: { source?: string }) => unknown;

const isIntegerLiteral = (source: string): boolean => !/[.eE]/.test(source);

/** Big integers become bigint; everything else as JSON.parse gives it. */
const exactIntegers: Reviver = (_key, value, context) => {
  if (typeof value !== 'number' || Number.isSafeInteger(value) || !context.source) return value;
  return isIntegerLiteral(context.source) ? BigInt(context.source) : value;
};

/** Also keeps non-integer numbers as their source text (for NUMERIC decimals). */
const exactNumbers: Reviver = (key, value, context) => {
  if (typeof value !== 'number' || !context.source) return value;
  if (!isIntegerLiteral(context.source)) return new JsonNumberText(context.source);
  return exactIntegers(key, value, context);
};

// Below 16 digits every integer is safe, so the reviver (several times slower) only runs when needed.
const LONG_DIGITS = /\d{16}/;

/** Parses JSON, keeping integers beyond 2^53 exact (bigint) and, if asked, decimal literals as text. */
export function parseJson(text: string, keepDecimals: boolean): unknown {
  if (keepDecimals) return JSON.parse(text, exactNumbers as never);
  if (LONG_DIGITS.test(text)) return JSON.parse(text, exactIntegers as never);
  return JSON.parse(text);
}

/** Java's `Double.toString`: `1.0`, `1.5`, `1.0E7`, `1.0E-4`. */
export function javaDoubleString(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e7) {
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

/** Java's `Float.toString`: the shortest digits that identify the float32 value. */
export function javaFloatString(value: number): string {
  for (let precision = 1; precision <= 9; precision++) {
    const candidate = Number(value.toPrecision(precision));
    if (Math.fround(candidate) === value) return javaDoubleString(candidate);
  }
  return javaDoubleString(value);
}

/** A float as Jackson writes it: numbers raw, NaN and infinities as quoted strings. */
export function floatJson(value: number, float32: boolean): unknown {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  // Fast path: JS and Java print non-integral doubles in this range the same way.
  if (!float32 && !Number.isInteger(value) && abs >= 1e-3 && abs < 1e7) return value;
  return rawJson(float32 ? javaFloatString(Math.fround(value)) : javaDoubleString(value));
}
