/** An instant with sub-millisecond precision: what Confluent keeps as `timestamp` + `timestamp_nanos`. */
export interface PreciseTime {
  /** Epoch milliseconds (floor). */
  millis: number;
  /** Nanoseconds within the second, 0–999,999,999 (Java's `Timestamp.getNanos()`). */
  nanos: number;
}

const TS =
  /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Parses the drivers' text `YYYY-MM-DD HH:MM:SS[.ffffff][±hh[:mm]]`; no zone means UTC. */
export function parseDbTimestamp(text: string): PreciseTime {
  const m = TS.exec(text.trim());
  if (!m) throw new RangeError(`Unparseable timestamp: ${text}`);
  const [, y, mo, d, h, mi, s, frac = '', zone] = m;
  let millis = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    millis -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0)) * 60_000;
  }
  const nanos = Number(frac.padEnd(9, '0'));
  return { millis: millis + Math.floor(nanos / 1_000_000), nanos };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `YYYY-MM-DD HH:MM:SS.ffffff` in UTC, the text both databases compare against timestamp columns. */
export function formatDbTimestamp(t: PreciseTime): string {
  const d = new Date(t.millis - (t.millis % 1000 < 0 ? 1000 + (t.millis % 1000) : t.millis % 1000));
  return `${formatDate(d)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(
    Math.floor(t.nanos / 1000),
    6,
  )}`;
}

/** `YYYY-MM-DD` of a UTC date. */
export function formatDate(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** `HH:MM:SS.mmm` of a time of day (a Date on 1970-01-01 UTC). */
export function formatTime(d: Date): string {
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/** `YYYY-MM-DD HH:MM:SS.mmm` of an instant, in UTC. */
export function formatInstant(d: Date): string {
  return formatDbTimestamp({
    millis: d.getTime(),
    nanos: (((d.getTime() % 1000) + 1000) % 1000) * 1_000_000,
  });
}

/** Milliseconds since midnight of `HH:MM:SS[.ffffff]`. */
export function parseTimeOfDay(text: string): number {
  const m = /^(\d{2,}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?/.exec(text.trim());
  if (!m) throw new RangeError(`Unparseable time: ${text}`);
  const [, h, mi, s, frac = ''] = m;
  return (
    ((Number(h) * 60 + Number(mi)) * 60 + Number(s)) * 1000 + Math.floor(Number(frac.padEnd(9, '0')) / 1e6)
  );
}
