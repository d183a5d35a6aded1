import { BigDecimal, type Schema, Struct } from '../../api/index.js';

/**
 * A Connect value as plain JSON: structs and maps as objects, bytes as base64, decimals as their exact
 * text, Date/Time/Timestamp as ISO-8601 text, int64 beyond 2^53 as text.
 */
export function toJson(value: unknown, schema: Schema | null = null): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Struct) {
    const out: Record<string, unknown> = {};
    for (const f of value.schema.fields()) out[f.name] = toJson(value.get(f.name), f.schema);
    return out;
  }
  if (value instanceof BigDecimal) return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (Array.isArray(value)) return value.map((v) => toJson(v, schema?.valueSchema ?? null));
  if (value instanceof Map) {
    return Object.fromEntries(
      [...value].map(([k, v]) => [String(k), toJson(v, schema?.valueSchema ?? null)]),
    );
  }
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, toJson(v, schema?.valueSchema ?? null)]),
    );
  }
  return value;
}
