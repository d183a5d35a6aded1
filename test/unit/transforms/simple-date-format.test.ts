import { describe, expect, it } from 'vitest';
import { DateParseError, SimpleDateFormat } from '../../../lib/transforms/util/simple-date-format.js';

const instant = new Date(Date.UTC(2017, 0, 2, 15, 4, 5, 6)); // a Monday

describe('SimpleDateFormat.format', () => {
  it.each([
    ['yyyyMMdd', '20170102'],
    ["yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", '2017-01-02T15:04:05.006Z'],
    ['yy/M/d', '17/1/2'],
    ['MMM d, yyyy', 'Jan 2, 2017'],
    ['MMMM', 'January'],
    ['EEE EEEE', 'Mon Monday'],
    ['h:mm a', '3:04 PM'],
    ['hh a', '03 PM'],
    ['H:m:s.S', '15:4:5.6'],
    ['z Z X', 'UTC +0000 Z'],
    ["'at' HH 'o''clock'", "at 15 o'clock"],
    ["''yyyy''", "'2017'"],
    ['D', '2'],
  ])('formats %j as %j in UTC', (pattern, expected) => {
    // Act / Assess
    expect(new SimpleDateFormat(pattern).format(instant)).toBe(expected);
  });

  it('rejects unknown pattern letters as Java does', () => {
    expect(() => new SimpleDateFormat('yyyy-qq')).toThrow("Illegal pattern character 'q'");
  });
});

describe('SimpleDateFormat.parse', () => {
  it.each([
    ["yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", '2017-01-02T15:04:05.006Z'],
    ['yyyyMMddHHmmssSSS', '20170102150405006'],
    ['dd MMM yyyy hh:mm:ss.SSS a', '02 Jan 2017 03:04:05.006 PM'],
    ['EEEE, MMMM d, yyyy HH:mm:ss.SSS', 'Monday, January 2, 2017 15:04:05.006'],
    ['yyyy-MM-dd HH:mm:ss.SSS Z', '2017-01-02 16:04:05.006 +0100'],
    ['yyyy-MM-dd HH:mm:ss.SSS X', '2017-01-02 15:04:05.006 Z'],
  ])('parses with %j', (pattern, text) => {
    // Act
    const parsed = new SimpleDateFormat(pattern).parse(text);
    // Assess
    expect(parsed.toISOString()).toBe(instant.toISOString());
  });

  it('rolls over out-of-range fields, as lenient Java does', () => {
    expect(new SimpleDateFormat('yyyy-MM-dd').parse('2016-13-02').toISOString()).toBe(
      '2017-01-02T00:00:00.000Z',
    );
  });

  it('ignores text after the pattern, as Java parse(String) does', () => {
    expect(new SimpleDateFormat('yyyy-MM-dd').parse('2017-01-02T10:00').toISOString()).toBe(
      '2017-01-02T00:00:00.000Z',
    );
  });

  it('fails on text that does not fit', () => {
    const parse = () => new SimpleDateFormat('yyyy-MM-dd').parse('Jan 2017');
    expect(parse).toThrow(DateParseError);
    expect(parse).toThrow('Unparseable date: "Jan 2017"');
  });
});
