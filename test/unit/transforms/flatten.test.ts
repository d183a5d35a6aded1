import { describe, expect, it } from 'vitest';
import { DataError, SchemaBuilder, Schemas, Struct } from '../../../lib/api/index.js';
import { FlattenKey, FlattenValue } from '../../../lib/transforms/flatten.js';
import { sourceRecord } from './records.js';

function flattenValue(configs: Record<string, unknown> = {}): FlattenValue {
  const xform = new FlattenValue();
  xform.configure(configs);
  return xform;
}

describe('Flatten', () => {
  it('flattens nested structs with the delimiter', () => {
    // Prepare (Kafka's testNestedStruct, in part)
    const two = SchemaBuilder.struct().field('int8', Schemas.INT8).field('string', Schemas.STRING).build();
    const one = SchemaBuilder.struct().field('B', two).build();
    const top = SchemaBuilder.struct().field('A', one).field('int64', Schemas.INT64).build();
    const value = new Struct(top)
      .put('A', new Struct(one).put('B', new Struct(two).put('int8', 8).put('string', 'x')))
      .put('int64', 64);
    // Act
    const result = flattenValue({ delimiter: '#' }).apply(sourceRecord({ valueSchema: top, value }));
    // Assess
    expect(result.valueSchema?.fields().map((f) => f.name)).toEqual(['A#B#int8', 'A#B#string', 'int64']);
    const flat = result.value as Struct;
    expect(flat.get('A#B#int8')).toBe(8);
    expect(flat.get('A#B#string')).toBe('x');
  });

  it('flattens nested maps without a schema', () => {
    const result = flattenValue().apply(sourceRecord({ value: { A: { B: { x: 1, y: [1, 2] } }, c: null } }));
    expect(result.value).toEqual({ 'A.B.x': 1, 'A.B.y': [1, 2], c: null });
  });

  it('makes children of optional parents optional', () => {
    const inner = SchemaBuilder.struct().field('x', Schemas.STRING).optional().build();
    const top = SchemaBuilder.struct().field('inner', inner).build();
    const result = flattenValue().apply(sourceRecord({ valueSchema: top, value: new Struct(top) }));
    expect(result.valueSchema?.field('inner.x')?.schema.optional).toBe(true);
    expect((result.value as Struct).get('inner.x')).toBeNull();
  });

  it('passes a null value through', () => {
    const record = sourceRecord({ value: null });
    expect(flattenValue().apply(record)).toBe(record);
  });

  it('rejects a MAP field with a schema', () => {
    const top = SchemaBuilder.struct().field('m', SchemaBuilder.map(Schemas.STRING, Schemas.STRING)).build();
    const value = new Struct(top).put('m', {});
    expect(() => flattenValue().apply(sourceRecord({ valueSchema: top, value }))).toThrow(
      new DataError('Flatten transformation does not support MAP for record with schemas (for field m).'),
    );
  });

  it('requires a map without a schema', () => {
    expect(() => flattenValue().apply(sourceRecord({ value: 42 }))).toThrow(
      'Only Map objects supported in absence of schema for [flattening], found: java.lang.Integer',
    );
  });

  it('flattens the key in the Key variant', () => {
    const xform = new FlattenKey();
    xform.configure({});
    expect(xform.apply(sourceRecord({ key: { a: { b: 1 } } })).key).toEqual({ 'a.b': 1 });
  });
});
