import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  HASHED_KEY_PREFIX,
  partitionKey,
  updateExpression,
} from '../../../lib/store/codec.js';

describe('canonical partition keys', () => {
  it('gives maps with the same entries in any key order the same key, at every depth', () => {
    // Act
    const a = partitionKey({ b: 1, a: { y: [1, { d: 2, c: 3 }], x: null } });
    const b = partitionKey({ a: { x: null, y: [1, { c: 3, d: 2 }] }, b: 1 });
    // Assess
    expect(a).toBe(b);
    expect(a).toBe('{"a":{"x":null,"y":[1,{"c":3,"d":2}]},"b":1}');
  });

  it('tells apart maps that differ only in a value type', () => {
    // Act
    const number = canonicalJson({ p: 1 });
    const text = canonicalJson({ p: '1' });
    // Assess
    expect(number).not.toBe(text);
  });

  it('hashes a partition whose JSON exceeds the 1024-byte sort key limit', () => {
    // Act
    const short = partitionKey({ f: 'x'.repeat(1000) });
    const long = partitionKey({ f: 'é'.repeat(600) });
    // Assess
    expect(short.startsWith('{')).toBe(true);
    expect(long).toMatch(new RegExp(`^${HASHED_KEY_PREFIX}[0-9a-f]{64}$`));
  });
});

describe('updateExpression', () => {
  it('builds SET, ADD and REMOVE clauses through name and value placeholders', () => {
    // Act
    const parts = updateExpression({
      set: { state: { S: 'RUNNING' } },
      add: { total: { N: '3' } },
      remove: ['trace'],
    });
    // Assess
    expect(parts).toEqual({
      UpdateExpression: 'SET #state = :state ADD #total :total REMOVE #trace',
      ExpressionAttributeNames: { '#state': 'state', '#total': 'total', '#trace': 'trace' },
      ExpressionAttributeValues: { ':state': { S: 'RUNNING' }, ':total': { N: '3' } },
    });
  });

  it('leaves out the values map when only removing', () => {
    // Act
    const parts = updateExpression({ remove: ['a', 'b'] });
    // Assess
    expect(parts).toEqual({
      UpdateExpression: 'REMOVE #a, #b',
      ExpressionAttributeNames: { '#a': 'a', '#b': 'b' },
    });
  });
});
