import { Readable } from 'node:stream';
import { crc32, inflateRawSync } from 'node:zlib';
import avro from 'avsc';
import { parquetMetadata, parquetReadObjects, snappyUncompress } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import {
  BigDecimal,
  ConnectDate,
  ConnectHeaders,
  ConnectTimestamp,
  Decimal,
  type Schema,
  SchemaBuilder,
  Schemas,
  SinkRecord,
  Struct,
} from '../../../../lib/api/index.js';
import { avroFormat } from '../../../../lib/connectors/s3/formats/avro-format.js';
import { byteArrayFormat } from '../../../../lib/connectors/s3/formats/bytearray-format.js';
import type { RecordFormat } from '../../../../lib/connectors/s3/formats/format.js';
import { jsonFormat } from '../../../../lib/connectors/s3/formats/json-format.js';
import { parquetFormat } from '../../../../lib/connectors/s3/formats/parquet-format.js';
import { HEADER_VIEW, KEY_VIEW } from '../../../../lib/connectors/s3/record-views.js';

const ITEM = SchemaBuilder.struct().field('sku', Schemas.STRING).field('qty', Schemas.INT32).build();
const ORDER = SchemaBuilder.struct()
  .name('com.example.Order')
  .field('id', Schemas.INT64)
  .field('small', Schemas.INT8)
  .field('note', Schemas.OPTIONAL_STRING)
  .field('price', Decimal.schema(2))
  .field('day', ConnectDate.SCHEMA)
  .field('at', ConnectTimestamp.SCHEMA)
  .field('ratio', Schemas.FLOAT64)
  .field('ok', Schemas.BOOLEAN)
  .field('raw', Schemas.BYTES)
  .field('tags', SchemaBuilder.array(Schemas.STRING).build())
  .field('items', SchemaBuilder.array(ITEM).build())
  .field('attrs', SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build())
  .build();
const AT = new Date(Date.UTC(2024, 4, 1, 13, 45, 10, 123));
const DAY = new Date(Date.UTC(2024, 4, 1));

function order(id: number | bigint, note: string | null): Struct {
  return new Struct(ORDER)
    .put('id', id)
    .put('small', -3)
    .put('note', note)
    .put('price', new BigDecimal(12345n, 2))
    .put('day', DAY)
    .put('at', AT)
    .put('ratio', 2)
    .put('ok', true)
    .put('raw', new Uint8Array([1, 2, 255]))
    .put('tags', ['a', 'b'])
    .put('items', [new Struct(ITEM).put('sku', 'x').put('qty', 2)])
    .put('attrs', { k: 1 });
}

function record(value: unknown, schema: Schema | null = ORDER, offset = 0): SinkRecord {
  return new SinkRecord({
    topic: 't',
    kafkaPartition: 0,
    kafkaOffset: offset,
    valueSchema: schema,
    value,
    key: 'k1',
    keySchema: Schemas.STRING,
    headers: new ConnectHeaders().addString('h', 'v').addInt('n', 5),
  });
}

function file(format: RecordFormat, values: { schema: Schema | null; value: unknown }[], key = 'k'): Buffer {
  const encoder = format.encoder(key);
  const chunks: Uint8Array[] = [];
  for (const [i, v] of values.entries()) {
    const bytes = encoder.write(v.schema, v.value, record(v.value, v.schema, i));
    if (bytes) chunks.push(bytes);
  }
  const rest = encoder.end();
  if (rest) chunks.push(rest);
  return Buffer.concat(chunks);
}

describe('JsonFormat', () => {
  it('writes Structs as JsonConverter with schemas disabled: logical types as numbers, decimals as base64, a line each', () => {
    const text = file(jsonFormat('BASE64', false), [{ schema: ORDER, value: order(1, null) }]).toString();
    expect(text.endsWith('\n')).toBe(true);
    expect(JSON.parse(text)).toEqual({
      id: 1,
      small: -3,
      note: null,
      price: Buffer.from([0x30, 0x39]).toString('base64'),
      day: 19844,
      at: AT.getTime(),
      ratio: 2,
      ok: true,
      raw: 'AQL/',
      tags: ['a', 'b'],
      items: [{ sku: 'x', qty: 2 }],
      attrs: { k: 1 },
    });
    expect(text).toContain('"ratio":2.0');
  });

  it('writes decimals as numbers with NUMERIC, int64 beyond 2^53 exactly, and schemaless values as Jackson does', () => {
    const numeric = file(jsonFormat('NUMERIC', false), [
      { schema: ORDER, value: order(2n ** 60n, 'x') },
    ]).toString();
    expect(numeric).toContain('"price":123.45');
    expect(numeric).toContain(`"id":${2n ** 60n}`);
    const schemaless = file(jsonFormat('BASE64', false), [
      { schema: null, value: { a: [1, 'b', null], n: Number.NaN } },
      { schema: Schemas.STRING, value: 'plain' },
    ]).toString();
    expect(schemaless).toBe('{"a":[1,"b",null],"n":"NaN"}\n"plain"\n');
  });

  it('names .json, or .json.gz with gzip, and wraps only headers in a struct', () => {
    expect(jsonFormat('BASE64', false).extension).toBe('.json');
    expect(jsonFormat('BASE64', true).extension).toBe('.json.gz');
    expect(jsonFormat('BASE64', true).gzip).toBe(true);
    const headers = HEADER_VIEW.value(record(null), true);
    const json = file(jsonFormat('BASE64', false), [
      { schema: HEADER_VIEW.schema(record(null), true), value: headers },
    ]).toString();
    expect(JSON.parse(json)).toEqual({
      headers: [
        { key: 'h', value: 'v' },
        { key: 'n', value: '5' },
      ],
    });
    expect(KEY_VIEW.value(record(null), false)).toBe('k1');
  });
});

describe('ByteArrayFormat', () => {
  it('writes the raw bytes and the separator, and refuses values that are not bytes', () => {
    const format = byteArrayFormat('.bin', Buffer.from('\r\n'), false);
    expect(
      file(format, [
        { schema: Schemas.BYTES, value: Buffer.from('ab') },
        { schema: Schemas.BYTES, value: Buffer.from('c') },
      ]),
    ).toEqual(Buffer.from('ab\r\nc\r\n'));
    expect(() => file(format, [{ schema: Schemas.STRING, value: 'text' }])).toThrow(
      'ByteArrayFormat needs bytes',
    );
    expect(byteArrayFormat('.bin', Buffer.from('\n'), true).extension).toBe('.bin.gz');
  });
});

const BIG_LONG = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => {
    const n = buf.readBigInt64LE();
    return Number.isSafeInteger(Number(n)) ? Number(n) : n;
  },
  toBuffer: (n: bigint | number) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(BigInt(n));
    return buf;
  },
  fromJSON: Number,
  toJSON: Number,
  isValid: (n: unknown) => typeof n === 'bigint' || Number.isSafeInteger(n),
  compare: (a: number, b: number) => Math.sign(a - b),
});

async function readAvro(bytes: Buffer) {
  const decoder = new avro.streams.BlockDecoder({
    // Longs beyond 2^53 as bigint, as the writer took them.
    parseHook: (schema: avro.Schema) =>
      avro.Type.forSchema(schema, { registry: { long: BIG_LONG } } as never),
    codecs: {
      null: (buf: Buffer, cb: (error: Error | null, out?: Buffer) => void) => cb(null, buf),
      deflate: (buf: Buffer, cb: (error: Error | null, out?: Buffer) => void) =>
        cb(null, inflateRawSync(buf)),
      snappy: (buf: Buffer, cb: (error: Error | null, out?: Buffer) => void) => {
        const data = buf.subarray(0, buf.length - 4);
        const out = Buffer.alloc(snappyLength(data));
        snappyUncompress(data, out);
        cb(crc32(out) === buf.readUInt32BE(buf.length - 4) ? null : new Error('crc'), out);
      },
    },
  });
  let writer: unknown;
  decoder.on('metadata', (_type: avro.Type, _codec: string, header: { meta: Record<string, Buffer> }) => {
    writer = JSON.parse(String(header.meta['avro.schema']));
  });
  const values: unknown[] = [];
  Readable.from([bytes]).pipe(decoder);
  for await (const v of decoder) values.push(v);
  return { writer: writer as Record<string, unknown>, values };
}

function snappyLength(data: Uint8Array): number {
  let result = 0;
  for (let shift = 0, i = 0; ; i++, shift += 7) {
    const c = data[i] as number;
    result |= (c & 0x7f) << shift;
    if (c < 0x80) return result;
  }
}

describe('AvroFormat', () => {
  for (const codec of ['null', 'deflate', 'snappy'] as const) {
    it(`writes an object container file (${codec}) that avsc reads back with Confluent's schema`, async () => {
      const bytes = file(await avroFormat(codec), [
        { schema: ORDER, value: order(1, null) },
        { schema: ORDER, value: order(2n ** 60n, 'n') },
      ]);
      const { writer, values } = await readAvro(bytes);
      expect(writer).toMatchObject({
        name: 'Order',
        namespace: 'com.example',
        'connect.name': 'com.example.Order',
      });
      const fields = Object.fromEntries(
        (writer.fields as { name: string; type: unknown }[]).map((f) => [f.name, f.type]),
      );
      expect(fields.small).toEqual({ type: 'int', 'connect.type': 'int8' });
      expect(fields.note).toEqual(['null', 'string']);
      expect(fields.price).toMatchObject({ type: 'bytes', logicalType: 'decimal', scale: 2, precision: 64 });
      expect(fields.day).toMatchObject({
        type: 'int',
        logicalType: 'date',
        'connect.name': 'org.apache.kafka.connect.data.Date',
      });
      expect(fields.at).toMatchObject({ type: 'long', logicalType: 'timestamp-millis' });
      expect(values).toHaveLength(2);
      const [first, second] = values as Record<string, unknown>[];
      expect(first).toMatchObject({
        id: 1,
        small: -3,
        note: null,
        day: 19844,
        at: AT.getTime(),
        tags: ['a', 'b'],
        items: [{ sku: 'x', qty: 2 }],
        attrs: { k: 1 },
      });
      expect(Buffer.from(first?.price as Buffer)).toEqual(Buffer.from([0x30, 0x39]));
      expect(second?.id).toBe(2n ** 60n);
    });
  }

  it('writes the same bytes for the same records under the same key (no random sync marker)', async () => {
    const values = [{ schema: ORDER, value: order(1, null) }];
    const avro = await avroFormat('null');
    expect(file(avro, values, 'a')).toEqual(file(avro, values, 'a'));
    expect(file(avro, values, 'a')).not.toEqual(file(avro, values, 'b'));
  });
});

describe('ParquetFormat', () => {
  it('writes a file hyparquet reads back with parquet-avro’s types and the values', async () => {
    const bytes = file(parquetFormat('snappy'), [
      { schema: ORDER, value: order(1, null) },
      { schema: ORDER, value: order(2, 'n') },
    ]);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
    const meta = parquetMetadata(buffer);
    const byName = new Map(meta.schema.map((e) => [e.name, e]));
    expect(meta.schema[0]?.name).toBe('Order');
    expect(byName.get('id')).toMatchObject({ type: 'INT64', repetition_type: 'REQUIRED' });
    expect(byName.get('note')).toMatchObject({
      type: 'BYTE_ARRAY',
      converted_type: 'UTF8',
      repetition_type: 'OPTIONAL',
    });
    expect(byName.get('price')).toMatchObject({
      type: 'BYTE_ARRAY',
      converted_type: 'DECIMAL',
      scale: 2,
      precision: 64,
    });
    expect(byName.get('day')).toMatchObject({ type: 'INT32', converted_type: 'DATE' });
    expect(byName.get('at')).toMatchObject({ type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' });
    expect(byName.get('tags')).toMatchObject({ converted_type: 'LIST' });
    expect(byName.get('attrs')).toMatchObject({ converted_type: 'MAP' });
    expect(meta.row_groups[0]?.columns[0]?.meta_data?.codec).toBe('SNAPPY');
    const rows = await parquetReadObjects({ file: buffer });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      id: 1n,
      small: -3,
      price: 123.45,
      ratio: 2,
      ok: true,
      tags: ['a', 'b'],
      items: [{ sku: 'x', qty: 2 }],
      attrs: { k: 1 },
    });
    expect(rows[0]?.day).toEqual(DAY);
    expect(rows[0]?.at).toEqual(AT);
    expect(rows[1]?.note).toBe('n');
  });

  it('names the codec in the extension and refuses values without a Struct schema', () => {
    expect(parquetFormat('snappy').extension).toBe('.snappy.parquet');
    expect(parquetFormat('gzip').extension).toBe('.gz.parquet');
    expect(parquetFormat('none').extension).toBe('.parquet');
    expect(() => file(parquetFormat('none'), [{ schema: Schemas.STRING, value: 'x' }])).toThrow(
      'ParquetFormat needs records with a Struct schema',
    );
    const key = KEY_VIEW.value(record(null), true) as Struct;
    expect(key.schema.name).toBe('RecordKey');
  });
});
