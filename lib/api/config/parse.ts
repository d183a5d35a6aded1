import { ConfigError } from '../errors.js';
import { ConfigType, Password } from './types.js';

/** Renders a value the way Java's `toString` does in Kafka's messages: lists as `[a, b]`, null as `null`. */
function display(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(display).join(', ')}]`;
  return String(value);
}

/**
 * Kafka's `ConfigException(name, value, message)` wording:
 * `Invalid value <value> for configuration <name>: <message>`.
 */
export function invalidValueMessage(name: string, value: unknown, message?: string): string {
  return `Invalid value ${display(value)} for configuration ${name}${message === undefined ? '' : `: ${message}`}`;
}

/** A `ConfigError` with {@link invalidValueMessage}'s wording. */
export function invalidValue(name: string, value: unknown, message?: string): ConfigError {
  return new ConfigError(invalidValueMessage(name, value, message));
}

/** `Missing required configuration "<name>" which has no default value.` */
export function missingRequiredMessage(name: string): string {
  return `Missing required configuration "${name}" which has no default value.`;
}

const INT_RANGES = {
  SHORT: [-(2n ** 15n), 2n ** 15n - 1n],
  INT: [-(2n ** 31n), 2n ** 31n - 1n],
  LONG: [-(2n ** 63n), 2n ** 63n - 1n],
} as const;

// Java's Integer.parseInt / Long.parseLong accept an optional sign and decimal digits only.
const INTEGER = /^[+-]?\d+$/;
// Java's Double.parseDouble: decimal or exponent forms, NaN, Infinity, an optional f/d suffix.
const DOUBLE = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)$/;

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'Object';
  return typeof value;
}

function parseInteger(name: string, raw: unknown, text: string, type: 'SHORT' | 'INT' | 'LONG'): number {
  const [min, max] = INT_RANGES[type];
  if (!INTEGER.test(text)) throw invalidValue(name, raw, `Not a number of type ${type}`);
  const big = BigInt(text);
  if (big < min || big > max) throw invalidValue(name, raw, `Not a number of type ${type}`);
  // LONG values past 2^53 lose precision: JavaScript numbers are doubles.
  return Number(big);
}

/**
 * Parses one value to its type, as Kafka's `ConfigDef.parseType` does. Strings are trimmed first.
 * JSON numbers and booleans are taken as their text (Kafka's REST layer turns them into strings too),
 * so `"tasks.max": 1` means `"1"`. Arrays are accepted for LIST, {@link Password} for PASSWORD.
 * CLASS values stay class names (strings); whether the class exists is a validator's job here.
 *
 * @returns the parsed value, or `null` for `null`/`undefined`
 * @throws ConfigError with Kafka's wording, e.g. `Invalid value x for configuration k: Not a number of type INT`
 */
export function parseType(name: string, value: unknown, type: ConfigType): unknown {
  if (value === null || value === undefined) return null;
  const raw = value;
  const text =
    typeof value === 'string'
      ? value.trim()
      : typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint'
        ? String(value)
        : undefined;
  switch (type) {
    case ConfigType.BOOLEAN:
      if (text?.toLowerCase() === 'true') return true;
      if (text?.toLowerCase() === 'false') return false;
      throw invalidValue(name, raw, 'Expected value to be either true or false');
    case ConfigType.PASSWORD:
      if (value instanceof Password) return value;
      if (text !== undefined) return new Password(text);
      throw invalidValue(name, raw, `Expected value to be a string, but it was a ${typeName(value)}`);
    case ConfigType.STRING:
    case ConfigType.CLASS:
      if (text !== undefined) return text;
      throw invalidValue(
        name,
        raw,
        type === ConfigType.STRING
          ? `Expected value to be a string, but it was a ${typeName(value)}`
          : 'Expected a Class instance or class name.',
      );
    case ConfigType.SHORT:
    case ConfigType.INT:
    case ConfigType.LONG:
      if (text === undefined) {
        const what = { SHORT: 'a short', INT: 'an integer', LONG: 'a long' }[type];
        throw invalidValue(name, raw, `Expected value to be ${what}, but it was a ${typeName(value)}`);
      }
      return parseInteger(name, raw, text, type);
    case ConfigType.DOUBLE:
      if (text === undefined) {
        throw invalidValue(name, raw, `Expected value to be a double, but it was a ${typeName(value)}`);
      }
      if (!DOUBLE.test(text)) throw invalidValue(name, raw, 'Not a number of type DOUBLE');
      return Number.parseFloat(text.replace(/[fFdD]$/, ''));
    case ConfigType.LIST:
      if (Array.isArray(value)) return value;
      if (typeof value === 'string') return text === '' ? [] : (text as string).split(/\s*,\s*/);
      throw invalidValue(name, raw, 'Expected a comma separated list.');
  }
}

/**
 * Renders a parsed value as Kafka's `ConfigDef.convertToString`: lists comma-joined, passwords `[hidden]`,
 * null stays null. With no type, the value's own text.
 */
export function convertToString(value: unknown, type?: ConfigType | null): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => String(v)).join(',');
  // Java prints doubles with a fraction: 1.0, not 1.
  if (type === ConfigType.DOUBLE && typeof value === 'number' && Number.isInteger(value))
    return value.toFixed(1);
  return String(value);
}
