import { describe, expect, it } from 'vitest';
import { ConfigError, DataError, SchemaBuilder, Schemas, Struct } from '../../../lib/api/index.js';
import { ExtractFieldKey, ExtractFieldValue } from '../../../lib/transforms/extract-field.js';
import { sourceRecord } from './records.js';

function extractKey(configs: Record<string, unknown>): ExtractFieldKey {
  const xform = new ExtractFieldKey();
  xform.configure(configs);
  return xform;
}

describe('ExtractField', () => {
  it('extracts a field of a schemaless key', () => {
    const result = extractKey({ field: 'magic' }).apply(sourceRecord({ key: { magic: 42 } }));
    expect(result.keySchema).toBeNull();
    expect(result.key).toBe(42);
  });

  it('passes a null schemaless key through as null', () => {
    const result = extractKey({ field: 'magic' }).apply(sourceRecord({ key: null }));
    expect(result.key).toBeNull();
  });

  it('extracts a field of a Struct key with its schema', () => {
    // Prepare
    const schema = SchemaBuilder.struct().field('magic', Schemas.INT32).build();
    // Act
    const result = extractKey({ field: 'magic' }).apply(
      sourceRecord({ keySchema: schema, key: new Struct(schema).put('magic', 42) }),
    );
    // Assess
    expect(result.keySchema).toBe(Schemas.INT32);
    expect(result.key).toBe(42);
  });

  it('keeps the field schema for a null Struct key', () => {
    const schema = SchemaBuilder.struct().field('magic', Schemas.INT32).optional().build();
    const result = extractKey({ field: 'magic' }).apply(sourceRecord({ keySchema: schema, key: null }));
    expect(result.keySchema).toBe(Schemas.INT32);
    expect(result.key).toBeNull();
  });

  it('fails on an unknown field with a schema', () => {
    const schema = SchemaBuilder.struct().field('magic', Schemas.INT32).build();
    const record = sourceRecord({ keySchema: schema, key: new Struct(schema).put('magic', 42) });
    expect(() => extractKey({ field: 'nonexistent' }).apply(record)).toThrow('Unknown field: nonexistent');
  });

  it('gives null for a missing schemaless field', () => {
    expect(extractKey({ field: 'nonexistent' }).apply(sourceRecord({ key: { magic: 42 } })).key).toBeNull();
  });

  it('requires a map or Struct', () => {
    expect(() => extractKey({ field: 'a' }).apply(sourceRecord({ key: 'x' }))).toThrow(
      new DataError(
        'Only Map objects supported in absence of schema for [field extraction], found: java.lang.String',
      ),
    );
  });

  it.each([
    [true, 42],
    [false, null],
  ])('with replace.null.with.default=%s extracts a null field with a default as %j', (replace, expected) => {
    const schema = SchemaBuilder.struct()
      .field('magic', SchemaBuilder.int32().optional().defaultValue(42))
      .build();
    const record = sourceRecord({ valueSchema: schema, value: new Struct(schema).put('magic', null) });
    const xform = new ExtractFieldValue();
    xform.configure({ field: 'magic', 'replace.null.with.default': replace });
    expect(xform.apply(record).value).toBe(expected);
  });

  it('with field.syntax.version=V2 reaches into nested maps and structs', () => {
    // Prepare
    const inner = SchemaBuilder.struct().field('c', Schemas.STRING).build();
    const outer = SchemaBuilder.struct().field('a.b', inner).build();
    const value = new Struct(outer).put('a.b', new Struct(inner).put('c', 'deep'));
    const xform = new ExtractFieldValue();
    xform.configure({ field: '`a.b`.c', 'field.syntax.version': 'v2' });
    // Act
    const withSchema = xform.apply(sourceRecord({ valueSchema: outer, value }));
    const schemaless = xform.apply(sourceRecord({ value: { 'a.b': { c: 'map' } } }));
    // Assess
    expect(withSchema.value).toBe('deep');
    expect(withSchema.valueSchema).toBe(Schemas.STRING);
    expect(schemaless.value).toBe('map');
  });

  it('with V1 takes a dotted name literally', () => {
    const result = extractKey({ field: 'a.b' }).apply(sourceRecord({ key: { 'a.b': 1, a: { b: 2 } } }));
    expect(result.key).toBe(1);
  });

  it('rejects an unknown syntax version and an open backtick', () => {
    expect(() => extractKey({ field: 'a', 'field.syntax.version': 'v3' })).toThrow(ConfigError);
    expect(() => extractKey({ field: '`a.b', 'field.syntax.version': 'V2' })).toThrow(
      'Incomplete backtick pair in path: [`a.b], consider adding a backslash before backtick at position 0 to escape it',
    );
  });

  it('requires field', () => {
    expect(() => extractKey({})).toThrow(
      'Missing required configuration "field" which has no default value.',
    );
  });
});
