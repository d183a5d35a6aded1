import { describe, expect, it } from 'vitest';
import { ConnectTimestamp, DataError, SchemaBuilder, Schemas } from '../../../lib/api/index.js';
import {
  BooleanConverter,
  ByteArrayConverter,
  DoubleConverter,
  FloatConverter,
  IntegerConverter,
  LongConverter,
  ShortConverter,
  SimpleHeaderConverter,
  StringConverter,
} from '../../../lib/converters/index.js';

const hex = (bytes: Uint8Array | null): string => Buffer.from(bytes as Uint8Array).toString('hex');

describe('number converters', () => {
  it.each([
    [new ShortConverter(), 258, '0102', 'INT16'],
    [new IntegerConverter(), -2, 'fffffffe', 'INT32'],
    [new LongConverter(), 1, '0000000000000001', 'INT64'],
    [new LongConverter(), -9223372036854775808n, '8000000000000000', 'INT64'],
    [new FloatConverter(), 1.5, '3fc00000', 'FLOAT32'],
    [new DoubleConverter(), -2, 'c000000000000000', 'FLOAT64'],
    [new BooleanConverter(), true, '01', 'BOOLEAN'],
  ])("%o writes %s as Kafka's serializer bytes %s and reads it back", (converter, value, bytes, type) => {
    // Prepare
    converter.configure({}, false);

    // Act
    const out = converter.fromConnectData('t', null, null, value);
    const back = converter.toConnectData('t', null, out);

    // Assess
    expect(hex(out)).toBe(bytes);
    expect(back.value).toBe(value);
    expect(back.schema?.type).toBe(type);
    expect(back.schema?.optional).toBe(true);
  });

  it('passes null through both ways', () => {
    // Prepare
    const converter = new IntegerConverter();

    // Act
    const out = converter.fromConnectData('t', null, Schemas.INT32, null);
    const back = converter.toConnectData('t', null, null);

    // Assess
    expect(out).toBeNull();
    expect(back.value).toBeNull();
    expect(back.schema).toBe(Schemas.OPTIONAL_INT32);
  });

  it('refuses a value of the wrong type and bytes of the wrong size', () => {
    // Prepare
    const converter = new ShortConverter();

    // Act
    const write = () => converter.fromConnectData('t', null, null, 'x');
    const read = () => converter.toConnectData('t', null, Uint8Array.from([1]));

    // Assess
    expect(write).toThrow(new DataError('Failed to serialize to short (was string): '));
    expect(read).toThrow('Failed to deserialize short: ');
  });
});

describe('StringConverter', () => {
  it('writes any value as its string and reads an optional string', () => {
    // Prepare
    const converter = new StringConverter();
    converter.configure({ 'converter.encoding': 'UTF-8' }, true);

    // Act
    const out = converter.fromConnectData('t', null, null, 42);
    const back = converter.toConnectData('t', null, Buffer.from('é'));

    // Assess
    expect(Buffer.from(out as Uint8Array).toString()).toBe('42');
    expect(back.schema).toBe(Schemas.OPTIONAL_STRING);
    expect(back.value).toBe('é');
  });

  it('reads null as an optional string schema with a null value', () => {
    // Prepare
    const converter = new StringConverter();

    // Act
    const back = converter.toConnectData('t', null, null);

    // Assess
    expect(back.schema).toBe(Schemas.OPTIONAL_STRING);
    expect(back.value).toBeNull();
  });
});

describe('ByteArrayConverter', () => {
  it("passes bytes through and refuses other schemas and values with Kafka's messages", () => {
    // Prepare
    const converter = new ByteArrayConverter();
    const value = Uint8Array.from([1, 2]);

    // Act
    const out = converter.fromConnectData('t', null, Schemas.BYTES, value);
    const wrongSchema = () => converter.fromConnectData('t', null, Schemas.STRING, 'x');
    const wrongValue = () => converter.fromConnectData('t', null, null, 'x');

    // Assess
    expect(out).toBe(value);
    expect(converter.toConnectData('t', null, value).schema).toBe(Schemas.OPTIONAL_BYTES);
    expect(wrongSchema).toThrow('Invalid schema type for ByteArrayConverter: STRING');
    expect(wrongValue).toThrow('ByteArrayConverter is not compatible with objects of type string');
  });
});

describe('SimpleHeaderConverter', () => {
  it('writes values as strings and infers their types when reading', () => {
    // Prepare
    const converter = new SimpleHeaderConverter();
    const listSchema = SchemaBuilder.array(Schemas.INT32).build();

    // Act
    const out = converter.fromConnectHeader('t', 'h', listSchema, [1, 2]);
    const back = converter.toConnectHeader('t', 'h', out);

    // Assess
    expect(Buffer.from(out as Uint8Array).toString()).toBe('[1,2]');
    expect(back.schema?.type).toBe('ARRAY');
    expect(back.value).toEqual([1, 2]);
  });

  it('round-trips a timestamp and falls back to BYTES for invalid UTF-8', () => {
    // Prepare
    const converter = new SimpleHeaderConverter();
    const instant = new Date('2024-01-02T03:04:05.006Z');
    const invalid = Uint8Array.from([0xff, 0xfe]);

    // Act
    const back = converter.toConnectHeader(
      't',
      'h',
      converter.fromConnectHeader('t', 'h', ConnectTimestamp.SCHEMA, instant),
    );
    const bytes = converter.toConnectHeader('t', 'h', invalid);

    // Assess
    expect(back.schema).toBe(ConnectTimestamp.SCHEMA);
    expect(back.value).toEqual(instant);
    expect(bytes.schema).toBe(Schemas.BYTES);
    expect(bytes.value).toBe(invalid);
  });

  it('exposes Kafka class names and version', () => {
    // Prepare
    const names = [SimpleHeaderConverter.CLASS_NAME, LongConverter.CLASS_NAME, StringConverter.CLASS_NAME];

    // Act
    const version = new SimpleHeaderConverter().version;

    // Assess
    expect(names).toEqual([
      'org.apache.kafka.connect.storage.SimpleHeaderConverter',
      'org.apache.kafka.connect.converters.LongConverter',
      'org.apache.kafka.connect.storage.StringConverter',
    ]);
    expect(version).toBe('3.9.1');
  });
});
