import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, Struct } from '../../../lib/api/index.js';
import { ReplaceFieldKey, ReplaceFieldValue } from '../../../lib/transforms/replace-field.js';
import { sourceRecord } from './records.js';

function replaceValue(configs: Record<string, unknown>): ReplaceFieldValue {
  const xform = new ReplaceFieldValue();
  xform.configure(configs);
  return xform;
}

describe('ReplaceField', () => {
  it('excludes, includes and renames schemaless fields', () => {
    // Kafka's schemaless test: exclude wins over include
    const result = replaceValue({
      exclude: 'dont',
      include: 'abc,foo,dont',
      renames: 'abc:xyz,foo:bar',
    }).apply(sourceRecord({ value: { dont: 'whatever', abc: 42, foo: true, etc: 'etc' } }));
    expect(result.value).toEqual({ xyz: 42, bar: true });
  });

  it('excludes, includes and renames struct fields', () => {
    // Prepare
    const schema = SchemaBuilder.struct()
      .name('s')
      .field('dont', Schemas.STRING)
      .field('abc', Schemas.INT32)
      .field('foo', Schemas.BOOLEAN)
      .field('etc', Schemas.STRING)
      .build();
    const value = new Struct(schema).put('dont', 'w').put('abc', 42).put('foo', true).put('etc', 'etc');
    // Act
    const result = replaceValue({ exclude: 'dont', renames: 'abc:xyz,foo:bar' }).apply(
      sourceRecord({ valueSchema: schema, value }),
    );
    // Assess
    expect(result.valueSchema?.name).toBe('s');
    expect(result.valueSchema?.fields().map((f) => f.name)).toEqual(['xyz', 'bar', 'etc']);
    const s = result.value as Struct;
    expect([s.get('xyz'), s.get('bar'), s.get('etc')]).toEqual([42, true, 'etc']);
  });

  it.each([
    [true, 7],
    [false, null],
  ])('with replace.null.with.default=%s copies a null field with a default as %j', (replace, expected) => {
    const schema = SchemaBuilder.struct()
      .field('f', SchemaBuilder.int32().optional().defaultValue(7))
      .build();
    const result = replaceValue({ 'replace.null.with.default': replace }).apply(
      sourceRecord({ valueSchema: schema, value: new Struct(schema) }),
    );
    expect((result.value as Struct).getWithoutDefault('f')).toBe(expected);
  });

  it('passes null values through and rejects bad rename mappings', () => {
    const record = sourceRecord({ value: null });
    expect(replaceValue({}).apply(record)).toBe(record);
    expect(() => replaceValue({ renames: 'a:b:c' })).toThrow('Invalid rename mapping: a:b:c');
  });

  it('works on the key in the Key variant', () => {
    const xform = new ReplaceFieldKey();
    xform.configure({ include: 'a' });
    expect(xform.apply(sourceRecord({ key: { a: 1, b: 2 } })).key).toEqual({ a: 1 });
  });
});
