import { describe, expect, it } from 'vitest';
import { ConnectHeaders } from '../../../lib/api/index.js';
import { DropHeaders } from '../../../lib/transforms/drop-headers.js';
import { InsertHeader } from '../../../lib/transforms/insert-header.js';
import { sourceRecord } from './records.js';

describe('DropHeaders', () => {
  it('removes every header with a listed key and keeps the rest in order', () => {
    // Prepare
    const headers = new ConnectHeaders()
      .addString('a', '1')
      .addString('b', '2')
      .addString('a', '3')
      .addInt('c', 4);
    const record = sourceRecord({ value: 'v', headers });
    const xform = new DropHeaders();
    xform.configure({ headers: 'a,c' });
    // Act
    const result = xform.apply(record);
    // Assess
    expect([...result.headers].map((h) => h.key)).toEqual(['b']);
    expect(record.headers.size).toBe(4);
  });

  it('requires a non-empty list', () => {
    expect(() => new DropHeaders().configure({ headers: '' })).toThrow(
      'Invalid value [] for configuration headers: Empty list',
    );
  });
});

describe('InsertHeader', () => {
  it.each([
    ['42', 42, 'INT8'],
    ['true', true, 'BOOLEAN'],
    ['hello', 'hello', 'STRING'],
    ['2024-01-31', new Date(Date.UTC(2024, 0, 31)), 'INT32'],
  ])('adds the literal %j parsed like Values.parseString', (literal, value, type) => {
    // Prepare
    const xform = new InsertHeader();
    xform.configure({ header: 'inserted', 'value.literal': literal });
    // Act
    const result = xform.apply(sourceRecord({ headers: new ConnectHeaders().addString('existing', 'x') }));
    // Assess
    expect(result.headers.size).toBe(2);
    expect(result.headers.lastWithName('inserted')?.value).toEqual(value);
    expect(result.headers.lastWithName('inserted')?.schema?.type).toBe(type);
  });

  it('requires header and value.literal', () => {
    expect(() => new InsertHeader().configure({ header: 'h' })).toThrow(
      'Missing required configuration "value.literal" which has no default value.',
    );
  });
});
