import { describe, expect, it } from 'vitest';
import { BigDecimal, Decimal, SchemaBuilder, Struct } from '../../../../lib/api/index.js';
import { batches, retryAfterMs } from '../../../../lib/connectors/http/http-sink-task.js';
import { toJson } from '../../../../lib/connectors/http/json-body.js';

describe('HTTP sink helpers', () => {
  it('splits by record count and by bytes', () => {
    expect(batches(['a', 'b', 'c'], 2, 1000)).toEqual([[0, 1], [2]]);
    expect(batches(['x'.repeat(10), 'y'.repeat(10), 'z'], 10, 20)).toEqual([[0], [1, 2]]);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs(null)).toBeUndefined();
  });

  it('renders structs as plain JSON with exact decimals', () => {
    const schema = SchemaBuilder.struct()
      .field('p', Decimal.schema(2))
      .field('at', SchemaBuilder.int64().build())
      .build();
    const value = new Struct(schema).put('p', BigDecimal.parse('1.10')).put('at', 5);
    expect(JSON.stringify(toJson(value))).toBe('{"p":"1.10","at":5}');
  });
});
