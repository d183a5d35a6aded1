import { describe, expect, it } from 'vitest';
import { DataError, SchemaBuilder } from '../../../../lib/api/index.js';
import { asTextProtocol, type MysqlField, roundHalfEven } from '../../../../lib/connectors/jdbc/db-client.js';
import { defaultLiteral, mysqlDialect, postgresDialect } from '../../../../lib/connectors/jdbc/dialect.js';
import { createTableSql } from '../../../../lib/connectors/jdbc/sink-sql.js';

const NASTY = "a'b\\c\\";

describe('string literals (DDL defaults, the one value that cannot be a parameter)', () => {
  it('doubles quotes, and backslashes only where the MySQL session reads them as escapes', () => {
    expect(mysqlDialect().stringLiteral(NASTY)).toBe("'a''b\\\\c\\\\'");
    expect(mysqlDialect('always', { noBackslashEscapes: true }).stringLiteral(NASTY)).toBe("'a''b\\c\\'");
    expect(mysqlDialect().stringLiteral("it's")).toBe("'it''s'");
  });

  it('writes a PostgreSQL string with a backslash as an escape string, read alike in every mode', () => {
    expect(postgresDialect().stringLiteral(NASTY)).toBe("E'a''b\\\\c\\\\'");
    expect(postgresDialect().stringLiteral("it's")).toBe("'it''s'");
  });

  it('puts the literal in CREATE TABLE defaults', () => {
    const schema = SchemaBuilder.string().optional().defaultValue("x'); DROP TABLE t; --\\").build();
    const sql = createTableSql(postgresDialect(), { table: 't' }, [{ name: 'c', schema, isKey: false }]);
    expect(sql).toBe(`CREATE TABLE "t" (\n  "c" TEXT DEFAULT E'x''); DROP TABLE t; --\\\\' NULL)`);
    expect(defaultLiteral(mysqlDialect(), true)).toBe('1');
  });
});

describe('identifiers', () => {
  it('refuses NUL and doubles the quote character of each dialect', () => {
    expect(() => mysqlDialect().quote('a\0b')).toThrow(DataError);
    expect(() => postgresDialect().quote('a\0b')).toThrow(DataError);
    expect(mysqlDialect().quote('a`"\'\\b')).toBe('`a``"\'\\b`');
    expect(postgresDialect().quote('a`"\'\\b')).toBe('"a`""\'\\b"');
  });
});

describe('prepared-statement rows as the text protocol answered them', () => {
  const field = (name: string, columnType: number, decimals: number): MysqlField => ({
    name,
    columnType,
    flags: 0,
    decimals,
    columnLength: 0,
  });

  it('rounds FLOAT to 6 significant digits and (M,D) columns to D decimals, half to even', () => {
    const rows = asTextProtocol(
      [
        { f: Math.fround(1.1), g: Math.fround(123456.5), h: -88002.8125, d: -0.030000000000000027, x: 0.1 },
        { f: Math.fround(1.23456789), g: Math.fround(1234565), h: null, d: 2.5, x: 1 / 3 },
      ],
      [field('f', 4, 31), field('g', 4, 31), field('h', 4, 3), field('d', 5, 2), field('x', 5, 31)],
    );
    expect(rows).toEqual([
      { f: 1.1, g: 123456, h: -88002.812, d: -0.03, x: 0.1 },
      { f: 1.23457, g: 1234560, h: null, d: 2.5, x: 1 / 3 },
    ]);
  });

  it('pads fractional seconds to the column digits', () => {
    const rows = asTextProtocol(
      [
        {
          t: '-838:59:59',
          u: '00:00:00.5',
          dt: '2024-01-02 03:04:05',
          ts: '2024-01-02 03:04:05.12',
          d: '2024-01-02',
        },
      ],
      [field('t', 11, 6), field('u', 11, 3), field('dt', 12, 3), field('ts', 7, 2), field('d', 10, 0)],
    );
    expect(rows).toEqual([
      {
        t: '-838:59:59.000000',
        u: '00:00:00.500',
        dt: '2024-01-02 03:04:05.000',
        ts: '2024-01-02 03:04:05.12',
        d: '2024-01-02',
      },
    ]);
  });

  it('rounds exactly, from the binary value', () => {
    expect(roundHalfEven(0.125, { decimals: 2 })).toBe(0.12);
    expect(roundHalfEven(0.375, { decimals: 2 })).toBe(0.38);
    expect(roundHalfEven(1.005, { decimals: 2 })).toBe(1); // 1.00499999999999989…
    expect(roundHalfEven(Math.fround(3.4e38), { significant: 6 })).toBe(3.4e38);
    expect(roundHalfEven(Math.fround(1e-45), { significant: 6 })).toBe(1.4013e-45);
    expect(roundHalfEven(-0, { significant: 6 })).toBe(-0);
  });
});
