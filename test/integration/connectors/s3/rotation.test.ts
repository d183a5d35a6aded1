import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import {
  type ErrantRecordReporter,
  type Schema,
  SchemaBuilder,
  Schemas,
  SinkRecord,
  type SinkTaskContext,
  Struct,
  type TopicPartitionOffset,
} from '../../../../lib/api/index.js';
import { S3SinkTask } from '../../../../lib/connectors/s3/s3-sink-task.js';
import { S3_ENDPOINT, uniqueName } from '../../../support/services.js';
import { faultyS3, isPut } from './faulty-s3.js';
import { CREDENTIALS, jsonLines, keys, newBucket, s3 } from './support.js';

// Confluent's rules for closing files, one by one, on the task itself against the dev stack's S3: the
// records are built here, so each rule gets exactly the sequence that triggers it.
const V1 = SchemaBuilder.struct()
  .name('v')
  .field('id', Schemas.INT32)
  .field('region', Schemas.STRING)
  .build();
const V2 = SchemaBuilder.struct()
  .name('v')
  .version(2)
  .field('id', Schemas.INT32)
  .field('region', Schemas.STRING)
  .build();

interface Harness {
  task: S3SinkTask;
  bucket: string;
  topic: string;
  seeks: TopicPartitionOffset[];
  reported: SinkRecord[];
  put(records: SinkRecord[]): Promise<void>;
  commit(): Promise<number | undefined>;
  files(): Promise<Record<string, number[]>>;
}

/** The runtime's side of a task, recording what the task asks of it. */
function taskContext(topic: string, reporter: boolean) {
  const seeks: TopicPartitionOffset[] = [];
  const reported: SinkRecord[] = [];
  const errant: ErrantRecordReporter = { report: async (r) => void reported.push(r) };
  const context: SinkTaskContext = {
    configs: () => ({}),
    offset: (o) => void seeks.push(...o),
    timeout: () => {},
    assignment: () => [{ topic, partition: 0 }],
    pause: () => {},
    resume: () => {},
    requestCommit: () => {},
    errantRecordReporter: () => (reporter ? errant : null),
  };
  return { context, seeks, reported };
}

async function harness(config: Record<string, string>, reporter = false): Promise<Harness> {
  const bucket = await newBucket();
  const topic = uniqueName('rot');
  const { context, seeks, reported } = taskContext(topic, reporter);
  const task = new S3SinkTask();
  task.initialize(context);
  await task.start({
    'topics.regex': topic,
    's3.bucket.name': bucket,
    's3.region': 'us-east-1',
    'store.url': S3_ENDPOINT,
    'aws.access.key.id': CREDENTIALS.accessKeyId,
    'aws.secret.access.key': CREDENTIALS.secretAccessKey,
    'storage.class': 'io.confluent.connect.s3.storage.S3Storage',
    'format.class': 'io.confluent.connect.s3.format.json.JsonFormat',
    ...config,
  });
  await task.open([{ topic, partition: 0 }]);
  return {
    task,
    bucket,
    topic,
    seeks,
    reported,
    put: (records) => task.put(records),
    commit: async () => (await task.preCommit([])).find((o) => o.partition === 0)?.offset,
    async files() {
      const out: Record<string, number[]> = {};
      for (const key of await keys(bucket)) {
        const name = key.slice(`topics/${topic}/`.length);
        out[name] = (await jsonLines(bucket, key)).map((l) => (l as { id: number }).id);
      }
      return out;
    },
  };
}

/** A record of `{id, region}` as a Struct of `schema`, or schemaless with `schema` null, or a tombstone. */
function rec(
  h: Harness,
  offset: number,
  value: { id: number; region: string } | null,
  schema: Schema | null = V1,
): SinkRecord {
  const v = value && schema ? new Struct(schema).put('id', value.id).put('region', value.region) : value;
  return new SinkRecord({
    topic: h.topic,
    kafkaPartition: 0,
    kafkaOffset: offset,
    valueSchema: value ? schema : null,
    value: v,
  });
}

const name = (h: Harness, offset: number, dir = 'partition=0') =>
  `${dir}/${h.topic}+0+${String(offset).padStart(10, '0')}.json`;

describe('S3 sink: when a file closes', () => {
  it('answers no offset until a file completes, then the offset after its last record', async () => {
    const h = await harness({ 'flush.size': '3' });
    await h.put([0, 1].map((i) => rec(h, i, { id: i, region: 'eu' })));
    expect(await h.commit()).toBeUndefined();
    await h.put([2, 3].map((i) => rec(h, i, { id: i, region: 'eu' })));
    expect(await h.commit()).toBe(3);
    expect(await h.commit()).toBeUndefined();
    expect(await h.files()).toEqual({ [name(h, 0)]: [0, 1, 2] });
    await h.task.stop();
  });

  it('a schema change commits the open files before the record; so does a switch to a schemaless value', async () => {
    const h = await harness({ 'flush.size': '100' });
    await h.put([
      rec(h, 0, { id: 0, region: 'eu' }, V1),
      rec(h, 1, { id: 1, region: 'eu' }, V1),
      rec(h, 2, { id: 2, region: 'eu' }, V2),
      new SinkRecord({
        topic: h.topic,
        kafkaPartition: 0,
        kafkaOffset: 3,
        valueSchema: null,
        value: { id: 3 },
      }),
      rec(h, 4, { id: 4, region: 'eu' }, V2),
    ]);
    expect(await h.commit()).toBe(4);
    expect(await h.files()).toEqual({ [name(h, 0)]: [0, 1], [name(h, 2)]: [2], [name(h, 3)]: [3] });
    await h.task.stop();
  });

  it('partitioner.max.open.files: a record needing one more file commits the open ones', async () => {
    const h = await harness({
      'flush.size': '100',
      'partitioner.class': 'io.confluent.connect.storage.partitioner.FieldPartitioner',
      'partition.field.name': 'region',
      'partitioner.max.open.files': '2',
    });
    await h.put(['eu', 'us', 'eu', 'ap', 'eu'].map((region, i) => rec(h, i, { id: i, region })));
    expect(await h.commit()).toBe(3);
    expect(await h.files()).toEqual({ [name(h, 0, 'region=eu')]: [0, 2], [name(h, 1, 'region=us')]: [1] });
    await h.task.stop();
  });

  it('rotate.schedule.interval.ms commits on the wall clock, also on a put without records', async () => {
    const h = await harness({
      'flush.size': '100',
      'rotate.schedule.interval.ms': '3600000',
      timezone: 'UTC',
    });
    let now = Date.UTC(2024, 4, 1, 13, 10);
    h.task.now = () => now;
    await h.task.open([{ topic: h.topic, partition: 0 }]);
    await h.put([0, 1].map((i) => rec(h, i, { id: i, region: 'eu' })));
    now = Date.UTC(2024, 4, 1, 13, 59);
    await h.put([]);
    expect(await h.commit()).toBeUndefined();
    now = Date.UTC(2024, 4, 1, 14, 0, 1);
    await h.put([]);
    expect(await h.commit()).toBe(2);
    expect(await h.files()).toEqual({ [name(h, 0)]: [0, 1] });
    await h.task.stop();
  });

  it('records read again from an earlier offset replace the open file, so nothing is written twice', async () => {
    const h = await harness({ 'flush.size': '3' });
    await h.put([0, 1, 2, 3, 4].map((i) => rec(h, i, { id: i, region: 'eu' })));
    expect(await h.commit()).toBe(3);
    // The runtime read again from the committed offset (a rejoin): 3 and 4 come again, then 5.
    await h.put([3, 4, 5].map((i) => rec(h, i, { id: i, region: 'eu' })));
    expect(await h.commit()).toBe(6);
    expect(await h.files()).toEqual({ [name(h, 0)]: [0, 1, 2], [name(h, 3)]: [3, 4, 5] });
    await h.task.stop();
  });

  it('a failed upload asks the runtime to read again from the file’s first offset after retry.backoff.ms', async () => {
    const relay = await faultyS3();
    try {
      const h = await harness({
        'flush.size': '2',
        'store.url': relay.endpoint,
        's3.part.retries': '0',
        'retry.backoff.ms': '60000',
      });
      relay.failNext(isPut);
      await h.put([0, 1, 2].map((i) => rec(h, i, { id: i, region: 'eu' })));
      expect(h.seeks).toEqual([{ topic: h.topic, partition: 0, offset: 0 }]);
      expect(await h.commit()).toBeUndefined();
      // Within the backoff the partition's records are not written; they are asked for again.
      await h.put([0, 1].map((i) => rec(h, i, { id: i, region: 'eu' })));
      expect(h.seeks.at(-1)).toEqual({ topic: h.topic, partition: 0, offset: 0 });
      expect(await h.files()).toEqual({});
      await h.task.stop();
    } finally {
      await relay.close();
    }
  });

  it('tombstones: ignore skips them (to the errant record reporter), fail fails the put', async () => {
    const ignore = await harness({ 'flush.size': '2', 'behavior.on.null.values': 'ignore' }, true);
    await ignore.put([
      rec(ignore, 0, { id: 0, region: 'eu' }),
      rec(ignore, 1, null, null),
      rec(ignore, 2, { id: 2, region: 'eu' }),
    ]);
    expect(ignore.reported.map((r) => r.kafkaOffset)).toEqual([1]);
    expect(await ignore.files()).toEqual({ [name(ignore, 0)]: [0, 2] });
    await ignore.task.stop();
    const fail = await harness({ 'flush.size': '2' });
    await expect(fail.put([rec(fail, 0, null, null)])).rejects.toThrow(
      'Null valued records are not writeable',
    );
    await fail.task.stop();
  });

  it('a record its partitioner cannot place goes to the errant record reporter when there is one', async () => {
    const h = await harness(
      {
        'flush.size': '2',
        'partitioner.class': 'io.confluent.connect.storage.partitioner.FieldPartitioner',
        'partition.field.name': 'region',
      },
      true,
    );
    await h.put([
      rec(h, 0, { id: 0, region: 'eu' }),
      new SinkRecord({
        topic: h.topic,
        kafkaPartition: 0,
        kafkaOffset: 1,
        valueSchema: null,
        value: { region: 'eu' },
      }),
      rec(h, 2, { id: 2, region: 'eu' }),
    ]);
    expect(h.reported.map((r) => r.kafkaOffset)).toEqual([1]);
    expect(await h.files()).toEqual({ [name(h, 0, 'region=eu')]: [0, 2] });
    await h.task.stop();
  });

  it('with one topic (fed by an event source mapping on AWS) every batch ends with its files uploaded', async () => {
    const h = await harness({ 'flush.size': '3' });
    const single = new S3SinkTask();
    single.initialize(taskContext(h.topic, false).context);
    await single.start({
      topics: h.topic,
      's3.bucket.name': h.bucket,
      's3.region': 'us-east-1',
      'store.url': S3_ENDPOINT,
      'aws.access.key.id': CREDENTIALS.accessKeyId,
      'aws.secret.access.key': CREDENTIALS.secretAccessKey,
      'storage.class': 'io.confluent.connect.s3.storage.S3Storage',
      'format.class': 'io.confluent.connect.s3.format.json.JsonFormat',
      'flush.size': '3',
    });
    await single.put([0, 1, 2, 3, 4].map((i) => rec(h, i, { id: i, region: 'eu' })));
    expect(await single.preCommit([])).toEqual([{ topic: h.topic, partition: 0, offset: 5 }]);
    expect(await h.files()).toEqual({ [name(h, 0)]: [0, 1, 2], [name(h, 3)]: [3, 4] });
    await single.stop();
    await h.task.stop();
  });
});

describe('S3 sink: uploads', () => {
  const CUSTOMER_KEY = Buffer.alloc(32, 7).toString('base64');
  const cases: {
    label: string;
    size: number;
    config: Record<string, string>;
    head: object;
    expect: object;
  }[] = [
    {
      // S3Mock reports SSE-S3 on HEAD only for objects PUT whole, so this one stays below a part.
      label: 'SSE-S3',
      size: 1000,
      config: { 's3.ssea.name': 'AES256' },
      head: {},
      expect: { ServerSideEncryption: 'AES256' },
    },
    {
      label: 'SSE-C, multipart',
      size: 3 * 1024 * 1024,
      config: { 's3.ssea.name': 'AES256', 's3.sse.customer.key': CUSTOMER_KEY },
      head: { SSECustomerAlgorithm: 'AES256', SSECustomerKey: CUSTOMER_KEY },
      expect: { SSECustomerAlgorithm: 'AES256' },
    },
  ];
  for (const c of cases) {
    it(`encrypts every object as s3.ssea.name says (${c.label})`, async () => {
      const h = await harness({ 'flush.size': '2', 's3.part.size': String(5 * 1024 * 1024), ...c.config });
      const pad = 'p'.repeat(c.size);
      await h.put([0, 1].map((i) => rec(h, i, { id: i, region: pad })));
      expect(await h.commit()).toBe(2);
      const [key] = await keys(h.bucket);
      const head = await s3.send(new HeadObjectCommand({ Bucket: h.bucket, Key: key, ...c.head }));
      expect(head).toMatchObject(c.expect);
      expect(head.ContentLength).toBeGreaterThan(2 * c.size);
      await h.task.stop();
    });
  }
});
