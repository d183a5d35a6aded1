import { describe, expect, it } from 'vitest';
import { formatLsn, parseLsn } from '../../../../lib/connectors/postgres-cdc/lsn.js';

describe('parseLsn / formatLsn', () => {
  it('reads the two hex halves of PostgreSQL text and prints them back as PostgreSQL does', () => {
    expect(parseLsn('16/B374D848')).toBe(0x16_b374_d848n);
    expect(formatLsn(0x16_b374_d848n)).toBe('16/B374D848');
    expect(parseLsn('0/0')).toBe(0n);
    expect(formatLsn(0n)).toBe('0/0');
    expect(formatLsn(0x1_0000_000an)).toBe('1/A');
    expect(parseLsn('FFFFFFFF/FFFFFFFF')).toBe((1n << 64n) - 1n);
    expect(formatLsn((1n << 64n) - 1n)).toBe('FFFFFFFF/FFFFFFFF');
  });

  it('accepts lower-case hex and zero padding, printing upper case without padding', () => {
    expect(formatLsn(parseLsn('0000000a/00b374d8'))).toBe('A/B374D8');
  });

  it('refuses text that is not an LSN and numbers outside 64 bits', () => {
    for (const text of ['', '16', '16/', '/1', '16/B374D848/1', '1FFFFFFFF/0', 'G/0', ' 0/0', '-1/0'])
      expect(() => parseLsn(text), text).toThrow(RangeError);
    expect(() => formatLsn(-1n)).toThrow(RangeError);
    expect(() => formatLsn(1n << 64n)).toThrow(RangeError);
  });
});
