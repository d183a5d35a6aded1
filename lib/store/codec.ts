import { createHash } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { RawItem } from './errors.js';

// Items are marshalled by hand: a handful of attribute kinds is all we use. Config maps, task configs,
// partitions, offsets and batch figures are stored as JSON strings (S), not as DynamoDB maps: a JSON
// string is compact, round-trips exactly what the caller gave (number precision, key order, empty
// strings, nulls), and is immune to DynamoDB's quirks (numbers as decimal strings, no empty sets).

export const s = (value: string): AttributeValue => ({ S: value });
export const n = (value: number): AttributeValue => ({ N: String(value) });
export const json = (value: unknown): AttributeValue => ({ S: JSON.stringify(value) });

export function readS(item: RawItem, name: string): string | undefined {
  return item[name]?.S;
}

export function readN(item: RawItem, name: string): number | undefined {
  const raw = item[name]?.N;
  return raw === undefined ? undefined : Number(raw);
}

export function readJson<T>(item: RawItem, name: string): T | undefined {
  const raw = item[name]?.S;
  return raw === undefined ? undefined : (JSON.parse(raw) as T);
}

export function readSS(item: RawItem, name: string): string[] {
  return [...(item[name]?.SS ?? [])].sort();
}

/** JSON with object keys sorted at every depth, so equal maps give equal strings. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/** DynamoDB caps a sort key at 1024 bytes; longer canonical partitions are keyed by their hash. */
const MAX_SORT_KEY_BYTES = 1024;
export const HASHED_KEY_PREFIX = '#sha256:';

/**
 * The offsets table's sort key for a source partition: its canonical JSON (`{"a":1,"b":2}` for both
 * `{a,b}` and `{b,a}`), or, past DynamoDB's 1024-byte sort key limit, `#sha256:<hex>` of it (a canonical
 * JSON object starts with `{`, so the two forms cannot collide).
 */
export function partitionKey(partition: Record<string, unknown>): string {
  const canonical = canonicalJson(partition);
  if (Buffer.byteLength(canonical, 'utf8') <= MAX_SORT_KEY_BYTES) return canonical;
  return HASHED_KEY_PREFIX + createHash('sha256').update(canonical).digest('hex');
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Jittered exponential backoff for unprocessed batch items and optimistic retries. */
export function backoff(attempt: number, baseMs = 10, maxMs = 500): Promise<void> {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}

/** The parts of an UpdateItem expression; every attribute goes through a `#name` placeholder (no reserved-word traps). */
export interface UpdateParts {
  set?: Record<string, AttributeValue>;
  add?: Record<string, AttributeValue>;
  remove?: string[];
}

export function updateExpression(parts: UpdateParts): {
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
} {
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  const clause = (keyword: string, entries: [string, AttributeValue][], sep: string) =>
    entries.length === 0
      ? ''
      : `${keyword} ${entries
          .map(([name, value]) => {
            names[`#${name}`] = name;
            values[`:${name}`] = value;
            return `#${name}${sep}:${name}`;
          })
          .join(', ')}`;
  const remove = (parts.remove ?? []).map((name) => {
    names[`#${name}`] = name;
    return `#${name}`;
  });
  const expression = [
    clause('SET', Object.entries(parts.set ?? {}), ' = '),
    clause('ADD', Object.entries(parts.add ?? {}), ' '),
    remove.length ? `REMOVE ${remove.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return {
    UpdateExpression: expression,
    ExpressionAttributeNames: names,
    ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
  };
}
