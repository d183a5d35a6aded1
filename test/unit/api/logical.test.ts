import { describe, expect, it } from 'vitest';
import {
  BigDecimal,
  bigintToBytes,
  bytesToBigint,
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  Decimal,
} from '../../../lib/api/index.js';

describe('logical types', () => {
  it('declares Decimal with its name, version 1 and scale parameter', () => {
    // Prepare
    const scale = 2;

    // Act
    const schema = Decimal.schema(scale);

    // Assess
    expect(schema.type).toBe('BYTES');
    expect(schema.name).toBe('org.apache.kafka.connect.data.Decimal');
    expect(schema.version).toBe(1);
    expect(schema.parameters).toEqual({ scale: '2' });
  });

  it.each([
    [0n, [0x00]],
    [127n, [0x7f]],
    [128n, [0x00, 0x80]],
    [-1n, [0xff]],
    [-128n, [0x80]],
    [-129n, [0xff, 0x7f]],
    [1234n, [0x04, 0xd2]],
  ])('encodes %s as Java BigInteger.toByteArray does', (value, bytes) => {
    // Prepare
    const expected = Uint8Array.from(bytes);

    // Act
    const encoded = bigintToBytes(value);

    // Assess
    expect([...encoded]).toEqual([...expected]);
    expect(bytesToBigint(encoded)).toBe(value);
  });

  it('round-trips a decimal with many digits exactly', () => {
    // Prepare
    const schema = Decimal.schema(10);
    const value = BigDecimal.parse('-123456789012345678901234.5678901234');

    // Act
    const back = Decimal.toLogical(schema, Decimal.fromLogical(schema, value));

    // Assess
    expect(back.equals(value)).toBe(true);
    expect(back.toString()).toBe('-123456789012345678901234.5678901234');
  });

  it('refuses a decimal whose scale differs from the schema', () => {
    // Prepare
    const schema = Decimal.schema(2);

    // Act
    const act = () => Decimal.fromLogical(schema, BigDecimal.parse('1.5'));

    // Assess
    expect(act).toThrow('BigDecimal has mismatching scale value for given Decimal schema');
  });

  it('converts dates to days, times to millis of day and timestamps to epoch millis', () => {
    // Prepare
    const date = new Date('2024-02-29T00:00:00Z');
    const time = new Date(3_723_004);
    const ts = new Date('2024-02-29T12:34:56.789Z');

    // Act
    const days = ConnectDate.fromLogical(ConnectDate.SCHEMA, date);
    const millis = ConnectTime.fromLogical(ConnectTime.SCHEMA, time);
    const epoch = ConnectTimestamp.fromLogical(ConnectTimestamp.SCHEMA, ts);

    // Assess
    expect(days).toBe(19782);
    expect(ConnectDate.toLogical(ConnectDate.SCHEMA, days)).toEqual(date);
    expect(millis).toBe(3_723_004);
    expect(epoch).toBe(ts.getTime());
  });

  it('takes 24:00:00 as a Time, as Kafka does (its bound is inclusive), and refuses what lies past it', () => {
    expect(ConnectTime.fromLogical(ConnectTime.SCHEMA, new Date(86_400_000))).toBe(86_400_000);
    expect(() => ConnectTime.fromLogical(ConnectTime.SCHEMA, new Date(86_400_001))).toThrow(/date fields/);
  });

  it('refuses a Date value with a time of day', () => {
    // Prepare
    const value = new Date('2024-02-29T01:00:00Z');

    // Act
    const act = () => ConnectDate.fromLogical(ConnectDate.SCHEMA, value);

    // Assess
    expect(act).toThrow('Kafka Connect Date type should not have any time fields set to non-zero values.');
  });

  it('parses and prints decimals in plain notation keeping the scale', () => {
    // Prepare
    const inputs = ['1.10', '-0.005', '1E+3', '42'];

    // Act
    const printed = inputs.map((s) => BigDecimal.parse(s).toString());

    // Assess
    expect(printed).toEqual(['1.10', '-0.005', '1000', '42']);
    expect(BigDecimal.parse('1E+3').scale).toBe(-3);
  });
});
