/**
 * Dates and times: PostgreSQL's text (DateStyle ISO, any TimeZone) read exactly — proleptic Gregorian
 * days, microseconds, BC years, 24:00:00, infinity — and written as Debezium 3.6.1.Final writes each
 * `time.precision.mode`.
 *
 * @see https://github.com/debezium/debezium/blob/v3.6.1.Final/debezium-connector-common/src/main/java/io/debezium/jdbc/JdbcValueConverters.java
 * @see https://github.com/debezium/debezium/blob/v3.6.1.Final/debezium-connector-common/src/main/java/io/debezium/jdbc/TemporalPrecisionMode.java
 * @see https://github.com/debezium/debezium/blob/v3.6.1.Final/debezium-connector-postgres/src/main/java/io/debezium/connector/postgresql/connection/DateTimeFormat.java
 */
import { ConnectDate, ConnectTime, ConnectTimestamp, DataError } from '../../api/index.js';
import { DebeziumTime } from './debezium-types.js';
import { type Conversion, int64 } from './mapping.js';

/** `time.precision.mode`. */
export type TimePrecisionMode =
  | 'adaptive'
  | 'adaptive_time_microseconds'
  | 'connect'
  | 'isostring'
  | 'microseconds'
  | 'nanoseconds';

const MICROS_PER_DAY = 86_400_000_000;
const MICROS_PER_DAY_N = 86_400_000_000n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** JS `Date` holds ±8.64e15 ms; Java's reaches far beyond, so a few PostgreSQL values do not fit. */
const JS_DATE_MAX_MS = 8.64e15;

// Debezium's stand-ins for ±infinity: PGStatement.DATE_POSITIVE/NEGATIVE_INFINITY read as epoch micros,
// and the LocalDates it parses for dates (PostgresValueConverter).
const TIMESTAMP_INFINITY_MICROS = 9_223_372_036_825_200_000n;
const TIMESTAMP_MINUS_INFINITY_MICROS = -9_223_372_036_832_400_000n;
const DATE_INFINITY_DAY = epochDay(-5_877_611, 6, 21);
const DATE_MINUS_INFINITY_DAY = epochDay(-5_877_611, 6, 22);

/** Days since 1970-01-01 of a proleptic Gregorian date (year 0 = 1 BC); exact for any PostgreSQL year. */
export function epochDay(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  return (
    era * 146_097 +
    yearOfEra * 365 +
    Math.floor(yearOfEra / 4) -
    Math.floor(yearOfEra / 100) +
    dayOfYear -
    719_468
  );
}

function civil(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return {
    year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0),
    month,
    day: dayOfYear - Math.floor((153 * mp + 2) / 5) + 1,
  };
}

const DATE = /^(\d{4,})-(\d\d)-(\d\d)/;
const CLOCK = /(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?/;
const OFFSET = /([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?/;
const DATE_TEXT = new RegExp(`${DATE.source}( BC)?$`);
const TIME_TEXT = new RegExp(`^${CLOCK.source}$`);
const TIMETZ_TEXT = new RegExp(`^${CLOCK.source}${OFFSET.source}$`);
const TIMESTAMP_TEXT = new RegExp(`${DATE.source} ${CLOCK.source}(?:${OFFSET.source})?( BC)?$`);

function unparsable(kind: string, text: string): DataError {
  return new DataError(`Cannot parse ${kind} value '${text}'`);
}

const dayOf = (year: string, month: string, day: string, bc: string | undefined): number =>
  epochDay(bc ? 1 - Number(year) : Number(year), Number(month), Number(day));

/** Microseconds of a clock reading; fractions beyond µs are truncated as Java's Duration → micros. */
function clockMicros(h: string, m: string, s: string, fraction = ''): number {
  return ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1e6 + Number(fraction.padEnd(6, '0').slice(0, 6));
}

function offsetMicros(sign: string | undefined, h = '0', m = '0', s = '0'): number {
  return (sign === '-' ? -1 : 1) * ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1e6;
}

/** A `date` as epoch days; ±infinity as Debezium's stand-in dates. */
export function parseDate(text: string): number {
  if (text === 'infinity') return DATE_INFINITY_DAY;
  if (text === '-infinity') return DATE_MINUS_INFINITY_DAY;
  const m = DATE_TEXT.exec(text);
  if (!m) throw unparsable('date', text);
  return dayOf(m[1] as string, m[2] as string, m[3] as string, m[4]);
}

/** A `time` as microseconds since midnight, 24:00:00 included. */
export function parseTime(text: string): number {
  const m = TIME_TEXT.exec(text);
  if (!m) throw unparsable('time', text);
  return clockMicros(m[1] as string, m[2] as string, m[3] as string, m[4]);
}

/** A `timetz` as microseconds since midnight UTC (Java's LocalTime refuses 24:00 here, and so do we). */
export function parseTimetz(text: string): number {
  const m = TIMETZ_TEXT.exec(text);
  if (!m || Number(m[1]) > 23) throw unparsable('time with time zone', text);
  const utc =
    clockMicros(m[1] as string, m[2] as string, m[3] as string, m[4]) - offsetMicros(m[5], m[6], m[7], m[8]);
  return ((utc % MICROS_PER_DAY) + MICROS_PER_DAY) % MICROS_PER_DAY;
}

/** A `timestamp` or `timestamptz` as epoch microseconds (UTC when it carries an offset). */
export function parseTimestamp(text: string): bigint {
  if (text === 'infinity') return TIMESTAMP_INFINITY_MICROS;
  if (text === '-infinity') return TIMESTAMP_MINUS_INFINITY_MICROS;
  const m = TIMESTAMP_TEXT.exec(text);
  if (!m) throw unparsable('timestamp', text);
  const day = dayOf(m[1] as string, m[2] as string, m[3] as string, m[12]);
  const micros =
    clockMicros(m[4] as string, m[5] as string, m[6] as string, m[7]) -
    offsetMicros(m[8], m[9], m[10], m[11]);
  return BigInt(day) * MICROS_PER_DAY_N + BigInt(micros);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Java's ISO_LOCAL_DATE: at least four year digits, a sign beyond 9999 or below year 0. */
function isoDate(days: number): string {
  const { year, month, day } = civil(days);
  const y = year < 0 ? `-${pad(-year, 4)}` : year > 9999 ? `+${year}` : pad(year, 4);
  return `${y}-${pad(month)}-${pad(day)}`;
}

/**
 * Java's ISO_LOCAL_TIME (seconds always, the fraction without trailing zeros and none when zero), or with a
 * fixed number of fraction digits as ZonedTimestamp's formatter for a column's scale.
 */
function isoTime(micros: number, fractionDigits?: number): string {
  const seconds = Math.floor(micros / 1e6);
  const clock = `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
  const fraction = String(micros % 1e6)
    .padStart(6, '0')
    .padEnd(9, '0');
  if (fractionDigits !== undefined) return `${clock}.${fraction.slice(0, fractionDigits)}`;
  const trimmed = fraction.replace(/0+$/, '');
  return trimmed === '' ? clock : `${clock}.${trimmed}`;
}

const floorDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b));

/** `yyyy-MM-ddTHH:mm:ss[.f]Z` of epoch micros; ZonedTimestamp's fixed width for a scale in 1..9. */
function isoDateTime(epochMicros: bigint, fractionDigits?: number): string {
  const day = floorDiv(epochMicros, MICROS_PER_DAY_N);
  const micros = Number(epochMicros - day * MICROS_PER_DAY_N);
  return `${isoDate(Number(day))}T${isoTime(micros, fractionDigits)}Z`;
}

function jsDate(millis: number, text: string): Date {
  if (Math.abs(millis) > JS_DATE_MAX_MS)
    throw new DataError(`'${text}' is outside the range of a JavaScript Date`);
  return new Date(millis);
}

export function dateConversion(mode: TimePrecisionMode): Conversion {
  switch (mode) {
    case 'isostring':
      return {
        builder: DebeziumTime.isoDate,
        fromText: (t) => `${isoDate(parseDate(t))}Z`,
        fallback: '1970-01-01Z',
      };
    case 'connect':
      return {
        builder: ConnectDate.builder,
        fromText: (t) => jsDate(parseDate(t) * 86_400_000, t),
        fallback: new Date(0),
      };
    default:
      // Date.toEpochDay narrows Java's long epoch day to an int.
      return { builder: DebeziumTime.date, fromText: (t) => parseDate(t) | 0, fallback: 0 };
  }
}

/** `time(p)`; `precision` is the column's scale (6 without a modifier). */
export function timeConversion(mode: TimePrecisionMode, precision: number): Conversion {
  const micros = { builder: DebeziumTime.microTime, fromText: parseTime, fallback: 0 };
  switch (mode) {
    case 'isostring':
      // LocalTime.of(0, 0).plus(duration): 24:00:00 wraps to midnight.
      return {
        builder: DebeziumTime.isoTime,
        fromText: (t) => `${isoTime(parseTime(t) % MICROS_PER_DAY)}Z`,
        fallback: '00:00:00Z',
      };
    case 'connect':
      return {
        builder: ConnectTime.builder,
        fromText: (t) => new Date(Math.floor(parseTime(t) / 1000)),
        fallback: new Date(0),
      };
    case 'nanoseconds':
      return { builder: DebeziumTime.nanoTime, fromText: (t) => parseTime(t) * 1000, fallback: 0 };
    case 'adaptive':
      if (precision <= 3) {
        return { builder: DebeziumTime.time, fromText: (t) => Math.floor(parseTime(t) / 1000), fallback: 0 };
      }
      return micros;
    default:
      return micros;
  }
}

/** `timestamp(p)`; `precision` is the column's scale (6 without a modifier). */
export function timestampConversion(
  mode: TimePrecisionMode,
  precision: number,
  optional: boolean,
): Conversion {
  const millis = (t: string) => floorDiv(parseTimestamp(t), 1000n);
  const epochMillis = {
    builder: DebeziumTime.timestamp,
    fromText: (t: string) => int64(millis(t)),
    fallback: 0,
  };
  const epochMicros = {
    builder: DebeziumTime.microTimestamp,
    fromText: (t: string) => int64(parseTimestamp(t)),
    fallback: 0,
  };
  switch (mode) {
    case 'isostring':
      return {
        builder: DebeziumTime.isoTimestamp,
        fromText: (t) => isoDateTime(parseTimestamp(t)),
        fallback: '1970-01-01T00:00:00Z',
      };
    case 'connect':
      return {
        builder: ConnectTimestamp.builder,
        fromText: (t) => jsDate(Number(millis(t)), t),
        fallback: new Date(0),
      };
    case 'microseconds':
      return epochMicros;
    case 'nanoseconds':
      return { builder: DebeziumTime.nanoTimestamp, fromText: (t) => epochNanos(t, optional), fallback: 0 };
    default:
      return precision <= 3 ? epochMillis : epochMicros;
  }
}

/**
 * NanoTimestamp: ±infinity become Long.MAX/MIN_VALUE; other values beyond INT64 nanos (before 1677, after
 * 2262) make Debezium's converter give up: null for an optional column, an error for a required one.
 */
function epochNanos(text: string, optional: boolean): number | bigint | null {
  if (text === 'infinity') return INT64_MAX;
  if (text === '-infinity') return INT64_MIN;
  const nanos = parseTimestamp(text) * 1000n;
  if (nanos >= INT64_MIN && nanos <= INT64_MAX) return int64(nanos);
  if (optional) return null;
  throw new DataError(`'${text}' is outside the representable range for INT64 epoch nanoseconds`);
}

/**
 * `timestamptz(p)`: ZonedTimestamp in UTC with exactly `scale` fraction digits (ISO_OFFSET_DATE_TIME for
 * scale 0); ±infinity pass through as PostgreSQL's words.
 */
export function timestamptzConversion(scale: number): Conversion {
  const digits = scale > 0 && scale <= 9 ? scale : undefined;
  return {
    builder: DebeziumTime.zonedTimestamp,
    fromText: (t) => (t === 'infinity' || t === '-infinity' ? t : isoDateTime(parseTimestamp(t), digits)),
    fallback: '1970-01-01T00:00:00Z',
  };
}

/** `timetz`: ZonedTime (ISO_OFFSET_TIME) shifted to UTC. */
export function timetzConversion(): Conversion {
  return {
    builder: DebeziumTime.zonedTime,
    fromText: (t) => `${isoTime(parseTimetz(t))}Z`,
    fallback: '00:00:00Z',
  };
}
