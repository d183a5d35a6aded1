import { describe, expect, it } from 'vitest';
import { Schemas, type Struct } from '../../../lib/api/index.js';
import { HoistFieldKey, HoistFieldValue } from '../../../lib/transforms/hoist-field.js';
import { sourceRecord } from './records.js';

describe('HoistField', () => {
  it('wraps a schemaless key in a map', () => {
    const xform = new HoistFieldKey();
    xform.configure({ field: 'magic' });
    const result = xform.apply(sourceRecord({ key: 42 }));
    expect(result.keySchema).toBeNull();
    expect(result.key).toEqual({ magic: 42 });
  });

  it('wraps a key with schema in a one-field struct', () => {
    const xform = new HoistFieldKey();
    xform.configure({ field: 'magic' });
    const result = xform.apply(sourceRecord({ keySchema: Schemas.INT32, key: 42 }));
    expect(result.keySchema?.field('magic')?.schema).toBe(Schemas.INT32);
    expect((result.key as Struct).getInt32('magic')).toBe(42);
  });

  it('wraps the value in the Value variant and requires field', () => {
    const xform = new HoistFieldValue();
    expect(() => xform.configure({})).toThrow('Missing required configuration "field"');
    xform.configure({ field: 'v' });
    expect(xform.apply(sourceRecord({ value: 'x' })).value).toEqual({ v: 'x' });
  });
});
