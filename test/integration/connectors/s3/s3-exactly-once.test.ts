import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoundedConsumer } from '../../../../lib/kafka/bounded-consumer.js';
import { createKafka } from '../../../../lib/kafka/client.js';
import type { ConsumedRecord } from '../../../../lib/kafka/types.js';
import { TaskRunner } from '../../../../lib/runtime/task-runner.js';
import { KAFKA_BROKERS, uniqueName } from '../../../support/services.js';
import { type ConnectFixture, connectFixture } from '../support.js';
import { type FaultyS3, faultyS3, isPart, isPut } from './faulty-s3.js';
import { committed, jsonLines, keys, newBucket, newTopic, openUploads, produce, s3Sink } from './support.js';

// Exactly-once into S3 as Confluent's connector gives it: file names from the first offset of each
// file, offsets committed only for completed uploads, so whatever is read again after a restart or a
// failed upload lands in objects of the same names with the same records — never a duplicate, never
// a differently named object, never a loss.
let cf: ConnectFixture;
let s3: FaultyS3;

beforeAll(async () => {
  cf = await connectFixture('s3-eos');
  s3 = await faultyS3();
});
afterAll(async () => {
  await cf.dispose();
  await s3.close();
});

const PAD = 'x'.repeat(100_000);
const big = (i: number) => Buffer.from(JSON.stringify({ i, pad: PAD }));
const small = (i: number) => Buffer.from(JSON.stringify({ i }));

async function ids(bucket: string): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const key of await keys(bucket)) {
    out[key.slice(key.lastIndexOf('/') + 1)] = (await jsonLines(bucket, key)).map(
      (l) => (l as { i: number }).i,
    );
  }
  return out;
}

const file = (topic: string, offset: number) => `${topic}+0+${String(offset).padStart(10, '0')}.json`;
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

describe('S3 sink exactly-once, polled by the dispatcher', () => {
  it('a worker that restarts with an open file reads its records again into the same object', async () => {
    const bucket = await newBucket();
    const topic = await newTopic('s3-restart');
    const name = uniqueName('s3-restart');
    await produce(range(0, 5).map((i) => ({ topic, key: null, value: small(i) })));
    await cf.create(
      name,
      s3Sink(bucket, { 'topics.regex': topic, 'flush.size': '3', 'value.converter.schemas.enable': 'false' }),
    );
    await cf.until(async () => (await committed(cf, name))[0] === 3);
    // More invocations of the warm task: each joins the group again and re-reads the open file's
    // records (3, 4) from the committed offset; none may produce an object.
    for (let k = 0; k < 3; k++) await cf.tick();
    expect(await ids(bucket)).toEqual({ [file(topic, 0)]: [0, 1, 2] });
    await cf.restartWorker();
    await produce([{ topic, key: null, value: small(5) }]);
    await cf.until(async () => (await committed(cf, name))[0] === 6);
    expect(await ids(bucket)).toEqual({ [file(topic, 0)]: [0, 1, 2], [file(topic, 3)]: [3, 4, 5] });
  });

  it('an upload whose part fails half way is aborted, its records read again into the same object, none lost or doubled', async () => {
    const bucket = await newBucket();
    const topic = await newTopic('s3-part-fault');
    const name = uniqueName('s3-part-fault');
    // 60 records of 100 kB: a 5 MiB part goes out while the file fills, the rest is its last part.
    await produce(range(0, 60).map((i) => ({ topic, key: null, value: big(i) })));
    s3.failNext((method, url) => isPart(method, url) && url.searchParams.get('partNumber') === '2');
    await cf.create(
      name,
      s3Sink(bucket, {
        'topics.regex': topic,
        'store.url': s3.endpoint,
        'flush.size': '60',
        's3.part.size': String(5 * 1024 * 1024),
        's3.part.retries': '0',
        'retry.backoff.ms': '100',
        'value.converter.schemas.enable': 'false',
      }),
    );
    await cf.until(async () => (await committed(cf, name))[0] === 60);
    expect(s3.seen.get('PUT part') ?? 0).toBeGreaterThanOrEqual(4);
    expect(await ids(bucket)).toEqual({ [file(topic, 0)]: range(0, 60) });
    expect(await openUploads(bucket)).toBe(0);
  });

  it('a worker that stops between two parts leaves no object; the file is written whole after the restart', async () => {
    const bucket = await newBucket();
    const topic = await newTopic('s3-part-kill');
    const name = uniqueName('s3-part-kill');
    const partsBefore = s3.seen.get('PUT part') ?? 0;
    await produce(range(0, 55).map((i) => ({ topic, key: null, value: big(i) })));
    await cf.create(
      name,
      s3Sink(bucket, {
        'topics.regex': topic,
        'store.url': s3.endpoint,
        'flush.size': '60',
        's3.part.size': String(5 * 1024 * 1024),
        'value.converter.schemas.enable': 'false',
      }),
    );
    await cf.until(async () => (s3.seen.get('PUT part') ?? 0) > partsBefore);
    expect(await keys(bucket)).toEqual([]);
    await cf.restartWorker();
    await produce(range(55, 60).map((i) => ({ topic, key: null, value: big(i) })));
    await cf.until(async () => (await committed(cf, name))[0] === 60);
    expect(await ids(bucket)).toEqual({ [file(topic, 0)]: range(0, 60) });
  });
});

/** The records of a topic as the event source mapping would hand them over. */
async function consumed(topic: string, count: number): Promise<ConsumedRecord[]> {
  const consumer = new BoundedConsumer(createKafka({ brokers: KAFKA_BROKERS }), {
    groupId: uniqueName('read'),
    topics: [topic],
  });
  const out: ConsumedRecord[] = [];
  try {
    while (out.length < count)
      out.push(...(await consumer.poll({ maxRecords: count, maxBytes: 1 << 26, maxWaitMs: 5_000 })));
  } finally {
    await consumer.stop();
  }
  return out;
}

describe('S3 sink exactly-once under an event source mapping (one topic: every batch is committed)', () => {
  it('uploads every file at the end of a batch, and a batch delivered again writes the same objects', async () => {
    const bucket = await newBucket();
    const topic = await newTopic('s3-esm');
    const name = uniqueName('s3-esm');
    await produce(range(0, 7).map((i) => ({ topic, key: null, value: small(i) })));
    await cf.create(
      name,
      s3Sink(bucket, {
        topics: topic,
        'store.url': s3.endpoint,
        'flush.size': '3',
        's3.part.retries': '0',
        'value.converter.schemas.enable': 'false',
      }),
    );
    const owner = await cf.env.store.configs.get(name);
    if (!owner) throw new Error('connector not stored');
    const records = await consumed(topic, 7);
    const first = records.slice(0, 5);
    const runner = new TaskRunner(cf.env);
    expect(await runner.putRecords(owner, first, Date.now() + 10_000)).toBe('written');
    const afterFirst = { [file(topic, 0)]: [0, 1, 2], [file(topic, 3)]: [3, 4] };
    expect(await ids(bucket)).toEqual(afterFirst);
    // The mapping delivers a batch again when the invocation did not return (a crash after the upload).
    const cold = new TaskRunner(cf.env);
    expect(await cold.putRecords(owner, first, Date.now() + 10_000)).toBe('written');
    expect(await ids(bucket)).toEqual(afterFirst);
    // An upload that fails: the batch is not written, so the mapping delivers it again.
    s3.failNext(isPut);
    const rest = records.slice(5);
    expect(await cold.putRecords(owner, rest, Date.now() + 10_000)).toBe('retriable');
    expect(await cold.putRecords(owner, rest, Date.now() + 10_000)).toBe('written');
    expect(await ids(bucket)).toEqual({ ...afterFirst, [file(topic, 5)]: [5, 6] });
    await runner.close();
    await cold.close();
  });
});
