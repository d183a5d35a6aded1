import { ConfigError } from '../../api/index.js';

/**
 * The pieces of Joda-Time that Confluent's time-based partitioners and scheduled rotation use, on the
 * platform's time zone data (Intl): zone offsets, `DateTimeZone.convertLocalToUTC`, and
 * `DateTimeFormat.forPattern(...)` printing. Sources: https://github.com/JodaOrg/joda-time (v2.10),
 * `DateTimeFormat` (pattern letters) and `DateTimeZone` (conversions).
 */

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

function offsetFormatter(zone: string): Intl.DateTimeFormat {
  let f = offsetFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    offsetFormatters.set(zone, f);
  }
  return f;
}

/** Throws Joda's complaint for a zone id the platform does not know. */
export function checkZone(name: string, zone: string): void {
  try {
    offsetFormatter(zone);
  } catch {
    throw new ConfigError(name, zone, `The datetime zone id '${zone}' is not recognised`);
  }
}

/** The zone's offset from UTC at `instant`, in ms (Joda's `DateTimeZone.getOffset`). */
export function offsetAt(zone: string, instant: number): number {
  const parts = offsetFormatter(zone).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  let year = get('year');
  if (parts.find((p) => p.type === 'era')?.value === 'BC') year = 1 - year;
  // setUTCFullYear, unlike Date.UTC, keeps the years 0–99 as they are.
  const asUtc = new Date(0);
  asUtc.setUTCFullYear(year, get('month') - 1, get('day'));
  asUtc.setUTCHours(get('hour'), get('minute'), get('second'), 0);
  return asUtc.getTime() - Math.floor(instant / 1000) * 1000;
}

/**
 * Joda's `convertLocalToUTC(instantLocal, false)`: the offset is estimated at the local instant, then
 * taken again at the estimate; in a DST gap west of Greenwich the first estimate is kept, so a local
 * time that does not exist maps after the gap rather than before it.
 */
export function localToUtc(zone: string, local: number): number {
  const offsetLocal = offsetAt(zone, local);
  let offset = offsetAt(zone, local - offsetLocal);
  if (offsetLocal !== offset && offsetLocal < 0) {
    const inGap = (o: number) => offsetAt(zone, local - o) !== o;
    if (inGap(offset) && inGap(offsetLocal)) offset = offsetLocal;
  }
  return local - offset;
}

/**
 * The start of the time bucket holding `timestamp` (Confluent's `TimeBasedPartitioner.getPartition`):
 * buckets of `durationMs` counted in local time, converted back to UTC. Java's integer division
 * truncates toward zero, kept here for instants before 1970.
 */
export function bucketStart(durationMs: number, timestamp: number, zone: string): number {
  const local = timestamp + offsetAt(zone, timestamp);
  return localToUtc(zone, Math.trunc(local / durationMs) * durationMs);
}

/**
 * The next boundary of `periodMs` after `now`, counted from local midnight and never past the next
 * midnight (Confluent's `DateTimeUtils.getNextTimeAdjustedByDay`).
 */
export function nextTimeAdjustedByDay(now: number, periodMs: number, zone: string): number {
  const startOfDay = startOfLocalDay(zone, now);
  const startOfNextDay = startOfLocalDay(zone, startOfDay + 36 * 3_600_000);
  const nextPeriodOffset = (Math.trunc((now - startOfDay) / periodMs) + 1) * periodMs;
  return startOfDay + Math.min(nextPeriodOffset, startOfNextDay - startOfDay);
}

function startOfLocalDay(zone: string, instant: number): number {
  const local = instant + offsetAt(zone, instant);
  const midnight = local - (((local % 86_400_000) + 86_400_000) % 86_400_000);
  return localToUtc(zone, midnight);
}

interface Fields {
  era: number;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  dayOfWeek: number;
  dayOfYear: number;
  weekyear: number;
  week: number;
}

function fieldsAt(zone: string, instant: number): Fields {
  const local = instant + offsetAt(zone, instant);
  const d = new Date(local);
  const year = d.getUTCFullYear();
  const dayOfWeek = ((d.getUTCDay() + 6) % 7) + 1;
  const dayOfYear = Math.floor((local - Date.UTC(year, 0, 1)) / 86_400_000) + 1;
  // ISO weeks: the week holding the year's first Thursday is week 1.
  const thursday = local - (dayOfWeek - 4) * 86_400_000;
  const weekyear = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(weekyear, 0, 1)) / (7 * 86_400_000)) + 1;
  return {
    era: year > 0 ? 1 : 0,
    year,
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millis: d.getUTCMilliseconds(),
    dayOfWeek,
    dayOfYear,
    weekyear,
    week,
  };
}

type Token = { literal: string } | { letter: string; count: number };

const LETTERS = 'GCYxwedEyDMaKhHkmsSzZ';

/** Joda's pattern grammar: letters repeated for width, `'…'` literal text, `''` a single quote. */
function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        tokens.push({ literal: "'" });
        i += 2;
        continue;
      }
      let text = '';
      i++;
      while (i < pattern.length) {
        if (pattern[i] === "'") {
          if (pattern[i + 1] === "'") {
            text += "'";
            i += 2;
            continue;
          }
          break;
        }
        text += pattern[i];
        i++;
      }
      if (i >= pattern.length) throw new Error(`Unterminated quote in pattern: ${pattern}`);
      tokens.push({ literal: text });
      i++;
    } else if (/[a-zA-Z]/.test(c)) {
      if (!LETTERS.includes(c)) throw new Error(`Illegal pattern component: ${c}`);
      let count = 1;
      while (pattern[i + count] === c) count++;
      tokens.push({ letter: c, count });
      i += count;
    } else {
      tokens.push({ literal: c });
      i++;
    }
  }
  return tokens;
}

const pad = (n: number, width: number) =>
  n < 0 ? `-${String(-n).padStart(width, '0')}` : String(n).padStart(width, '0');

/** A compiled `DateTimeFormat.forPattern(pattern).withZone(zone).withLocale(locale)`. */
export class JodaFormatter {
  private readonly tokens: Token[];
  private readonly locale: string;

  /** @throws Error with Joda's message for a pattern it would refuse. */
  constructor(
    pattern: string,
    private readonly zone: string,
    locale: string,
  ) {
    this.tokens = tokenize(pattern);
    this.locale = intlLocale(locale);
  }

  format(instant: number): string {
    const f = fieldsAt(this.zone, instant);
    let out = '';
    for (const t of this.tokens)
      out += 'literal' in t ? t.literal : this.field(t.letter, t.count, f, instant);
    return out;
  }

  private field(letter: string, count: number, f: Fields, instant: number): string {
    switch (letter) {
      case 'G':
        return f.era === 1 ? 'AD' : 'BC';
      case 'C':
        return pad(Math.trunc(Math.abs(f.year) / 100), count);
      case 'Y':
        return year(f.year > 0 ? f.year : 1 - f.year, count);
      case 'y':
        return year(f.year, count);
      case 'x':
        return year(f.weekyear, count);
      case 'w':
        return pad(f.week, count);
      case 'e':
        return pad(f.dayOfWeek, count);
      case 'E':
        return this.text(instant, { weekday: count >= 4 ? 'long' : 'short' });
      case 'D':
        return pad(f.dayOfYear, count);
      case 'M':
        if (count >= 3) return this.text(instant, { month: count >= 4 ? 'long' : 'short' });
        return pad(f.month, count);
      case 'd':
        return pad(f.day, count);
      case 'a':
        return f.hour < 12 ? 'AM' : 'PM';
      case 'K':
        return pad(f.hour % 12, count);
      case 'h':
        return pad(f.hour % 12 === 0 ? 12 : f.hour % 12, count);
      case 'H':
        return pad(f.hour, count);
      case 'k':
        return pad(f.hour === 0 ? 24 : f.hour, count);
      case 'm':
        return pad(f.minute, count);
      case 's':
        return pad(f.second, count);
      case 'S':
        return String(f.millis).padStart(3, '0').padEnd(count, '0').slice(0, count);
      case 'z':
        return this.text(instant, { timeZoneName: count >= 4 ? 'long' : 'short' }, 'timeZoneName');
      default:
        return zoneOffset(offsetAt(this.zone, instant), count, this.zone);
    }
  }

  private text(instant: number, options: Intl.DateTimeFormatOptions, part?: string): string {
    const parts = new Intl.DateTimeFormat(this.locale, { timeZone: this.zone, ...options }).formatToParts(
      new Date(instant),
    );
    const wanted = part ?? Object.keys(options)[0];
    return parts.find((p) => p.type === wanted)?.value ?? '';
  }
}

/** Joda prints a 2-letter year as the year of the century; other widths pad to at least that many digits. */
function year(value: number, count: number): string {
  return count === 2 ? pad(((value % 100) + 100) % 100, 2) : pad(value, count);
}

/** `Z`: +0100; `ZZ`: +01:00; `ZZZ`: the zone id (UTC prints Z for the first two, as in Joda). */
function zoneOffset(offsetMs: number, count: number, zone: string): string {
  if (count >= 3) return zone;
  if (offsetMs === 0) return 'Z';
  const sign = offsetMs < 0 ? '-' : '+';
  const minutes = Math.abs(offsetMs) / 60_000;
  const hh = pad(Math.floor(minutes / 60), 2);
  const mm = pad(minutes % 60, 2);
  return count === 1 ? `${sign}${hh}${mm}` : `${sign}${hh}:${mm}`;
}

/** Java's `new Locale("en_US")`-style names as a BCP 47 tag the platform knows, else English. */
function intlLocale(locale: string): string {
  const tag = locale.replace(/_/g, '-');
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag])[0] ?? 'en';
  } catch {
    return 'en';
  }
}
