import { describe, expect, it } from 'vitest';
import {
  BigDecimal,
  ConnectDate,
  ConnectTimestamp,
  DataError,
  Decimal,
  SchemaBuilder,
  Schemas,
  Struct,
} from '../../../../lib/api/index.js';
import { toDocument } from '../../../../lib/connectors/elasticsearch/document.js';

const WITH_SCHEMAS = { preprocess: true, compactMapEntries: true };
const IGNORED = { preprocess: false, compactMapEntries: true };
const json = (doc: unknown) => JSON.stringify(doc);

const schema = SchemaBuilder.struct()
  .name('order')
  .field('id', Schemas.INT64)
  .field('price', Decimal.schema(2))
  .field('day', ConnectDate.SCHEMA)
  .field('at', ConnectTimestamp.SCHEMA)
  .field('blob', Schemas.OPTIONAL_BYTES)
  .field('tags', SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build())
  .field('byNumber', SchemaBuilder.map(Schemas.INT32, Schemas.STRING).optional().build())
  .field('note', SchemaBuilder.string().optional().defaultValue('none').build())
  .build();

const order = () =>
  new Struct(schema)
    .put('id', 2n ** 60n + 1n)
    .put('price', BigDecimal.parse('12.34'))
    .put('day', new Date(Date.UTC(2024, 0, 2)))
    .put('at', new Date(1_700_000_000_123))
    .put('blob', new Uint8Array([1, 2, 255]))
    .put('tags', { a: 1 })
    .put('byNumber', new Map([[7, 'seven']]));

describe('documents from Connect values', () => {
  it('writes decimals as doubles, dates as days and epoch ms, bytes as base64, big int64 exactly', () => {
    expect(json(toDocument(order(), schema, WITH_SCHEMAS))).toBe(
      '{"id":1152921504606846977,"price":12.34,"day":19724,"at":1700000000123,"blob":"AQL/","tags":{"a":1},"byNumber":[{"key":7,"value":"seven"}],"note":"none"}',
    );
  });

  it('writes maps as {key, value} documents when compact.map.entries=false', () => {
    const doc = toDocument(order(), schema, { preprocess: true, compactMapEntries: false }) as Record<
      string,
      unknown
    >;
    expect(doc.tags).toEqual([{ key: 'a', value: 1 }]);
  });

  it('with schema.ignore writes as JsonConverter does: decimals base64, non-string maps as pairs', () => {
    const doc = toDocument(order(), schema, IGNORED) as Record<string, unknown>;
    expect(doc.price).toBe('BNI=');
    expect(doc.byNumber).toEqual([[7, 'seven']]);
    expect(doc.tags).toEqual({ a: 1 });
  });

  it('passes schemaless JSON through uncopied and converts what JSON has no form for', () => {
    const value = { a: [1, { b: 'x' }], c: null };
    expect(toDocument(value, null, WITH_SCHEMAS)).toBe(value);
    expect(json(toDocument({ n: 2n ** 63n - 1n, bytes: new Uint8Array([0]) }, null, WITH_SCHEMAS))).toBe(
      '{"n":9223372036854775807,"bytes":"AA=="}',
    );
  });

  it('refuses a required field without value, and a value that does not fit its schema', () => {
    const required = SchemaBuilder.struct().field('x', Schemas.INT32).build();
    expect(() => toDocument(new Struct(required), required, WITH_SCHEMAS)).toThrow(
      'null value for field that is required and has no default value',
    );
    expect(() => toDocument('text', Schemas.INT32, WITH_SCHEMAS)).toThrow(DataError);
    expect(() => toDocument(new Date(), null, WITH_SCHEMAS)).toThrow(DataError);
  });
});
