import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  CreateAliasCommand,
  CreateEventSourceMappingCommand,
  type CreateEventSourceMappingCommandInput,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  ResourceNotFoundException,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import type { MSKEvent, MSKRecord, SelfManagedKafkaEvent } from 'aws-lambda';
import { type Admin, type IHeaders, Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sinkAlias } from '../../../lib/config/sink-routing.js';
import { awsSinkMappings } from '../../../lib/control/aws-sink-mappings.js';
import { createFunctionPool } from '../../../local/aws/environment.js';
import { buildKafkaEvent, type KafkaEvent, type KafkaRecord } from '../../../local/aws/kafka-event.js';
import { type LambdaApi, startLambdaApi } from '../../../local/aws/lambda-api.js';

// Kafka event source mappings created through the simulated Lambda API, polling the real broker of the
// integration stack and invoking a fixture function that records each event and fails on demand.
const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const BROKER = '127.0.0.1:9092';
const MSK = `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/esm-test/0a1b2c3d-1111-2222-3333-444455556666-1`;
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const run = randomUUID().slice(0, 8);
let counter = 0;
const unique = (what: string) => `esm-${what}-${run}-${++counter}`;

interface Entry {
  event: KafkaEvent;
  failing: boolean;
  invokedFunctionArn: string;
}

let kafka: Kafka;
let admin: Admin;
let producer: Producer;
let api: LambdaApi;
let lambda: LambdaClient;
let dir: string;
let uuids: string[];

beforeAll(async () => {
  kafka = new Kafka({ clientId: 'esm-poller-test', brokers: [BROKER], logLevel: logLevel.NOTHING });
  admin = kafka.admin();
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await Promise.all([admin.connect(), producer.connect()]);
});
afterAll(async () => {
  await Promise.all([admin.disconnect(), producer.disconnect()]);
});

beforeEach(async () => {
  api = await startLambdaApi({
    port: 0,
    region: REGION,
    accountId: ACCOUNT,
    kafka: { mskClusters: { [MSK]: [BROKER] }, backoffMs: { initial: 20, max: 100 } },
  });
  lambda = new LambdaClient({
    endpoint: api.url,
    region: REGION,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  dir = mkdtempSync(join(tmpdir(), 'esm-poller-test-'));
  uuids = [];
});
afterEach(async () => {
  lambda.destroy();
  await api.close(); // stops every poller and waits for it
  rmSync(dir, { recursive: true, force: true });
  for (const uuid of uuids) expect(api.eventSourceMappingStats(uuid)?.state ?? 'stopped').toBe('stopped');
});

/** A function (alias `live`) running the recording fixture; `control` says how it fails or answers. */
async function recorder(control: Record<string, unknown> = {}) {
  const name = unique('fn');
  const recordFile = join(dir, `${name}.jsonl`);
  const controlFile = join(dir, `${name}.json`);
  writeFileSync(controlFile, JSON.stringify(control));
  const pool = createFunctionPool({
    name,
    modulePath: fixture('esm-record.mjs'),
    handler: 'esm-record.handler',
    environment: { RECORD_FILE: recordFile, CONTROL_FILE: controlFile },
    timeoutMs: 10_000,
    region: REGION,
    accountId: ACCOUNT,
    onLog: () => {},
  });
  api.registerFunction(name, { pool });
  await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '$LATEST' }));
  return {
    name,
    entries: (): Entry[] => {
      const text = existsSync(recordFile) ? readFileSync(recordFile, 'utf8') : '';
      // Complete lines only: a 5 MB event may be half written while the test reads.
      return text
        .slice(0, text.lastIndexOf('\n') + 1)
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l));
    },
    control: (next: Record<string, unknown>) => writeFileSync(controlFile, JSON.stringify(next)),
  };
}

async function topic(partitions = 1): Promise<string> {
  const name = unique('topic');
  await admin.createTopics({ topics: [{ topic: name, numPartitions: partitions, replicationFactor: 1 }] });
  return name;
}

interface Message {
  value: string | Buffer;
  key?: string | null;
  partition?: number;
  headers?: IHeaders;
  timestamp?: string;
}
const produce = (t: string, messages: Message[]) => producer.send({ topic: t, acks: -1, messages });

/** A self-managed mapping of `<fn>:live` in a fresh group, window 0, unless `overrides` say otherwise. */
async function mapping(fn: string, t: string, overrides: Partial<CreateEventSourceMappingCommandInput> = {}) {
  const groupId = unique('group');
  const created = await lambda.send(
    new CreateEventSourceMappingCommand({
      FunctionName: `${fn}:live`,
      Topics: [t],
      StartingPosition: 'TRIM_HORIZON',
      SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: [BROKER] } },
      SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: groupId },
      MaximumBatchingWindowInSeconds: 0,
      ...overrides,
    }),
  );
  uuids.push(created.UUID as string);
  await get(created.UUID as string); // settles Creating, as a client reading back would
  return { uuid: created.UUID as string, groupId };
}

const get = (uuid: string) => lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }));
const setEnabled = (uuid: string, Enabled: boolean) =>
  lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled }));
const provisioned = { ProvisionedPollerConfig: { MinimumPollers: 1, MaximumPollers: 1 } };

async function until(condition: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(25);
  }
}

/** The group's committed next offsets by partition (-1: none). */
async function committed(groupId: string, t: string): Promise<number[]> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [t] });
  return (offsets?.partitions ?? []).sort((a, b) => a.partition - b.partition).map((p) => Number(p.offset));
}

const recordsOf = (e: Entry) => Object.values(e.event.records).flat();
const valuesOf = (e: Entry) => recordsOf(e).map((r) => Buffer.from(r.value ?? '', 'base64').toString('utf8'));
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** Reads `n` messages of a topic from the start, with a throwaway group. */
async function readTopic(t: string, n: number): Promise<{ key: string; value: string; headers: IHeaders }[]> {
  const consumer = kafka.consumer({ groupId: unique('reader'), maxWaitTimeInMs: 100 });
  const got: { key: string; value: string; headers: IHeaders }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: t, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      got.push({ key: String(message.key), value: String(message.value), headers: message.headers ?? {} });
    },
  });
  await until(() => got.length >= n);
  await consumer.disconnect();
  return got;
}

describe('Kafka event source mapping pollers', () => {
  it('builds the event field for field as AWS documents it, for MSK and self-managed sources', () => {
    // Prepare: the records of AWS's documented example events
    const aws = (file: string) => JSON.parse(readFileSync(fixture(file), 'utf8')).event;
    const msk = aws('kafka-msk-event.aws-example.json') as MSKEvent;
    const selfManaged = aws('kafka-self-managed-event.aws-example.json') as SelfManagedKafkaEvent;
    const example = msk.records['mytopic-0']?.[0] as MSKEvent['records'][string][number];
    const record: KafkaRecord = {
      topic: 'mytopic',
      partition: 0,
      offset: 15,
      timestamp: 1545084650987,
      timestampType: 'CREATE_TIME',
      key: Buffer.from(example.key, 'base64'),
      value: Buffer.from(example.value, 'base64'),
      headers: [['headerKey', Buffer.from('headerValue')]],
    };
    const servers = msk.bootstrapServers.split(',');
    // Act
    const built = buildKafkaEvent({ eventSourceArn: msk.eventSourceArn, bootstrapServers: servers }, [
      record,
    ]);
    const builtSelf = buildKafkaEvent({ bootstrapServers: servers }, [record]);
    // Assess: the same members in the same order, and the same values; the page's key is not canonical
    // base64 (its last character has padding bits set), so it is compared as the bytes it decodes to.
    const shape = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(shape)
        : typeof v === 'object' && v !== null
          ? Object.entries(v).map(([k, x]) => [k, shape(x)])
          : typeof v;
    const keyless = (e: unknown) => JSON.parse(JSON.stringify(e).replace(/"key":"[^"]*"/g, '"key":""'));
    expect(shape(built)).toEqual(shape(msk));
    expect(shape(builtSelf)).toEqual(shape(selfManaged));
    expect(keyless(built)).toEqual(keyless(msk));
    expect(keyless(builtSelf)).toEqual(keyless(selfManaged));
    expect(built.records['mytopic-0']?.[0]?.key).toBe(record.key?.toString('base64'));
    // @types/aws-lambda has key and value always present; Lambda leaves a null key out (kafka-filtering.html).
    type Relaxed = Omit<MSKRecord, 'key' | 'value'> & Partial<Pick<MSKRecord, 'key' | 'value'>>;
    const typed: Omit<MSKEvent, 'records'> & { records: Record<string, Relaxed[]> } = {
      ...built,
      eventSource: 'aws:kafka',
      eventSourceArn: msk.eventSourceArn,
    };
    expect(typed.records).toBe(built.records);
  });

  it('accepts the error-handling controls in either mode and shows them as Lambda does', async () => {
    // Prepare
    const fn = await recorder();
    const t = await topic();
    const controls = {
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 60,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures' as const],
      DestinationConfig: { OnFailure: { Destination: `kafka://${t}-dlt` } },
    };
    // Act
    const onDemand = await mapping(fn.name, t, { ...controls, Enabled: false });
    const withPollers = await mapping(fn.name, t, {
      ...controls,
      Enabled: false,
      ProvisionedPollerConfig: { MinimumPollers: 2 },
    });
    // Assess
    expect(await get(onDemand.uuid)).toMatchObject({
      ...controls,
      LastProcessingResult: 'No records processed',
    });
    expect((await get(onDemand.uuid)).ProvisionedPollerConfig).toBeUndefined();
    expect((await get(withPollers.uuid)).ProvisionedPollerConfig).toEqual({
      MinimumPollers: 2,
      MaximumPollers: 200,
    });
  });

  it('delivers what the broker holds as that event: MSK by ARN, self-managed without one, the alias invoked', async () => {
    // Prepare
    const t = await topic();
    const [mskFn, selfFn] = [await recorder(), await recorder()];
    await produce(t, [
      {
        key: 'k1',
        value: 'v1',
        headers: { h1: 'x', h2: Buffer.from([0xff, 0]) },
        timestamp: '1700000000000',
      },
      { key: null, value: 'v2', timestamp: '1700000000001' },
    ]);
    // Act
    await mapping(mskFn.name, t, {
      SelfManagedEventSource: undefined,
      SelfManagedKafkaEventSourceConfig: undefined,
      EventSourceArn: MSK,
      AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: unique('group') },
    });
    await mapping(selfFn.name, t);
    await until(() => [mskFn, selfFn].every((f) => f.entries().flatMap(recordsOf).length === 2));
    // Assess
    const expected = [
      {
        ...{ topic: t, partition: 0, offset: 0, timestamp: 1700000000000, timestampType: 'CREATE_TIME' },
        ...{ key: b64('k1'), value: b64('v1'), headers: [{ h1: [120] }, { h2: [255, 0] }] },
      },
      {
        topic: t,
        partition: 0,
        offset: 1,
        timestamp: 1700000000001,
        timestampType: 'CREATE_TIME',
        value: b64('v2'),
        headers: [],
      },
    ];
    for (const [f, top] of [
      [mskFn, { eventSource: 'aws:kafka', eventSourceArn: MSK, bootstrapServers: BROKER }],
      [selfFn, { eventSource: 'SelfManagedKafka', bootstrapServers: BROKER }],
    ] as const) {
      const entries = f.entries();
      for (const e of entries) {
        const { records, ...rest } = e.event;
        expect(rest).toEqual(top);
        expect(Object.keys(records)).toEqual([`${t}-0`]);
        expect(e.invokedFunctionArn).toBe(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:${f.name}:live`);
      }
      expect(entries.flatMap(recordsOf)).toEqual(expected);
    }
  });

  it('keeps each partition in order: a partition’s next batch waits until the previous one succeeded', async () => {
    // Prepare: 3 partitions of 12 records, and a function that fails its first 3 invocations
    const t = await topic(3);
    const fn = await recorder({ failFirst: 3 });
    for (let p = 0; p < 3; p++) {
      await produce(
        t,
        Array.from({ length: 12 }, (_, i) => ({ value: `p${p}-${i}`, partition: p })),
      );
    }
    // Act
    const { groupId } = await mapping(fn.name, t, { BatchSize: 5 });
    await until(async () => (await committed(groupId, t)).every((o) => o === 12));
    // Assess: per partition, an invocation repeats a failed batch's first offset or follows a success
    const entries = fn.entries();
    for (let p = 0; p < 3; p++) {
      let last: { first: number; end: number; failing: boolean } | undefined;
      const delivered: number[] = [];
      for (const e of entries) {
        const offsets = (e.event.records[`${t}-${p}`] ?? []).map((r) => r.offset);
        if (offsets.length === 0) continue;
        expect(offsets).toEqual(offsets.map((_, i) => (offsets[0] as number) + i));
        const first = offsets[0] as number;
        if (last !== undefined) expect(first).toBe(last.failing ? last.first : last.end + 1);
        last = { first, end: offsets[offsets.length - 1] as number, failing: e.failing };
        if (!e.failing) delivered.push(...offsets);
      }
      expect(delivered).toEqual([...Array(12).keys()]);
    }
    expect(entries.filter((e) => e.failing)).toHaveLength(3);
  });

  it('cuts batches at BatchSize, and at 6 MB of event', async () => {
    // Prepare: 23 small records, then 6 records of 1 MB (1.33 MB each in base64: 4 fit in 6 MB, 5 do not)
    const [small, big] = [await topic(), await topic()];
    const [smallFn, bigFn] = [await recorder(), await recorder()];
    await produce(
      small,
      Array.from({ length: 23 }, (_, i) => ({ value: `r${i}` })),
    );
    for (let i = 0; i < 6; i++) await produce(big, [{ value: Buffer.alloc(1_000_000, 97 + i) }]);
    // Act
    await mapping(smallFn.name, small, { BatchSize: 5 });
    await mapping(bigFn.name, big, { BatchSize: 100, MaximumBatchingWindowInSeconds: 2 });
    await until(() => smallFn.entries().flatMap(recordsOf).length === 23);
    await until(() => bigFn.entries().flatMap(recordsOf).length === 6);
    // Assess
    const sizes = smallFn.entries().map((e) => recordsOf(e).length);
    expect(Math.max(...sizes)).toBe(5);
    expect(sizes[0]).toBe(5);
    const bigEntries = bigFn.entries();
    expect(bigEntries.every((e) => !e.failing)).toBe(true);
    for (const e of bigEntries)
      expect(Buffer.byteLength(JSON.stringify(e.event))).toBeLessThanOrEqual(6_291_456);
    expect(bigEntries.length).toBeGreaterThan(1);
    expect(recordsOf(bigEntries[0] as Entry).length).toBe(4);
  });

  it('waits out the batching window that the first record opens, gathering later records into the batch', async () => {
    // Prepare: a running mapping with a 1 s window on an empty topic
    const t = await topic();
    const fn = await recorder();
    const { uuid } = await mapping(fn.name, t, { MaximumBatchingWindowInSeconds: 1 });
    await until(() => api.eventSourceMappingStats(uuid)?.state === 'polling');
    await sleep(500); // the group's join and first fetch
    // Act: three records 150 ms apart
    for (const value of ['a', 'b', 'c']) {
      await produce(t, [{ value }]);
      await sleep(150);
    }
    await until(() => fn.entries().flatMap(recordsOf).length === 3);
    // Assess
    expect(fn.entries().map(valuesOf)).toEqual([['a', 'b', 'c']]);
  });

  it('commits only after success: a failing mapping deleted and created again in its group redelivers from the start', async () => {
    // Prepare
    const t = await topic();
    const fn = await recorder({ failAll: true });
    await produce(
      t,
      Array.from({ length: 4 }, (_, i) => ({ value: `r${i}` })),
    );
    const first = await mapping(fn.name, t);
    await until(() => fn.entries().length >= 3);
    const problem = (await get(first.uuid)).LastProcessingResult;
    // Act: kill the mapping while it fails, then run another in the same group
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: first.uuid }));
    await until(async () => (await get(first.uuid).catch((e) => e)) instanceof ResourceNotFoundException);
    const afterFailures = await committed(first.groupId, t);
    fn.control({});
    const groupConfig = { SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: first.groupId } };
    const second = await mapping(fn.name, t, groupConfig);
    await until(async () => (await committed(first.groupId, t))[0] === 4);
    const seen = fn.entries().length;
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: second.uuid }));
    await until(async () => (await get(second.uuid).catch((e) => e)) instanceof ResourceNotFoundException);
    await produce(t, [{ value: 'r4' }]);
    // The group has offsets now, so StartingPosition (here LATEST) does not apply.
    await mapping(fn.name, t, { ...groupConfig, StartingPosition: 'LATEST' });
    await until(async () => (await committed(first.groupId, t))[0] === 5);
    // Assess
    expect(problem).toBe('PROBLEM: Function call failed');
    expect(afterFailures).toEqual([-1]);
    const ok = fn.entries().filter((e) => !e.failing);
    expect(ok.slice(0, -1).flatMap(valuesOf)).toEqual(['r0', 'r1', 'r2', 'r3']);
    expect(fn.entries().slice(seen).flatMap(valuesOf)).toEqual(['r4']);
  });

  it('retries the whole batch until it succeeds by default (on-demand mode ignores MaximumRetryAttempts)', async () => {
    // Prepare
    const t = await topic();
    const fn = await recorder({ failFirst: 3 });
    await produce(
      t,
      Array.from({ length: 5 }, (_, i) => ({ value: `r${i}` })),
    );
    // Act
    const { uuid, groupId } = await mapping(fn.name, t, { BatchSize: 10, MaximumRetryAttempts: 0 });
    await until(async () => (await committed(groupId, t))[0] === 5);
    // Assess
    const entries = fn.entries();
    expect(entries.map((e) => e.failing)).toEqual([true, true, true, false]);
    for (const e of entries) expect(valuesOf(e)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    expect(api.eventSourceMappingStats(uuid)).toMatchObject({ invocations: 4, errors: 3, retries: 3 });
    expect((await get(uuid)).LastProcessingResult).toBe('OK');
  });

  it('provisioned mode: after MaximumRetryAttempts the failed records go to the kafka:// topic and are committed past', async () => {
    // Prepare
    const [t, dlt, dltCapped] = [await topic(), await topic(), await topic()];
    const [fn, capped] = [await recorder({ failValues: ['bad'] }), await recorder({ failValues: ['bad'] })];
    const messages = [
      { key: 'k0', value: 'a' },
      { key: 'k1', value: 'bad', headers: { h: 'x' } },
      { key: 'k2', value: 'c' },
    ];
    await produce(t, messages);
    // Act: 2 retries; and infinite retries with a destination, which Lambda caps at 10
    const { groupId } = await mapping(fn.name, t, {
      ...provisioned,
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: `kafka://${dlt}` } },
    });
    const cappedMapping = await mapping(capped.name, t, {
      ...provisioned,
      DestinationConfig: { OnFailure: { Destination: `kafka://${dltCapped}` } },
    });
    await until(async () => (await committed(groupId, t))[0] === 3);
    await until(async () => (await committed(cappedMapping.groupId, t))[0] === 3);
    await produce(t, [{ value: 'd' }]);
    await until(() => fn.entries().some((e) => valuesOf(e).includes('d')));
    // Assess
    expect(fn.entries().map((e) => [valuesOf(e).length, e.failing])).toEqual([
      [3, true],
      [3, true],
      [3, true],
      [1, false],
    ]);
    expect(capped.entries().filter((e) => e.failing)).toHaveLength(11);
    const written = await readTopic(dlt, 3);
    expect(written.map((m) => [m.key, m.value])).toEqual(messages.map((m) => [m.key, m.value]));
    expect(String(written[1]?.headers.h)).toBe('x');
    expect((await readTopic(dltCapped, 3)).map((m) => m.value)).toEqual(['a', 'bad', 'c']);
  });

  it('provisioned mode: BisectBatchOnFunctionError halves a failed batch until the bad record is alone', async () => {
    // Prepare
    const [t, dlt] = [await topic(), await topic()];
    const fn = await recorder({ failValues: ['v5'] });
    await produce(
      t,
      Array.from({ length: 8 }, (_, i) => ({ value: `v${i}` })),
    );
    // Act
    const { groupId } = await mapping(fn.name, t, {
      ...provisioned,
      BatchSize: 8,
      MaximumBatchingWindowInSeconds: 1,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: `kafka://${dlt}` } },
    });
    await until(async () => (await committed(groupId, t))[0] === 8);
    // Assess
    expect(fn.entries().map(valuesOf)).toEqual([
      ['v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7'],
      ['v0', 'v1', 'v2', 'v3'],
      ['v4', 'v5', 'v6', 'v7'],
      ['v4', 'v5'],
      ['v4'],
      ['v5'],
      ['v6', 'v7'],
    ]);
    expect((await readTopic(dlt, 1)).map((m) => m.value)).toEqual(['v5']);
  });

  it('provisioned mode: a partial batch response retries each reported partition from its lowest offset; a malformed one fails the batch', async () => {
    // Prepare: two partitions of 4 records each, gathered into one batch by a 1 s window
    const [t, t2] = [await topic(2), await topic()];
    const fn = await recorder({ reportOnce: ['p0-3', 'p0-1'] });
    const malformed = await recorder({
      responseOnce: { batchItemFailures: [{ itemIdentifier: `${t2}-0-1` }] },
    });
    for (let p = 0; p < 2; p++) {
      await produce(
        t,
        Array.from({ length: 4 }, (_, i) => ({ value: `p${p}-${i}`, partition: p })),
      );
    }
    await produce(t2, [{ value: 'x0' }, { value: 'x1' }]);
    const settings = {
      ...provisioned,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures' as const],
    };
    // Act
    const { groupId } = await mapping(fn.name, t, settings);
    const other = await mapping(malformed.name, t2, settings);
    await until(async () => (await committed(groupId, t)).every((o) => o === 4));
    await until(async () => (await committed(other.groupId, t2))[0] === 2);
    // Assess
    // (The order of partitions within a batch is the order the fetch returned them in.)
    expect(fn.entries().map((e) => valuesOf(e).sort())).toEqual([
      ['p0-0', 'p0-1', 'p0-2', 'p0-3', 'p1-0', 'p1-1', 'p1-2', 'p1-3'],
      ['p0-1', 'p0-2', 'p0-3'],
    ]);
    expect(malformed.entries().map(valuesOf)).toEqual([
      ['x0', 'x1'],
      ['x0', 'x1'],
    ]);
  });

  it('on-demand mode ignores a partial batch response: the whole batch is committed', async () => {
    // Prepare
    const t = await topic(2);
    const fn = await recorder({ reportOnce: ['p0-1'] });
    for (let p = 0; p < 2; p++) {
      await produce(
        t,
        Array.from({ length: 3 }, (_, i) => ({ value: `p${p}-${i}`, partition: p })),
      );
    }
    // Act
    const { groupId } = await mapping(fn.name, t, {
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    await until(async () => (await committed(groupId, t)).every((o) => o === 3));
    // Assess: one invocation sufficed to commit everything
    expect(fn.entries().map((e) => valuesOf(e).sort())).toEqual([
      ['p0-0', 'p0-1', 'p0-2', 'p1-0', 'p1-1', 'p1-2'],
    ]);
  });

  it('Enabled=false stops polling and leaves the group; enabling again resumes from the committed offset', async () => {
    // Prepare
    const t = await topic();
    const fn = await recorder();
    await produce(t, [{ value: 'r0' }, { value: 'r1' }]);
    const { uuid, groupId } = await mapping(fn.name, t);
    await until(async () => (await committed(groupId, t))[0] === 2);
    // Act
    expect((await setEnabled(uuid, false)).State).toBe('Disabling');
    await until(async () => (await get(uuid)).State === 'Disabled');
    const stateWhenDisabled = api.eventSourceMappingStats(uuid)?.state;
    const { groups } = await admin.describeGroups([groupId]);
    await produce(t, [{ value: 'r2' }]);
    await sleep(700);
    const whileDisabled = fn.entries().length;
    await setEnabled(uuid, true);
    await until(() => fn.entries().flatMap(valuesOf).includes('r2'));
    // Assess
    expect(stateWhenDisabled).toBe('stopped');
    expect(groups[0]?.members).toEqual([]);
    expect(fn.entries().slice(0, whileDisabled).flatMap(valuesOf)).toEqual(['r0', 'r1']);
    expect(
      fn
        .entries()
        .slice(whileDisabled)
        .flatMap(recordsOf)
        .map((r) => r.offset),
    ).toEqual([2]);
  });

  it('our adapter enables a mapping still Disabling (its poller mid-invocation) once it settles, instead of failing', async () => {
    // Prepare: the function takes 1.5 s, so a disabled mapping stays Disabling until its invocation ends,
    // and Lambda refuses any change meanwhile, as a restart of a FAILED sink meets it.
    const t = await topic();
    const fn = await recorder({ delayMs: 1_500 });
    const mappings = awsSinkMappings({
      client: lambda,
      functionName: fn.name,
      source: { bootstrapServers: [BROKER] },
    });
    await mappings.ensure('slow', { topics: [t], groupId: unique('group'), enabled: true });
    const list = await lambda.send(
      new ListEventSourceMappingsCommand({ FunctionName: `${fn.name}:${sinkAlias('slow')}` }),
    );
    const uuid = list.EventSourceMappings?.[0]?.UUID as string;
    uuids.push(uuid);
    await produce(t, [{ value: 'r0' }]);
    await until(() => fn.entries().length === 1);
    await mappings.setEnabled('slow', false);
    const refused = await setEnabled(uuid, true).catch((e: Error) => e.name);
    // Act
    await mappings.setEnabled('slow', true);
    // Assess
    expect(refused).toBe('ResourceInUseException');
    expect((await get(uuid)).State).toBe('Enabled');
    await produce(t, [{ value: 'r1' }]);
    await until(() => fn.entries().flatMap(valuesOf).includes('r1'));
  });

  it('delete stops the poller before the mapping disappears', async () => {
    // Prepare
    const t = await topic();
    const fn = await recorder();
    await produce(t, [{ value: 'r0' }]);
    const { uuid, groupId } = await mapping(fn.name, t);
    await until(() => fn.entries().length === 1);
    // Act
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: uuid }));
    await until(async () => (await get(uuid).catch((e) => e)) instanceof ResourceNotFoundException);
    const state = api.eventSourceMappingStats(uuid)?.state;
    const { groups } = await admin.describeGroups([groupId]);
    await produce(t, [{ value: 'r1' }]);
    await sleep(700);
    // Assess
    expect(state).toBe('stopped');
    expect(groups[0]?.members).toEqual([]);
    expect(fn.entries().flatMap(valuesOf)).toEqual(['r0']);
  });
});
