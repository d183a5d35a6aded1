/**
 * Java's `SimpleDateFormat`, fixed to UTC and the English locale, as TimestampConverter and
 * TimestampRouter use it: a config written for Kafka (`yyyy-MM-dd'T'HH:mm:ss.SSSZ`) formats and parses
 * the same text here.
 *
 * Letters: G y Y M L d D E u a H k K h m s S z Z X, `'quoted'` literals and `''` for a quote. Parsing is
 * lenient like Java's default: out-of-range fields roll over (month 13 is January of the next year),
 * and text after the pattern is ignored.
 *
 * @example
 * const f = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
 * f.format(new Date(0)); // '1970-01-01T00:00:00.000Z'
 * f.parse('1970-01-01T00:00:01.000Z').getTime(); // 1000
 */
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const LETTERS = 'GyYMLdDEuaHkKhmsSzZX';
const NUMERIC = new Set(['y', 'Y', 'd', 'D', 'u', 'H', 'k', 'K', 'h', 'm', 's', 'S']);

type Token = { kind: 'literal'; text: string } | { kind: 'field'; letter: string; count: number };

/** A parse failure (Java's `ParseException`); `errorOffset` is where the text stopped matching. */
export class DateParseError extends Error {
  constructor(
    message: string,
    readonly errorOffset: number,
  ) {
    super(message);
    this.name = 'DateParseError';
  }
}

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  const literal = (text: string) => {
    const last = tokens.at(-1);
    if (last?.kind === 'literal') last.text += text;
    else tokens.push({ kind: 'literal', text });
  };
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i] as string;
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        literal("'");
        i += 2;
        continue;
      }
      let text = '';
      let j = i + 1;
      for (; j < pattern.length; j++) {
        if (pattern[j] !== "'") text += pattern[j];
        else if (pattern[j + 1] === "'") text += pattern[j++];
        else break;
      }
      if (j >= pattern.length) throw new Error(`Unterminated quote`);
      literal(text);
      i = j + 1;
    } else if (/[a-zA-Z]/.test(c)) {
      if (!LETTERS.includes(c)) throw new Error(`Illegal pattern character '${c}'`);
      let j = i;
      while (pattern[j] === c) j++;
      tokens.push({ kind: 'field', letter: c, count: j - i });
      i = j;
    } else {
      literal(c);
      i++;
    }
  }
  return tokens;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export class SimpleDateFormat {
  readonly #tokens: Token[];

  /** @throws Error `Illegal pattern character 'x'` for a letter Java does not know, as Java does */
  constructor(readonly pattern: string) {
    this.#tokens = tokenize(pattern);
  }

  /** Java's `toPattern()`. */
  toPattern(): string {
    return this.pattern;
  }

  format(date: Date): string {
    return this.#tokens
      .map((t) => (t.kind === 'literal' ? t.text : formatField(t.letter, t.count, date)))
      .join('');
  }

  /** @throws DateParseError `Unparseable date: "<text>"` when the start of `text` does not fit the pattern */
  parse(text: string): Date {
    const fields = { year: 1970, month: 0, day: 1, hour: 0, minute: 0, second: 0, milli: 0, offset: 0 };
    let pm: boolean | undefined;
    let hour12: number | undefined;
    let dayOfYear: number | undefined;
    let pos = 0;
    const fail = (): never => {
      throw new DateParseError(`Unparseable date: "${text}"`, pos);
    };
    this.#tokens.forEach((token, index) => {
      if (token.kind === 'literal') {
        if (!text.startsWith(token.text, pos)) fail();
        pos += token.text.length;
        return;
      }
      const { letter, count } = token;
      const next = this.#tokens[index + 1];
      const abutting = next?.kind === 'field' && (NUMERIC.has(next.letter) || next.count < 3);
      const readNumber = (): number => {
        const rest = text.slice(pos);
        const m = (abutting ? new RegExp(`^\\d{1,${count}}`) : /^[+-]?\d+/).exec(rest);
        if (!m) return fail();
        pos += m[0].length;
        return Number(m[0]);
      };
      const readName = (names: string[]): number => {
        const rest = text.slice(pos).toLowerCase();
        for (const candidates of [names, names.map((n) => n.slice(0, 3))]) {
          const i = candidates.findIndex((n) => rest.startsWith(n.toLowerCase()));
          if (i >= 0) {
            pos += (candidates[i] as string).length;
            return i;
          }
        }
        return fail();
      };
      switch (letter) {
        case 'G':
          if (!/^(AD|BC)/i.test(text.slice(pos))) fail();
          pos += 2;
          break;
        case 'y':
        case 'Y': {
          const start = pos;
          const year = readNumber();
          fields.year = count <= 2 && pos - start === 2 ? twoDigitYear(year) : year;
          break;
        }
        case 'M':
        case 'L':
          fields.month = count >= 3 ? readName(MONTHS) : readNumber() - 1;
          break;
        case 'd':
          fields.day = readNumber();
          break;
        case 'D':
          dayOfYear = readNumber();
          break;
        case 'E':
          readName(DAYS);
          break;
        case 'u':
          readNumber();
          break;
        case 'a':
          pm = readName(['AM', 'PM']) === 1;
          break;
        case 'H':
          fields.hour = readNumber();
          break;
        case 'k':
          fields.hour = readNumber() % 24;
          break;
        case 'K':
        case 'h':
          hour12 = readNumber() % 12;
          break;
        case 'm':
          fields.minute = readNumber();
          break;
        case 's':
          fields.second = readNumber();
          break;
        case 'S':
          fields.milli = readNumber();
          break;
        default: {
          const zone = /^(Z|UTC|GMT|UT)?(?:([+-])(\d{2}):?(\d{2})?)?/i.exec(
            text.slice(pos),
          ) as RegExpExecArray;
          if (zone[0] === '') fail();
          pos += zone[0].length;
          if (zone[2]) {
            const minutes = Number(zone[3]) * 60 + Number(zone[4] ?? 0);
            fields.offset = (zone[2] === '-' ? -1 : 1) * minutes;
          }
        }
      }
    });
    if (hour12 !== undefined) fields.hour = hour12 + (pm ? 12 : 0);
    else if (pm && fields.hour < 12) fields.hour += 12;
    const day = dayOfYear === undefined ? fields.day : dayOfYear;
    const month = dayOfYear === undefined ? fields.month : 0;
    const millis = Date.UTC(fields.year, month, day, fields.hour, fields.minute, fields.second, fields.milli);
    // Date.UTC maps years 0-99 to 1900-1999; Java does not.
    const date = new Date(millis);
    if (fields.year >= 0 && fields.year < 100) date.setUTCFullYear(date.getUTCFullYear() - 1900);
    return new Date(date.getTime() - fields.offset * 60_000);
  }
}

/** Java's two-digit year rule: within 80 years before and 20 years after now. */
function twoDigitYear(yy: number): number {
  const now = new Date().getUTCFullYear();
  const start = now - 80;
  let year = Math.floor(start / 100) * 100 + yy;
  if (year < start) year += 100;
  return year;
}

function formatField(letter: string, count: number, d: Date): string {
  switch (letter) {
    case 'G':
      return d.getUTCFullYear() > 0 ? 'AD' : 'BC';
    case 'y':
    case 'Y': {
      const year = d.getUTCFullYear();
      return count === 2 ? pad(year % 100, 2) : pad(year, count);
    }
    case 'M':
    case 'L': {
      const month = d.getUTCMonth();
      if (count >= 4) return MONTHS[month] as string;
      if (count === 3) return (MONTHS[month] as string).slice(0, 3);
      return pad(month + 1, count);
    }
    case 'd':
      return pad(d.getUTCDate(), count);
    case 'D': {
      const startOfYear = Date.UTC(d.getUTCFullYear(), 0, 1);
      return pad(Math.floor((d.getTime() - startOfYear) / 86_400_000) + 1, count);
    }
    case 'E': {
      const day = DAYS[d.getUTCDay()] as string;
      return count >= 4 ? day : day.slice(0, 3);
    }
    case 'u':
      return pad(d.getUTCDay() === 0 ? 7 : d.getUTCDay(), count);
    case 'a':
      return d.getUTCHours() < 12 ? 'AM' : 'PM';
    case 'H':
      return pad(d.getUTCHours(), count);
    case 'k':
      return pad(d.getUTCHours() === 0 ? 24 : d.getUTCHours(), count);
    case 'K':
      return pad(d.getUTCHours() % 12, count);
    case 'h':
      return pad(d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12, count);
    case 'm':
      return pad(d.getUTCMinutes(), count);
    case 's':
      return pad(d.getUTCSeconds(), count);
    case 'S':
      return pad(d.getUTCMilliseconds(), count);
    case 'z':
      return count >= 4 ? 'Coordinated Universal Time' : 'UTC';
    case 'Z':
      return '+0000';
    default:
      return 'Z';
  }
}
