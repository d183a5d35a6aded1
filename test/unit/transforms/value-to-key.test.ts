import { describe, expect, it } from 'vitest';
import { DataError, SchemaBuilder, Schemas, Struct } from '../../../lib/api/index.js';
import { ValueToKey } from '../../../lib/transforms/value-to-key.js';
import { sinkRecord } from './records.js';

function valueToKey(configs: Record<string, unknown>): ValueToKey {
  const xform = new ValueToKey();
  xform.configure(configs);
  return xform;
}

describe('ValueToKey', () => {
  it('builds a schemaless key from value fields', () => {
    const result = valueToKey({ fields: 'a,b' }).apply(sinkRecord({ value: { a: 1, b: 2, c: 3 } }));
    expect(result.key).toEqual({ a: 1, b: 2 });
    expect(result.keySchema).toBeNull();
  });

  it('builds a Struct key with the value fields schemas', () => {
    // Prepare (Kafka's withSchema)
    const schema = SchemaBuilder.struct()
      .field('a', Schemas.INT32)
      .field('b', Schemas.INT32)
      .field('c', Schemas.INT32)
      .build();
    const value = new Struct(schema).put('a', 1).put('b', 2).put('c', 3);
    // Act
    const result = valueToKey({ fields: 'a,b' }).apply(sinkRecord({ valueSchema: schema, value }));
    // Assess
    expect(result.keySchema?.fields().map((f) => [f.name, f.schema])).toEqual([
      ['a', Schemas.INT32],
      ['b', Schemas.INT32],
    ]);
    expect((result.key as Struct).get('b')).toBe(2);
    expect(result.value).toBe(value);
  });

  it('fails on a field missing from the value schema', () => {
    const schema = SchemaBuilder.struct().field('a', Schemas.INT32).build();
    expect(() =>
      valueToKey({ fields: 'not_exist' }).apply(
        sinkRecord({ valueSchema: schema, value: new Struct(schema).put('a', 1) }),
      ),
    ).toThrow(new DataError('Field does not exist: not_exist'));
  });

  it.each([
    [true, 7],
    [false, null],
  ])('with replace.null.with.default=%s copies a null field with a default as %j', (replace, expected) => {
    const schema = SchemaBuilder.struct()
      .field('f', SchemaBuilder.int32().optional().defaultValue(7))
      .build();
    const result = valueToKey({ fields: 'f', 'replace.null.with.default': replace }).apply(
      sinkRecord({ valueSchema: schema, value: new Struct(schema) }),
    );
    expect((result.key as Struct).getWithoutDefault('f')).toBe(expected);
  });

  it('requires a map value and a non-empty fields list', () => {
    expect(() => valueToKey({ fields: 'a' }).apply(sinkRecord({ value: null }))).toThrow(
      'Only Map objects supported in absence of schema for [copying fields from value to key], found: null',
    );
    expect(() => valueToKey({ fields: '' })).toThrow('Empty list');
  });
});
