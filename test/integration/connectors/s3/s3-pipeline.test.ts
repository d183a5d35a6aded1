import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import avro from 'avsc';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../../support/services.js';
import { type ConnectFixture, connectFixture } from '../support.js';
import {
  committed,
  enveloped,
  jsonLines,
  keys,
  newBucket,
  newTopic,
  object,
  produce,
  s3Sink,
} from './support.js';

// The S3 sink through the REST API and the scheduler's loop (dispatcher tick + task runner), against
// the dev stack's Kafka and S3. These sinks name their topic in topics.regex, so the dispatcher polls
// them with a consumer that honours preCommit (Confluent's file boundaries); the mapping-fed case
// is in s3-exactly-once.test.ts.
let cf: ConnectFixture;

beforeAll(async () => {
  cf = await connectFixture('s3');
});
afterAll(() => cf.dispose());

const ORDER_SCHEMA = {
  type: 'struct',
  name: 'com.example.Order',
  optional: false,
  fields: [
    { field: 'id', type: 'int64', optional: false },
    { field: 'region', type: 'string', optional: false },
    { field: 'note', type: 'string', optional: true },
  ],
};
const order = (id: number, region = 'eu', note: string | null = null) =>
  enveloped(ORDER_SCHEMA, { id, region, note });

async function run(
  name: string,
  config: Record<string, string>,
  done: () => Promise<boolean>,
): Promise<void> {
  await cf.create(name, config);
  await cf.until(done, 60_000);
}

async function settle(name: string, offset: number, partition = 0): Promise<void> {
  await cf.until(async () => (await committed(cf, name))[partition] === offset, 60_000);
}

describe('S3 sink: object keys and contents', () => {
  it('JSON, DefaultPartitioner, flush.size: Confluent’s keys, and the open file stays uncommitted until it is full', async () => {
    const bucket = await newBucket();
    const topic = await newTopic('s3-json');
    const name = uniqueName('s3-json');
    await produce(
      Array.from({ length: 7 }, (_, i) => ({
        topic,
        key: Buffer.from(`k${i}`),
        value: order(i),
        headers: [],
      })),
    );
    await run(
      name,
      s3Sink(bucket, { 'topics.regex': topic, 'flush.size': '3' }),
      async () => (await keys(bucket)).length >= 2,
    );
    await settle(name, 6);
    expect(await keys(bucket)).toEqual([
      `topics/${topic}/partition=0/${topic}+0+0000000000.json`,
      `topics/${topic}/partition=0/${topic}+0+0000000003.json`,
    ]);
    expect(await jsonLines(bucket, `topics/${topic}/partition=0/${topic}+0+0000000003.json`)).toEqual([
      { id: 3, region: 'eu', note: null },
      { id: 4, region: 'eu', note: null },
      { id: 5, region: 'eu', note: null },
    ]);
    // Record 6 waits in the open file, uncommitted; two more fill it.
    await produce([7, 8].map((i) => ({ topic, key: Buffer.from(`k${i}`), value: order(i) })));
    await settle(name, 9);
    const all = await keys(bucket);
    expect(all).toHaveLength(3);
    expect(await jsonLines(bucket, all[2] as string)).toEqual(
      [6, 7, 8].map((id) => ({ id, region: 'eu', note: null })),
    );
  });

  it('FieldPartitioner: <field>=<value> directories, flush.size counted across the open files of a partition', async () => {
    const bucket = await newBucket();
    const topic = await newTopic('s3-field');
    const name = uniqueName('s3-field');
    await produce(
      ['eu', 'us', 'eu', 'us'].map((region, i) => ({ topic, key: null, value: order(i, region) })),
    );
    await run(
      name,
      s3Sink(bucket, {
        'topics.regex': topic,
        'flush.size': '4',
        'partitioner.class': 'io.confluent.connect.storage.partitioner.FieldPartitioner',
        'partition.field.name': 'region',
        'topics.dir': 'lake',
      }),
      async () => (await keys(bucket)).length >= 2,
    );
    expect(await keys(bucket)).toEqual([
      `lake/${topic}/region=eu/${topic}+0+0000000000.json`,
      `lake/${topic}/region=us/${topic}+0+0000000001.json`,
    ]);
    expect(await jsonLines(bucket, `lake/${topic}/region=us/${topic}+0+0000000001.json`)).toEqual([
      { id: 1, region: 'us', note: null },
      { id: 3, region: 'us', note: null },
    ]);
    await settle(name, 4);
  });

  it('HourlyPartitioner with the Record extractor and rotate.interval.ms: files close on record time and on a new hour', async () => {
    const bucket = await newBucket();
    const topic = await newTopic('s3-hourly');
    const name = uniqueName('s3-hourly');
    const t0 = Date.UTC(2024, 4, 1, 13, 0, 5);
    const at = [t0, t0 + 10_000, t0 + 70_000, t0 + 3_600_000, t0 + 3_700_000];
    await produce(at.map((timestamp, i) => ({ topic, key: null, value: order(i), timestamp })));
    await run(
      name,
      s3Sink(bucket, {
        'topics.regex': topic,
        'flush.size': '100',
        'rotate.interval.ms': '60000',
        'partitioner.class': 'io.confluent.connect.storage.partitioner.HourlyPartitioner',
        locale: 'en-US',
        timezone: 'UTC',
        'timestamp.extractor': 'Record',
      }),
      async () => (await keys(bucket)).length >= 3,
    );
    await settle(name, 4);
    const dir = `topics/${topic}/year=2024/month=05/day=01`;
    expect(await keys(bucket)).toEqual([
      `${dir}/hour=13/${topic}+0+0000000000.json`,
      `${dir}/hour=13/${topic}+0+0000000002.json`,
      `${dir}/hour=14/${topic}+0+0000000003.json`,
    ]);
    expect((await jsonLines(bucket, `${dir}/hour=13/${topic}+0+0000000000.json`)).length).toBe(2);
    // Record 4 (100 s after record 3) is in the open file, not committed.
    expect((await jsonLines(bucket, `${dir}/hour=14/${topic}+0+0000000003.json`)).length).toBe(1);
  });

  it('gzip JSON of schemaless values, with the keys and headers files beside each value file', async () => {
    const bucket = await newBucket();
    const topic = await newTopic('s3-gzip');
    const name = uniqueName('s3-gzip');
    await produce(
      [0, 1].map((i) => ({
        topic,
        key: Buffer.from(`key-${i}`),
        value: Buffer.from(JSON.stringify({ n: i, tags: ['a'] })),
        headers: [{ key: 'trace', value: Buffer.from(`t${i}`) }],
      })),
    );
    await run(
      name,
      s3Sink(bucket, {
        'topics.regex': topic,
        'flush.size': '2',
        's3.compression.type': 'gzip',
        'value.converter.schemas.enable': 'false',
        'store.kafka.keys': 'true',
        'store.kafka.headers': 'true',
        'keys.format.class': 'io.confluent.connect.s3.format.json.JsonFormat',
        'headers.format.class': 'io.confluent.connect.s3.format.json.JsonFormat',
      }),
      async () => (await keys(bucket)).length >= 3,
    );
    const base = `topics/${topic}/partition=0/${topic}+0+0000000000`;
    expect(await keys(bucket)).toEqual([
      `${base}.headers.json.gz`,
      `${base}.json.gz`,
      `${base}.keys.json.gz`,
    ]);
    const lines = (key: string) =>
      object(bucket, key).then((b) => gunzipSync(b).toString().trim().split('\n'));
    expect(await lines(`${base}.json.gz`)).toEqual(['{"n":0,"tags":["a"]}', '{"n":1,"tags":["a"]}']);
    expect(await lines(`${base}.keys.json.gz`)).toEqual(['"key-0"', '"key-1"']);
    expect((await lines(`${base}.headers.json.gz`)).map((l) => JSON.parse(l))).toEqual([
      { headers: [{ key: 'trace', value: 't0' }] },
      { headers: [{ key: 'trace', value: 't1' }] },
    ]);
    await settle(name, 2);
  });

  it('Avro: an object container file with Confluent’s writer schema', async () => {
    const bucket = await newBucket();
    const topic = await newTopic('s3-avro');
    const name = uniqueName('s3-avro');
    await produce([0, 1, 2].map((i) => ({ topic, key: null, value: order(i, 'eu', i === 1 ? 'x' : null) })));
    await run(
      name,
      s3Sink(bucket, {
        'topics.regex': topic,
        'flush.size': '3',
        'format.class': 'io.confluent.connect.s3.format.avro.AvroFormat',
        'avro.codec': 'deflate',
      }),
      async () => (await keys(bucket)).length >= 1,
    );
    const key = `topics/${topic}/partition=0/${topic}+0+0000000000.avro`;
    expect(await keys(bucket)).toEqual([key]);
    const decoder = new avro.streams.BlockDecoder();
    let schema: Record<string, unknown> = {};
    decoder.on('metadata', (_t: unknown, codec: string, header: { meta: Record<string, Buffer> }) => {
      schema = { ...JSON.parse(String(header.meta['avro.schema'])), codec };
    });
    Readable.from([await object(bucket, key)]).pipe(decoder);
    const values: unknown[] = [];
    for await (const v of decoder) values.push({ ...(v as object) });
    expect(schema).toMatchObject({
      type: 'record',
      name: 'Order',
      namespace: 'com.example',
      codec: 'deflate',
    });
    expect(values).toEqual([
      { id: 0, region: 'eu', note: null },
      { id: 1, region: 'eu', note: 'x' },
      { id: 2, region: 'eu', note: null },
    ]);
    await settle(name, 3);
  });

  it('Parquet: .snappy.parquet that a reader reads back with the right types', async () => {
    const bucket = await newBucket();
    const topic = await newTopic('s3-parquet');
    const name = uniqueName('s3-parquet');
    await produce([0, 1].map((i) => ({ topic, key: null, value: order(i, 'us', i ? 'n' : null) })));
    await run(
      name,
      s3Sink(bucket, {
        'topics.regex': topic,
        'flush.size': '2',
        'format.class': 'io.confluent.connect.s3.format.parquet.ParquetFormat',
      }),
      async () => (await keys(bucket)).length >= 1,
    );
    const key = `topics/${topic}/partition=0/${topic}+0+0000000000.snappy.parquet`;
    expect(await keys(bucket)).toEqual([key]);
    const bytes = await object(bucket, key);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
    const types = Object.fromEntries(
      parquetMetadata(file).schema.map((e) => [e.name, [e.type, e.repetition_type]]),
    );
    expect(types).toMatchObject({
      id: ['INT64', 'REQUIRED'],
      region: ['BYTE_ARRAY', 'REQUIRED'],
      note: ['BYTE_ARRAY', 'OPTIONAL'],
    });
    expect(await parquetReadObjects({ file })).toEqual([
      { id: 0n, region: 'us', note: null },
      { id: 1n, region: 'us', note: 'n' },
    ]);
    await settle(name, 2);
  });

  it('refuses what Confluent refuses, and what this connector does not do, at validation', async () => {
    const reply = await cf.call('PUT', '/connector-plugins/S3SinkConnector/config/validate', {
      ...s3Sink('b', { topics: 't', 'flush.size': '1' }),
      'connector.class': 'io.confluent.connect.s3.S3SinkConnector',
      's3.compression.type': 'gzip',
      'format.class': 'io.confluent.connect.s3.format.avro.AvroFormat',
      'partitioner.class': 'io.confluent.connect.storage.partitioner.HourlyPartitioner',
      's3.object.tagging': 'true',
      'behavior.on.null.values': 'Write',
    });
    const errors = Object.fromEntries(
      (reply.body.configs as { value: { name: string; errors: string[] } }[]).map((c) => [
        c.value.name,
        c.value.errors,
      ]),
    );
    expect(reply.body.error_count).toBeGreaterThanOrEqual(2);
    expect(errors['s3.compression.type']).toEqual([
      'Compression type gzip is supported only with JsonFormat and ByteArrayFormat.',
    ]);
    expect(errors['s3.object.tagging']?.[0]).toContain('not supported by this connector');
    expect(errors['behavior.on.null.values']).toEqual([
      'behavior.on.null.values=write is not supported by this connector; only ignore or fail.',
    ]);
  });
});
