import { describe, expect, it } from 'vitest';
import { BigDecimal, ConnectTimestamp, Decimal, SchemaBuilder, Schemas } from '../../../../lib/api/index.js';
import { buildMapping, hasMapping } from '../../../../lib/connectors/elasticsearch/mapping.js';

describe('mappings from value schemas', () => {
  it('maps each Connect type as Confluent does', () => {
    const schema = SchemaBuilder.struct()
      .field('flag', Schemas.BOOLEAN)
      .field('i8', Schemas.INT8)
      .field('i16', Schemas.INT16)
      .field('i32', SchemaBuilder.int32().defaultValue(7).build())
      .field('i64', Schemas.INT64)
      .field('f32', Schemas.FLOAT32)
      .field('f64', Schemas.FLOAT64)
      .field('name', SchemaBuilder.string().defaultValue('x').build())
      .field('raw', Schemas.BYTES)
      .field('at', ConnectTimestamp.SCHEMA)
      .field('price', Decimal.builder(2).defaultValue(BigDecimal.parse('1.50')).build())
      .field('list', SchemaBuilder.array(Schemas.INT16).build())
      .field('attrs', SchemaBuilder.map(Schemas.STRING, Schemas.FLOAT64).build())
      .field('inner', SchemaBuilder.struct().field('z', Schemas.STRING).build())
      .build();
    const text = { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } };
    expect(buildMapping(schema)).toEqual({
      properties: {
        flag: { type: 'boolean' },
        i8: { type: 'byte' },
        i16: { type: 'short' },
        i32: { type: 'integer', null_value: 7 },
        i64: { type: 'long' },
        f32: { type: 'float' },
        f64: { type: 'double' },
        name: text,
        raw: { type: 'binary' },
        at: { type: 'date' },
        price: { type: 'double', null_value: 1.5 },
        list: { type: 'short' },
        attrs: { properties: { key: text, value: { type: 'double' } } },
        inner: { properties: { z: text } },
      },
    });
  });

  it('cannot map a record without a value schema', () => {
    expect(() => buildMapping(null)).toThrow('Cannot infer mapping without schema.');
  });

  it('counts an empty mapping as none', () => {
    expect(hasMapping({})).toBe(false);
    expect(hasMapping(undefined)).toBe(false);
    expect(hasMapping({ properties: { a: { type: 'long' } } })).toBe(true);
  });
});
