/**
 * PostgreSQL's text output of the composite formats (arrays, hstore, point, interval, money, bytea), read
 * the way pgjdbc and Debezium read them, so the values come out as Debezium's do.
 */
import { BigDecimal, DataError } from '../../api/index.js';

/** One element of an array literal: its text, NULL, or a nested array (a further dimension). */
export type ArrayElement = string | null | ArrayElement[];

/** Parses `{a,"b c",NULL,{…}}` (array_out), with or without a `[lo:hi]=` dimension decoration. */
export function parseArray(text: string, delimiter = ','): ArrayElement[] {
  const start = text.startsWith('[') ? text.indexOf('=') + 1 : 0;
  let pos = start;
  const fail = (): never => {
    throw new DataError(`Cannot parse array value '${text}'`);
  };
  const list = (): ArrayElement[] => {
    if (text[pos] !== '{') fail();
    pos++;
    const out: ArrayElement[] = [];
    if (text[pos] === '}') {
      pos++;
      return out;
    }
    for (;;) {
      out.push(element());
      const c = text[pos++];
      if (c === '}') return out;
      if (c !== delimiter) fail();
    }
  };
  const element = (): ArrayElement => {
    if (text[pos] === '{') return list();
    if (text[pos] === '"') {
      let value = '';
      for (pos++; pos < text.length && text[pos] !== '"'; pos++) {
        if (text[pos] === '\\') pos++;
        value += text[pos] ?? '';
      }
      if (text[pos++] !== '"') fail();
      return value;
    }
    const end = pos;
    while (pos < text.length && text[pos] !== delimiter && text[pos] !== '}') pos++;
    const raw = text.slice(end, pos);
    return raw === 'NULL' ? null : raw;
  };
  const result = list();
  if (pos !== text.length) fail();
  return result;
}

/**
 * Parses `"k"=>"v", "n"=>NULL` (hstore_out) as pgjdbc's HStoreConverter does. The entries come back in
 * the order Java's HashMap iterates them, because that is the order Debezium writes them in.
 */
export function parseHstore(text: string): Map<string, string | null> {
  const entries: [string, string | null][] = [];
  let pos = 0;
  const quoted = (): string => {
    let value = '';
    for (pos++; pos < text.length && text[pos] !== '"'; pos++) {
      if (text[pos] === '\\') pos++;
      value += text[pos] ?? '';
    }
    pos++;
    return value;
  };
  for (pos = text.indexOf('"'); pos !== -1; pos = text.indexOf('"', pos)) {
    const key = quoted();
    pos += 2; // =>
    if (text.startsWith('NULL', pos)) {
      entries.push([key, null]);
      pos += 4;
    } else {
      entries.push([key, quoted()]);
    }
  }
  return new Map(javaHashMapOrder(entries));
}

/** Java's `String.hashCode` over UTF-16 code units. */
function javaHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * The iteration order of a `java.util.HashMap` filled with these entries: by bucket of the spread hash in
 * the final table (16 slots, doubled past a 0.75 load), insertion order within a bucket.
 */
function javaHashMapOrder<V>(entries: [string, V][]): [string, V][] {
  let capacity = 16;
  while (entries.length > capacity * 0.75) capacity *= 2;
  const bucket = (key: string): number => {
    const h = javaHash(key);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return entries
    .map((entry, index) => ({ entry, index, bucket: bucket(entry[0]) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((e) => e.entry);
}

/** Jackson's JSON object of string fields, in the given order: JSON.stringify's escapes, upper-case hex. */
export function jacksonObject(entries: Iterable<[string, string | null]>): string {
  const fields = [...entries].map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`);
  // Matching each escape whole, an escaped backslash followed by `u` is never taken for a `\u` escape.
  return `{${fields.join(',')}}`.replace(/\\(u[0-9a-f]{4}|.)/g, (match) =>
    match.length === 6 ? `\\u${match.slice(2).toUpperCase()}` : match,
  );
}

/** `(x,y)` (point_out, shortest round-trip digits with extra_float_digits ≥ 1). */
export function parsePoint(text: string): { x: number; y: number } {
  const m = /^\(([^,]+),([^)]+)\)$/.exec(text);
  if (!m) throw new DataError(`Cannot parse point value '${text}'`);
  return { x: Number(m[1]), y: Number(m[2]) };
}

/** An interval's fields as pgjdbc's PGInterval holds them (seconds rounded to microseconds). */
export interface IntervalFields {
  years: number;
  months: number;
  days: number;
  hours: number;
  minutes: number;
  /** `PGInterval.getSeconds()`: whole seconds plus micros / 1e6, as a double. */
  seconds: number;
}

const ISO_INTERVAL =
  /^P(?:(-?\d+)Y)?(?:(-?\d+)M)?(?:(-?\d+)D)?(?:T(?:(-?\d+)H)?(?:(-?\d+)M)?(?:(-?\d+(?:\.\d+)?)S)?)?$/;

/** `P1Y2M3DT4H5M6.789S` (IntervalStyle iso_8601), each field signed on its own. */
export function parseInterval(text: string): IntervalFields {
  const m = ISO_INTERVAL.exec(text);
  if (!m) throw new DataError(`Cannot parse interval value '${text}' (IntervalStyle must be iso_8601)`);
  const field = (i: number): number => Number(m[i] ?? 0);
  // PGInterval.setSeconds: Math.round(seconds * 1e6), split into whole seconds and micros.
  const totalMicros = Math.round(Number(m[6] ?? 0) * 1e6);
  const wholeSeconds = Math.trunc(totalMicros / 1e6);
  return {
    years: field(1),
    months: field(2),
    days: field(3),
    hours: field(4),
    minutes: field(5),
    seconds: wholeSeconds + (totalMicros % 1e6) / 1e6,
  };
}

/**
 * `$1,234.56`, `-$1,234.56` (cash_out with lc_monetary C) as Debezium's PostgresMoney: the sign kept,
 * the currency symbol and the group separators dropped.
 */
export function parseMoney(text: string): BigDecimal {
  const negative = text.startsWith('-') || text.startsWith('(');
  let digits = text.replace(/^[-(]/, '').replace(/\)$/, '');
  if (digits !== '' && !/^[\d.]/.test(digits)) digits = digits.slice(1);
  return BigDecimal.parse(`${negative ? '-' : ''}${digits.replaceAll(',', '')}`);
}

/** `\x0102…` (bytea_output hex). */
export function parseBytea(text: string): Uint8Array {
  if (!text.startsWith('\\x')) throw new DataError('bytea values must come as hex (bytea_output hex)');
  return new Uint8Array(Buffer.from(text.slice(2), 'hex'));
}
