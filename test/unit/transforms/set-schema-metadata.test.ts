import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, Struct } from '../../../lib/api/index.js';
import { SetSchemaMetadataKey, SetSchemaMetadataValue } from '../../../lib/transforms/set-schema-metadata.js';
import { sinkRecord } from './records.js';

function setValue(configs: Record<string, unknown>): SetSchemaMetadataValue {
  const xform = new SetSchemaMetadataValue();
  xform.configure(configs);
  return xform;
}

describe('SetSchemaMetadata', () => {
  it('sets the schema name and version', () => {
    const result = setValue({ 'schema.name': 'foo', 'schema.version': '42' }).apply(
      sinkRecord({ valueSchema: SchemaBuilder.struct().build(), value: null }),
    );
    expect(result.valueSchema?.name).toBe('foo');
    expect(result.valueSchema?.version).toBe(42);
  });

  it('rebuilds a Struct on the renamed schema', () => {
    // Prepare (Kafka's updateSchemaOfStruct)
    const schema = SchemaBuilder.struct().name('old').version(1).field('a', Schemas.STRING).build();
    const value = new Struct(schema).put('a', 'x');
    // Act
    const result = setValue({ 'schema.name': 'new' }).apply(sinkRecord({ valueSchema: schema, value }));
    // Assess
    const updated = result.value as Struct;
    expect(updated).not.toBe(value);
    expect(updated.schema).toBe(result.valueSchema);
    expect(updated.get('a')).toBe('x');
    expect(result.valueSchema?.version).toBe(1);
  });

  it('keeps non-struct values and map schemas', () => {
    const schema = SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build();
    const result = setValue({ 'schema.version': 3 }).apply(
      sinkRecord({ valueSchema: schema, value: { a: 1 } }),
    );
    expect(result.valueSchema?.keySchema).toBe(Schemas.STRING);
    expect(result.value).toEqual({ a: 1 });
  });

  it('passes records without schema and value, and requires a schema otherwise', () => {
    const record = sinkRecord({ value: null });
    expect(setValue({ 'schema.name': 'x' }).apply(record)).toBe(record);
    expect(() => setValue({ 'schema.name': 'x' }).apply(sinkRecord({ value: 'v' }))).toThrow(
      'Schema required for [updating schema metadata]',
    );
  });

  it('requires a name or a version', () => {
    expect(() => setValue({})).toThrow('Neither schema name nor version configured');
  });

  it('works on the key in the Key variant', () => {
    const xform = new SetSchemaMetadataKey();
    xform.configure({ 'schema.name': 'k' });
    expect(xform.apply(sinkRecord({ keySchema: Schemas.STRING, key: 'x' })).keySchema?.name).toBe('k');
  });
});
