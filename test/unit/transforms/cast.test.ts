import { describe, expect, it } from 'vitest';
import {
  BigDecimal,
  ConfigError,
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  DataError,
  Decimal,
  SchemaBuilder,
  Schemas,
  Struct,
} from '../../../lib/api/index.js';
import { CastKey, CastValue } from '../../../lib/transforms/cast.js';
import { sourceRecord } from './records.js';

function castValue(spec: string, extra: Record<string, unknown> = {}): CastValue {
  const cast = new CastValue();
  cast.configure({ spec, ...extra });
  return cast;
}

describe('Cast config', () => {
  it.each([
    ['', 'Must specify at least one field to cast.'],
    ['foo:faketype', 'Invalid type found in casting spec: faketype'],
    ['foo:array', 'Cast transformation does not support casting to ARRAY'],
    ['array', 'Cast transformation does not support casting to ARRAY'],
    ['foo:bytes', 'Cast transformation does not support casting to BYTES'],
    ['foo:int8:extra', 'Invalid rename mapping: foo:int8:extra'],
    ['foo:int8,int32', 'may ony specify a single cast in their spec'],
  ])('rejects the spec %j', (spec, message) => {
    // Prepare
    const cast = new CastKey();
    // Act / Assess
    expect(() => cast.configure({ spec })).toThrow(ConfigError);
    expect(() => cast.configure({ spec })).toThrow(message);
  });

  it('has Kafka class names and version', () => {
    expect(CastKey.CLASS_NAME).toBe('org.apache.kafka.connect.transforms.Cast$Key');
    expect(CastValue.CLASS_NAME).toBe('org.apache.kafka.connect.transforms.Cast$Value');
    expect(new CastValue().version).toBe('3.9.1');
    expect(new CastValue().config().names()).toEqual(['spec', 'replace.null.with.default']);
  });
});

describe('Cast whole value', () => {
  it('passes a null value through unchanged', () => {
    // Prepare
    const record = sourceRecord({ valueSchema: Schemas.OPTIONAL_INT32, value: null });
    // Act
    const result = castValue('int8').apply(record);
    // Assess
    expect(result).toBe(record);
  });

  it('casts a key with schema to int8', () => {
    const cast = new CastKey();
    cast.configure({ spec: 'int8' });
    const result = cast.apply(sourceRecord({ keySchema: Schemas.INT32, key: 42 }));
    expect(result.keySchema?.type).toBe('INT8');
    expect(result.key).toBe(42);
  });

  it.each([
    ['int8', 'INT8', 42],
    ['int16', 'INT16', 42],
    ['int32', 'INT32', 42],
    ['int64', 'INT64', 42],
    ['float32', 'FLOAT32', 42],
    ['float64', 'FLOAT64', 42],
    ['boolean', 'BOOLEAN', true],
    ['string', 'STRING', '42'],
  ])('casts an int32 value with schema to %s', (spec, type, expected) => {
    const result = castValue(spec).apply(sourceRecord({ valueSchema: Schemas.INT32, value: 42 }));
    expect(result.valueSchema?.type).toBe(type);
    expect(result.value).toBe(expected);
  });

  it('casts 0 to boolean false', () => {
    const result = castValue('boolean').apply(sourceRecord({ valueSchema: Schemas.INT32, value: 0 }));
    expect(result.value).toBe(false);
  });

  it('casts schemaless values the same way', () => {
    expect(castValue('int8').apply(sourceRecord({ value: 42 })).value).toBe(42);
    expect(castValue('string').apply(sourceRecord({ value: 42 })).value).toBe('42');
    expect(castValue('float32').apply(sourceRecord({ value: 42 })).valueSchema).toBeNull();
    expect(castValue('boolean').apply(sourceRecord({ value: 'TRUE' })).value).toBe(true);
  });

  it('casts a BigDecimal to string', () => {
    const value = BigDecimal.parse('42');
    const result = castValue('string').apply(sourceRecord({ valueSchema: Decimal.schema(0), value }));
    expect(result.value).toBe('42');
  });

  it('casts a Timestamp to its ISO string', () => {
    const value = new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 6));
    const result = castValue('string').apply(sourceRecord({ valueSchema: ConnectTimestamp.SCHEMA, value }));
    expect(result.value).toBe('2020-01-02T03:04:05.006Z');
  });

  it('casts the schema default too', () => {
    const schema = SchemaBuilder.float32().defaultValue(-42.125).build();
    const result = castValue('int32').apply(sourceRecord({ valueSchema: schema, value: 42.5 }));
    expect(result.valueSchema?.defaultValue).toBe(-42);
    expect(result.value).toBe(42);
  });

  it('wraps integers like Java narrowing', () => {
    expect(castValue('int8').apply(sourceRecord({ value: 300 })).value).toBe(44);
    expect(castValue('int16').apply(sourceRecord({ value: 70000 })).value).toBe(4464);
  });

  it('fails on an out-of-range string with Kafka message', () => {
    expect(() => castValue('int8').apply(sourceRecord({ value: '300' }))).toThrow(
      'Value (300) was out of range for requested data type',
    );
  });

  it('rejects schemaless unsupported types', () => {
    expect(() => castValue('int8').apply(sourceRecord({ value: [1] }))).toThrow(
      'Cast transformation does not support casting from ARRAY; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING, BYTES]',
    );
  });
});

describe('Cast fields', () => {
  it('casts logical types to their numeric form', () => {
    // Prepare (Kafka's castLogicalToPrimitive)
    const schema = SchemaBuilder.struct()
      .field('date_to_int32', ConnectDate.SCHEMA)
      .field('timestamp_to_int64', ConnectTimestamp.SCHEMA)
      .field('time_to_int64', ConnectTime.SCHEMA)
      .field('decimal_to_int32', Decimal.schema(0))
      .field('null_timestamp_to_int32', ConnectTimestamp.builder().optional().build())
      .build();
    const value = new Struct(schema)
      .put('date_to_int32', new Date(86_400_000))
      .put('timestamp_to_int64', new Date(0))
      .put('time_to_int64', new Date(1))
      .put('decimal_to_int32', new BigDecimal(2n ** 63n - 1n, 0));
    const cast = castValue(
      'date_to_int32:int32,timestamp_to_int64:int64,time_to_int64:int64,decimal_to_int32:int32,null_timestamp_to_int32:int32',
    );
    // Act
    const result = cast.apply(sourceRecord({ valueSchema: schema, value }));
    // Assess
    const struct = result.value as Struct;
    expect(struct.get('date_to_int32')).toBe(1);
    expect(struct.get('timestamp_to_int64')).toBe(0);
    expect(struct.get('time_to_int64')).toBe(1);
    expect(struct.get('decimal_to_int32')).toBe(-1);
    expect(struct.get('null_timestamp_to_int32')).toBeNull();
    expect(result.valueSchema?.field('null_timestamp_to_int32')?.schema.type).toBe('INT32');
    expect(result.valueSchema?.field('null_timestamp_to_int32')?.schema.optional).toBe(true);
  });

  it('casts fields with schema, keeping optionality and casting defaults', () => {
    // Prepare (Kafka's castFieldsWithSchema, in part)
    const schema = SchemaBuilder.struct()
      .field('int8', Schemas.INT8)
      .field('int16', Schemas.OPTIONAL_INT16)
      .field('int32', SchemaBuilder.int32().defaultValue(2))
      .field('float64', SchemaBuilder.float64().defaultValue(-1.125))
      .field('boolean', Schemas.BOOLEAN)
      .field('string', Schemas.STRING)
      .field('bytes', Schemas.BYTES)
      .field('float32', Schemas.FLOAT32)
      .build();
    const value = new Struct(schema)
      .put('int8', 8)
      .put('int16', 16)
      .put('int32', 32)
      .put('float64', -64)
      .put('boolean', true)
      .put('string', '42')
      .put('bytes', new Uint8Array([0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10]))
      .put('float32', 32.5);
    const cast = castValue(
      'int8:int16,int16:int32,int32:int64,float64:boolean,boolean:int8,string:int32,bytes:string,float32:string',
    );
    // Act
    const result = cast.apply(sourceRecord({ valueSchema: schema, value }));
    // Assess
    const struct = result.value as Struct;
    const s = result.valueSchema;
    expect(s?.field('int8')?.schema.type).toBe('INT16');
    expect(s?.field('int16')?.schema.optional).toBe(true);
    expect(s?.field('int32')?.schema.defaultValue).toBe(2);
    expect(s?.field('float64')?.schema.defaultValue).toBe(true);
    expect(struct.get('int16')).toBe(16);
    expect(struct.get('float64')).toBe(true);
    expect(struct.get('boolean')).toBe(1);
    expect(struct.get('string')).toBe(42);
    expect(struct.get('bytes')).toBe('/ty6mHZUMhA=');
    expect(struct.get('float32')).toBe('32.5');
  });

  it.each([
    [true, '42'],
    [false, null],
  ])('with replace.null.with.default=%s casts a null field with a default to %j', (replace, expected) => {
    // Prepare (Kafka's castFieldWithDefaultValueRecordWithSchema)
    const schema = SchemaBuilder.struct()
      .field('magic', SchemaBuilder.int32().optional().defaultValue(42))
      .build();
    const value = new Struct(schema).put('magic', null);
    // Act
    const result = castValue('magic:string', { 'replace.null.with.default': replace }).apply(
      sourceRecord({ valueSchema: schema, value }),
    );
    // Assess
    expect((result.value as Struct).getWithoutDefault('magic')).toBe(expected);
  });

  it('casts schemaless map fields, leaving the input unchanged', () => {
    const value = { int8: 8, float32: 32.5, string: '42', other: 'x' };
    const result = castValue('int8:int16,float32:int32,string:int32').apply(sourceRecord({ value }));
    expect(result.value).toEqual({ int8: 8, float32: 32, string: 42, other: 'x' });
    expect(value.string).toBe('42');
  });

  it('requires a Struct when there is a schema', () => {
    expect(() =>
      castValue('a:int8').apply(sourceRecord({ valueSchema: Schemas.STRING, value: 'x' })),
    ).toThrow(new DataError('Only Struct objects supported for [cast types], found: java.lang.String'));
  });

  it('requires a map without a schema', () => {
    expect(() => castValue('a:int8').apply(sourceRecord({ value: 'x' }))).toThrow(
      'Only Map objects supported in absence of schema for [cast types], found: java.lang.String',
    );
  });

  it('reuses the derived schema for the same input schema', () => {
    const schema = SchemaBuilder.struct().field('a', Schemas.INT32).build();
    const cast = castValue('a:int64');
    const first = cast.apply(sourceRecord({ valueSchema: schema, value: new Struct(schema).put('a', 1) }));
    const second = cast.apply(sourceRecord({ valueSchema: schema, value: new Struct(schema).put('a', 2) }));
    expect(second.valueSchema).toBe(first.valueSchema);
  });
});
