import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  SchemaBuilder,
  Schemas,
  Struct,
} from '../../../lib/api/index.js';
import {
  TimestampConverterKey,
  TimestampConverterValue,
} from '../../../lib/transforms/timestamp-converter.js';
import { sourceRecord } from './records.js';

// Kafka's TimestampConverterTest fixtures: 1970-01-02 01:02:03.004 UTC.
const DATE = new Date(86_400_000);
const TIME = new Date(3_723_004);
const DATE_PLUS_TIME = new Date(86_400_000 + 3_723_004);
const DATE_PLUS_TIME_UNIX = 90_123_004;
const STRING_DATE_FMT = 'yyyy MM dd HH mm ss SSS z';
const DATE_PLUS_TIME_STRING = '1970 01 02 01 02 03 004 UTC';

function convert(configs: Record<string, unknown>): TimestampConverterValue {
  const xform = new TimestampConverterValue();
  xform.configure(configs);
  return xform;
}

describe('TimestampConverter config', () => {
  it('requires a valid target.type', () => {
    expect(() => convert({})).toThrow('Missing required configuration "target.type"');
    expect(() => convert({ 'target.type': 'invalid' })).toThrow(
      'Invalid value invalid for configuration target.type',
    );
    expect(() => convert({ 'target.type': 'timestamp' })).toThrow(ConfigError);
  });

  it('requires a format for string targets and a valid pattern', () => {
    expect(() => convert({ 'target.type': 'string' })).toThrow(
      'TimestampConverter requires format option to be specified when using string timestamps',
    );
    expect(() => convert({ 'target.type': 'unix', format: 'bad-formatq' })).toThrow(
      'TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: bad-formatq',
    );
  });

  it('rejects an unknown unix.precision', () => {
    expect(() => convert({ 'target.type': 'unix', 'unix.precision': 'minutes' })).toThrow(ConfigError);
  });
});

describe('TimestampConverter schemaless', () => {
  it.each([
    ['Timestamp', DATE_PLUS_TIME_UNIX, DATE_PLUS_TIME],
    ['Date', DATE_PLUS_TIME_UNIX, DATE],
    ['Time', DATE_PLUS_TIME_UNIX, TIME],
    ['unix', DATE_PLUS_TIME, DATE_PLUS_TIME_UNIX],
    ['string', DATE_PLUS_TIME, DATE_PLUS_TIME_STRING],
    ['Timestamp', DATE_PLUS_TIME_STRING, DATE_PLUS_TIME],
  ])('converts to %s', (target, input, expected) => {
    // Act
    const result = convert({ 'target.type': target, format: STRING_DATE_FMT }).apply(
      sourceRecord({ value: input }),
    );
    // Assess
    expect(result.valueSchema).toBeNull();
    expect(result.value).toEqual(expected);
  });

  it.each([
    ['seconds', 90_123, new Date(90_123_000)],
    ['microseconds', 90_123_004_005, DATE_PLUS_TIME],
    ['nanoseconds', 90_123_004_005_006, DATE_PLUS_TIME],
  ])('reads unix input in %s', (precision, input, expected) => {
    const result = convert({ 'target.type': 'Timestamp', 'unix.precision': precision }).apply(
      sourceRecord({ value: input }),
    );
    expect(result.value).toEqual(expected);
  });

  it.each([
    ['seconds', 90_123],
    ['microseconds', 90_123_004_000],
    ['nanoseconds', 90_123_004_000_000],
  ])('writes unix output in %s', (precision, expected) => {
    const result = convert({ 'target.type': 'unix', 'unix.precision': precision }).apply(
      sourceRecord({ value: DATE_PLUS_TIME }),
    );
    expect(result.value).toBe(expected);
  });

  it('converts one field of a map and passes null through', () => {
    const xform = convert({ 'target.type': 'Date', field: 'ts' });
    expect(xform.apply(sourceRecord({ value: { ts: DATE_PLUS_TIME_UNIX, other: 'x' } })).value).toEqual({
      ts: DATE,
      other: 'x',
    });
    expect(xform.apply(sourceRecord({ value: null })).value).toBeNull();
    expect(xform.apply(sourceRecord({ value: { other: 'x' } })).value).toEqual({ ts: null, other: 'x' });
  });

  it('fails on a string that does not match the format', () => {
    expect(() =>
      convert({ 'target.type': 'unix', format: 'yyyy-MM-dd' }).apply(sourceRecord({ value: 'not a date' })),
    ).toThrow('Could not parse timestamp: value (not a date) does not match pattern (yyyy-MM-dd)');
  });

  it('fails on an unsupported value type', () => {
    expect(() => convert({ 'target.type': 'unix' }).apply(sourceRecord({ value: true }))).toThrow(
      'TimestampConverter does not support class java.lang.Boolean objects as timestamps',
    );
  });
});

describe('TimestampConverter with schema', () => {
  it.each([
    ['Timestamp', ConnectTimestamp.SCHEMA, DATE_PLUS_TIME, 'unix', Schemas.INT64, DATE_PLUS_TIME_UNIX],
    ['Timestamp', ConnectTimestamp.SCHEMA, DATE_PLUS_TIME, 'Date', ConnectDate.SCHEMA, DATE],
    ['Timestamp', ConnectTimestamp.SCHEMA, DATE_PLUS_TIME, 'Time', ConnectTime.SCHEMA, TIME],
    ['unix', Schemas.INT64, DATE_PLUS_TIME_UNIX, 'Timestamp', ConnectTimestamp.SCHEMA, DATE_PLUS_TIME],
    ['string', Schemas.STRING, DATE_PLUS_TIME_STRING, 'Timestamp', ConnectTimestamp.SCHEMA, DATE_PLUS_TIME],
    ['Date', ConnectDate.SCHEMA, DATE, 'string', Schemas.STRING, '1970 01 02 00 00 00 000 UTC'],
  ])('converts %s to %s', (_from, schema, input, target, expectedSchema, expected) => {
    const result = convert({ 'target.type': target, format: STRING_DATE_FMT }).apply(
      sourceRecord({ valueSchema: schema, value: input }),
    );
    expect(result.valueSchema).toBe(expectedSchema);
    expect(result.value).toEqual(expected);
  });

  it('keeps optionality of the whole value', () => {
    const result = convert({ 'target.type': 'Timestamp' }).apply(
      sourceRecord({ valueSchema: Schemas.OPTIONAL_INT64, value: null }),
    );
    expect(result.valueSchema?.optional).toBe(true);
    expect(result.value).toBeNull();
  });

  it('converts one struct field and keeps the others', () => {
    // Prepare
    const schema = SchemaBuilder.struct().field('ts', Schemas.INT64).field('other', Schemas.STRING).build();
    const value = new Struct(schema).put('ts', DATE_PLUS_TIME_UNIX).put('other', 'x');
    // Act
    const result = convert({ 'target.type': 'Timestamp', field: 'ts' }).apply(
      sourceRecord({ valueSchema: schema, value }),
    );
    // Assess
    expect(result.valueSchema?.field('ts')?.schema).toBe(ConnectTimestamp.SCHEMA);
    expect((result.value as Struct).get('ts')).toEqual(DATE_PLUS_TIME);
    expect((result.value as Struct).get('other')).toBe('x');
  });

  it.each([
    [true, DATE_PLUS_TIME],
    [false, null],
  ])('with replace.null.with.default=%s converts a null field with a default to %j', (replace, expected) => {
    const schema = SchemaBuilder.struct()
      .field('ts', SchemaBuilder.int64().optional().defaultValue(DATE_PLUS_TIME_UNIX))
      .build();
    const result = convert({
      'target.type': 'Timestamp',
      field: 'ts',
      'replace.null.with.default': replace,
    }).apply(sourceRecord({ valueSchema: schema, value: new Struct(schema) }));
    expect((result.value as Struct).getWithoutDefault('ts')).toEqual(expected);
  });

  it('fails on a schema that is no timestamp', () => {
    expect(() =>
      convert({ 'target.type': 'unix' }).apply(sourceRecord({ valueSchema: Schemas.BOOLEAN, value: true })),
    ).toThrow('does not correspond to a known timestamp type format');
  });

  it('works on the key in the Key variant', () => {
    const xform = new TimestampConverterKey();
    xform.configure({ 'target.type': 'Timestamp' });
    const result = xform.apply(sourceRecord({ keySchema: Schemas.INT64, key: 0 }));
    expect(result.keySchema).toBe(ConnectTimestamp.SCHEMA);
    expect(result.key).toEqual(new Date(0));
  });
});
