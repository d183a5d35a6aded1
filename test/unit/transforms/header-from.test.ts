import { describe, expect, it } from 'vitest';
import { ConfigError, ConnectHeaders, SchemaBuilder, Schemas, Struct } from '../../../lib/api/index.js';
import { HeaderFromKey, HeaderFromValue } from '../../../lib/transforms/header-from.js';
import { sourceRecord } from './records.js';

function headerFrom(operation: string, extra: Record<string, unknown> = {}): HeaderFromValue {
  const xform = new HeaderFromValue();
  xform.configure({ fields: 'field1,field2', headers: 'inserted1,inserted2', operation, ...extra });
  return xform;
}

const schema = SchemaBuilder.struct()
  .field('field1', Schemas.STRING)
  .field('field2', SchemaBuilder.int32().optional().defaultValue(7))
  .field('other', Schemas.STRING)
  .build();

describe('HeaderFrom', () => {
  it('copies struct fields into headers with their schemas', () => {
    // Prepare
    const value = new Struct(schema).put('field1', 'a').put('field2', 2).put('other', 'o');
    const record = sourceRecord({
      valueSchema: schema,
      value,
      headers: new ConnectHeaders().addString('h', 'v'),
    });
    // Act
    const result = headerFrom('copy').apply(record);
    // Assess
    expect(result.value).toBe(value);
    expect([...result.headers].map((h) => [h.key, h.value, h.schema?.type])).toEqual([
      ['h', 'v', 'STRING'],
      ['inserted1', 'a', 'STRING'],
      ['inserted2', 2, 'INT32'],
    ]);
    expect(record.headers.size).toBe(1);
  });

  it('moves struct fields, removing them from the schema', () => {
    const value = new Struct(schema).put('field1', 'a').put('field2', 2).put('other', 'o');
    const result = headerFrom('move').apply(sourceRecord({ valueSchema: schema, value }));
    expect(result.valueSchema?.fields().map((f) => f.name)).toEqual(['other']);
    expect((result.value as Struct).get('other')).toBe('o');
    expect(result.headers.lastWithName('inserted1')?.value).toBe('a');
  });

  it('moves schemaless fields into headers without schema', () => {
    const result = headerFrom('move').apply(sourceRecord({ value: { field1: 'a', field2: 2, other: 'o' } }));
    expect(result.value).toEqual({ other: 'o' });
    expect(result.headers.lastWithName('inserted2')).toEqual({ key: 'inserted2', schema: null, value: 2 });
  });

  it.each([
    [true, 7],
    [false, null],
  ])('with replace.null.with.default=%s copies a null field with a default as %j', (replace, expected) => {
    const value = new Struct(schema).put('field1', 'a').put('other', 'o');
    const result = headerFrom('copy', { 'replace.null.with.default': replace }).apply(
      sourceRecord({ valueSchema: schema, value }),
    );
    expect(result.headers.lastWithName('inserted2')?.value).toBe(expected);
  });

  it('works on the key in the Key variant', () => {
    const xform = new HeaderFromKey();
    xform.configure({ fields: 'a', headers: 'h', operation: 'copy' });
    expect(xform.apply(sourceRecord({ key: { a: 1 } })).headers.lastWithName('h')?.value).toBe(1);
  });

  it('rejects fields and headers of different lengths, and unknown operations', () => {
    const xform = new HeaderFromValue();
    expect(() => xform.configure({ fields: 'a,b', headers: 'h', operation: 'copy' })).toThrow(
      new ConfigError("'fields' config must have the same number of elements as 'headers' config."),
    );
    expect(() => xform.configure({ fields: 'a', headers: 'h', operation: 'bogus' })).toThrow(
      'Invalid value bogus for configuration operation: String must be one of: move, copy',
    );
    expect(() => xform.configure({ fields: '', headers: 'h', operation: 'copy' })).toThrow('Empty list');
  });

  it('requires a Struct with a schema', () => {
    expect(() => headerFrom('copy').apply(sourceRecord({ valueSchema: Schemas.STRING, value: 'x' }))).toThrow(
      'Only Struct objects supported for [header copy], found: java.lang.String',
    );
  });
});
