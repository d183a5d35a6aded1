import { describe, expect, it } from 'vitest';
import { BigDecimal, Decimal, SchemaBuilder, Schemas, Struct } from '../../../lib/api/index.js';
import { MaskFieldKey, MaskFieldValue } from '../../../lib/transforms/mask-field.js';
import { sourceRecord } from './records.js';

const schema = SchemaBuilder.struct()
  .field('magic', Schemas.INT32)
  .field('bool', Schemas.BOOLEAN)
  .field('int64', Schemas.INT64)
  .field('float32', Schemas.FLOAT32)
  .field('string', Schemas.STRING)
  .field('decimal', Decimal.schema(0))
  .field('date', SchemaBuilder.int64().name('org.apache.kafka.connect.data.Timestamp').version(1))
  .field('array', SchemaBuilder.array(Schemas.INT32))
  .field('map', SchemaBuilder.map(Schemas.STRING, Schemas.STRING))
  .field('withDefault', SchemaBuilder.string().optional().defaultValue('default'))
  .build();

function fullStruct(): Struct {
  return new Struct(schema)
    .put('magic', 42)
    .put('bool', true)
    .put('int64', 64)
    .put('float32', 32.5)
    .put('string', 'blabla')
    .put('decimal', BigDecimal.parse('42'))
    .put('date', new Date(1000))
    .put('array', [1, 2])
    .put('map', { k: 'v' });
}

function maskValue(configs: Record<string, unknown>): MaskFieldValue {
  const xform = new MaskFieldValue();
  xform.configure(configs);
  return xform;
}

describe('MaskField', () => {
  it('masks struct fields with the zero of their type', () => {
    // Act
    const result = maskValue({ fields: 'magic,bool,int64,float32,string,decimal,date,array,map' }).apply(
      sourceRecord({ valueSchema: schema, value: fullStruct() }),
    );
    // Assess
    const s = result.value as Struct;
    expect([s.get('magic'), s.get('bool'), s.get('int64'), s.get('float32'), s.get('string')]).toEqual([
      0,
      false,
      0,
      0,
      '',
    ]);
    expect(s.get('decimal')).toEqual(new BigDecimal(0n, 0));
    expect(s.get('date')).toEqual(new Date(0));
    expect(s.get('array')).toEqual([]);
    expect(s.get('map')).toEqual({});
    expect(result.valueSchema).toBe(schema);
  });

  it('masks schemaless map fields and leaves missing ones null', () => {
    const result = maskValue({ fields: 'a,b,c,d,missing' }).apply(
      sourceRecord({ value: { a: 42, b: 'x', c: true, d: [1], e: 'kept' } }),
    );
    expect(result.value).toEqual({ a: 0, b: '', c: false, d: [], missing: null, e: 'kept' });
  });

  it('replaces numeric and string fields with the custom replacement', () => {
    const result = maskValue({ fields: 'magic,int64,float32,string,decimal', replacement: '123' }).apply(
      sourceRecord({ valueSchema: schema, value: fullStruct() }),
    );
    const s = result.value as Struct;
    expect([s.get('magic'), s.get('int64'), s.get('float32'), s.get('string')]).toEqual([
      123,
      123,
      123,
      '123',
    ]);
    expect(s.get('decimal')).toEqual(BigDecimal.parse('123'));
  });

  it('fails to replace a boolean or convert a non-number', () => {
    const record = sourceRecord({ valueSchema: schema, value: fullStruct() });
    expect(() => maskValue({ fields: 'bool', replacement: '1' }).apply(record)).toThrow(
      'Cannot mask value of type class java.lang.Boolean with custom replacement.',
    );
    expect(() => maskValue({ fields: 'magic', replacement: 'abc' }).apply(record)).toThrow(
      'Unable to convert abc (class java.lang.String) to number',
    );
  });

  it.each([
    [true, 'default'],
    [false, null],
  ])(
    'with replace.null.with.default=%s keeps an unmasked null field with a default as %j',
    (replace, expected) => {
      const result = maskValue({ fields: 'magic', 'replace.null.with.default': replace }).apply(
        sourceRecord({ valueSchema: schema, value: fullStruct() }),
      );
      expect((result.value as Struct).getWithoutDefault('withDefault')).toBe(expected);
    },
  );

  it('rejects an empty fields list and an empty replacement', () => {
    expect(() => maskValue({ fields: '' })).toThrow('Empty list');
    expect(() => maskValue({ fields: 'a', replacement: '' })).toThrow('String must be non-empty');
  });

  it('masks the key in the Key variant', () => {
    const xform = new MaskFieldKey();
    xform.configure({ fields: 'a' });
    expect(xform.apply(sourceRecord({ key: { a: 'secret' } })).key).toEqual({ a: '' });
  });
});
