import { describe, expect, it } from 'vitest';
import {
  type BigDecimal,
  ConnectDate,
  ConnectTimestamp,
  SchemaBuilder,
  Schemas,
  Struct,
  Values,
} from '../../../lib/api/index.js';

describe('Values.parseString', () => {
  it.each([
    ['true', 'BOOLEAN', true],
    ['42', 'INT8', 42],
    ['300', 'INT16', 300],
    ['70000', 'INT32', 70000],
    ['3000000000', 'INT64', 3000000000],
    ['9223372036854775807', 'INT64', 9223372036854775807n],
    ['1.5', 'FLOAT32', 1.5],
    ['hello world', 'STRING', 'hello world'],
  ])('infers %s as %s', (text, type, value) => {
    // Prepare
    const input = text;

    // Act
    const parsed = Values.parseString(input);

    // Assess
    expect(parsed.schema?.type).toBe(type);
    expect(parsed.value).toEqual(value);
  });

  it('parses null as no schema and no value', () => {
    // Prepare
    const input = 'null';

    // Act
    const parsed = Values.parseString(input);

    // Assess
    expect(parsed.schema).toBeNull();
    expect(parsed.value).toBeNull();
  });

  it('parses integers beyond INT64 as a Decimal of scale 0', () => {
    // Prepare
    const input = '123456789012345678901234567890';

    // Act
    const parsed = Values.parseString(input);

    // Assess
    expect(parsed.schema?.name).toBe('org.apache.kafka.connect.data.Decimal');
    expect((parsed.value as BigDecimal).toString()).toBe(input);
  });

  it('parses arrays and maps with a common element schema', () => {
    // Prepare
    const array = '[1, 2, 3]';
    const map = '{"a":1,"b":2}';

    // Act
    const parsedArray = Values.parseString(array);
    const parsedMap = Values.parseString(map);

    // Assess
    expect(parsedArray.schema?.type).toBe('ARRAY');
    expect(parsedArray.schema?.valueSchema?.type).toBe('INT8');
    expect(parsedArray.value).toEqual([1, 2, 3]);
    expect(parsedMap.schema?.keySchema?.type).toBe('STRING');
    expect(parsedMap.value).toEqual({ a: 1, b: 2 });
  });

  it('parses ISO-8601 dates and timestamps as logical types', () => {
    // Prepare
    const date = '2024-02-29';
    const ts = '2024-02-29T12:34:56.789Z';

    // Act
    const parsedDate = Values.parseString(date);
    const parsedTs = Values.parseString(ts);

    // Assess
    expect(parsedDate.schema).toBe(ConnectDate.SCHEMA);
    expect(parsedDate.value).toEqual(new Date('2024-02-29T00:00:00Z'));
    expect(parsedTs.schema).toBe(ConnectTimestamp.SCHEMA);
    expect(parsedTs.value).toEqual(new Date(ts));
  });

  it('falls back to a string when brackets are unbalanced', () => {
    // Prepare
    const input = '[1, 2';

    // Act
    const parsed = Values.parseString(input);

    // Assess
    expect(parsed.schema).toBe(Schemas.STRING);
    expect(parsed.value).toBe('[1, 2');
  });
});

describe('Values.convertToString', () => {
  it('writes lists and maps with nested strings quoted', () => {
    // Prepare
    const list = ['a', 1, null];
    const map = { k: 'v"q' };

    // Act
    const listText = Values.convertToString(null, list);
    const mapText = Values.convertToString(null, map);

    // Assess
    expect(listText).toBe('["a",1,null]');
    expect(mapText).toBe('{"k":"v\\"q"}');
  });

  it('writes logical dates in ISO-8601 per their schema and floats with a fraction', () => {
    // Prepare
    const instant = new Date('2024-02-29T12:34:56.789Z');

    // Act
    const ts = Values.convertToString(ConnectTimestamp.SCHEMA, instant);
    const double = Values.convertToString(Schemas.FLOAT64, 2);

    // Assess
    expect(ts).toBe('2024-02-29T12:34:56.789Z');
    expect(double).toBe('2.0');
  });

  it('writes a struct as a map of its fields and round-trips the map through parseString', () => {
    // Prepare
    const schema = SchemaBuilder.struct().field('a', Schemas.INT32).field('b', Schemas.STRING).build();
    const struct = new Struct(schema).put('a', 1).put('b', 'x');

    // Act
    const text = Values.convertToString(schema, struct);
    const parsed = Values.parseString(text);

    // Assess
    expect(text).toBe('{"a":1,"b":"x"}');
    expect(parsed.value).toEqual({ a: 1, b: 'x' });
  });
});
