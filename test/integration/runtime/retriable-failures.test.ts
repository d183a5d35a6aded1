import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigDef,
  type RecordMetadata,
  RetriableError,
  Schemas,
  SinkConnector,
  type SinkRecord,
  SinkTask,
  SourceConnector,
  SourceRecord,
  SourceTask,
} from '../../../lib/api/index.js';
import { sinkAlias } from '../../../lib/config/sink-routing.js';
import { BoundedConsumer } from '../../../lib/kafka/bounded-consumer.js';
import { createKafka } from '../../../lib/kafka/client.js';
import { KafkaError } from '../../../lib/kafka/errors.js';
import { RecordProducer } from '../../../lib/kafka/producer.js';
import type { ConsumedRecord } from '../../../lib/kafka/types.js';
import { installedPlugins, PluginRegistry } from '../../../lib/plugins.js';
import { EventBatchRouter } from '../../../lib/runtime/event-batch.js';
import { RETRIABLE_NOTE } from '../../../lib/runtime/task-status.js';
import { type RuntimeFixture, runtimeFixture } from '../../support/runtime.js';
import { KAFKA_BROKERS, uniqueName } from '../../support/services.js';

/** What the test plugins saw, by connector name. */
const seen = {
  committed: new Map<string, { value: string; metadata: RecordMetadata | null }[]>(),
  put: new Map<string, string[]>(),
  putFailures: new Map<string, number>(),
};

/** Emits `count` records `v-0`… in polls of 7, each with its own source offset, then runs dry. */
class CountingSourceTask extends SourceTask {
  private name = '';
  private next = 0;
  private count = 0;
  version = () => 'test';
  async start(props: Readonly<Record<string, string>>) {
    this.name = props.name ?? '';
    this.count = Number(props.count);
    const at = await this.context.offsetStorageReader().offset({ source: this.name });
    this.next = at ? Number(at.next) : 0;
  }
  async poll() {
    if (this.next >= this.count) return null;
    const out: SourceRecord[] = [];
    for (; this.next < this.count && out.length < 7; this.next++) {
      out.push(
        new SourceRecord({
          sourcePartition: { source: this.name },
          sourceOffset: { next: this.next + 1 },
          topic: `${this.name}-out`,
          valueSchema: Schemas.STRING,
          value: `v-${this.next}`,
        }),
      );
    }
    return out;
  }
  override commitRecord(record: SourceRecord, metadata: RecordMetadata | null) {
    const list = seen.committed.get(this.name) ?? [];
    list.push({ value: String(record.value), metadata });
    seen.committed.set(this.name, list);
  }
  stop() {}
}

class CountingSource extends SourceConnector {
  private props: Record<string, string> = {};
  version = () => 'test';
  config = () => new ConfigDef();
  taskClass = () => CountingSourceTask;
  start(props: Readonly<Record<string, string>>) {
    this.props = { ...props };
  }
  taskConfigs = () => [this.props];
  stop() {}
}

/** Throws RetriableError from `put` as many times as `seen.putFailures` says, then writes. */
class FlakySinkTask extends SinkTask {
  private name = '';
  version = () => 'test';
  start(props: Readonly<Record<string, string>>) {
    this.name = props.name ?? '';
    // Longer than a run's budget: each failure ends the run, and the next tick delivers again.
    this.context.timeout(60_000);
  }
  put(records: readonly SinkRecord[]) {
    if (records.length === 0) return;
    const left = seen.putFailures.get(this.name) ?? 0;
    if (left > 0) {
      seen.putFailures.set(this.name, left - 1);
      throw new RetriableError('downstream unavailable');
    }
    const list = seen.put.get(this.name) ?? [];
    list.push(...records.map((r) => String(r.value)));
    seen.put.set(this.name, list);
  }
  stop() {}
}

class FlakySink extends SinkConnector {
  private props: Record<string, string> = {};
  version = () => 'test';
  config = () => new ConfigDef();
  taskClass = () => FlakySinkTask;
  start(props: Readonly<Record<string, string>>) {
    this.props = { ...props };
  }
  taskConfigs = () => [this.props];
  stop() {}
}

let rt: RuntimeFixture;
beforeAll(async () => {
  rt = await runtimeFixture({
    registry: new PluginRegistry([
      ...installedPlugins(),
      { className: 'test.CountingSource', kind: 'source', create: () => new CountingSource() },
      { className: 'test.FlakySink', kind: 'sink', create: () => new FlakySink() },
    ]),
  });
});
afterAll(() => rt.dispose());

const STRINGS = {
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
};

async function readTopic(topic: string): Promise<Map<string, string>> {
  const consumer = new BoundedConsumer(createKafka({ brokers: KAFKA_BROKERS }), {
    groupId: uniqueName('check'),
    topics: [topic],
  });
  const byCoordinates = new Map<string, string>();
  for (let empty = 0; empty < 2; ) {
    const batch = await consumer.poll({ maxRecords: 10_000, maxBytes: 1 << 26, maxWaitMs: 1_500 });
    if (batch.length === 0) empty++;
    for (const r of batch) byCoordinates.set(`${r.topic}/${r.partition}/${r.offset}`, r.value!.toString());
  }
  await consumer.stop();
  return byCoordinates;
}

async function createSource(count: number) {
  const name = uniqueName('src');
  const config = { 'connector.class': 'test.CountingSource', name, count: String(count), ...STRINGS };
  await rt.create({ name, config, type: 'source', taskConfigs: [config] });
  await rt.admin.createTopics([{ topic: `${name}-out`, numPartitions: 1, replicationFactor: 1 }]);
  return name;
}

const taskStatus = async (name: string) => (await rt.env.store.status.getTasks(name))[0];

describe('commitRecord against a real broker', () => {
  it('hands each record the topic, partition and offset it was written at', async () => {
    // Prepare: 100 records in polls of 7; producing overlaps the next poll. One partition: the producer
    // cannot tell the partition its partitioner chose among several (it answers -1 then).
    const name = await createSource(100);
    // Act
    await rt.until(async () => (seen.committed.get(name)?.length ?? 0) >= 100);
    // Assert: reading each record back at the coordinates commitRecord was given finds that record.
    const written = await readTopic(`${name}-out`);
    const committed = seen.committed.get(name)!;
    expect(committed).toHaveLength(100);
    for (const { value, metadata } of committed) {
      expect(metadata).not.toBeNull();
      expect(written.get(`${metadata!.topic}/${metadata!.partition}/${metadata!.offset}`)).toBe(value);
    }
  });
});

describe('retriable failures against a real broker and DynamoDB', () => {
  it('keeps a source RUNNING through produce failures a broker outage causes, then delivers everything', async () => {
    // Prepare: the first two produces fail as kafkajs fails when a partition has no leader.
    const name = await createSource(30);
    const { producer } = rt.env;
    const send = producer.send.bind(producer);
    let failures = 2;
    producer.send = async (records) => {
      if (records.some((r) => r.topic === `${name}-out`) && failures > 0) {
        failures--;
        throw new KafkaError('produce failed: There is no leader for this topic-partition', {
          retriable: true,
        });
      }
      return send(records);
    };
    try {
      // Act: two runs hit the outage, the third gets through.
      const shown: (string | undefined)[] = [];
      for (let i = 0; i < 3; i++) {
        await rt.tick();
        const status = await taskStatus(name);
        shown.push(status?.state);
        if (i === 0) expect(status?.trace).toContain(RETRIABLE_NOTE);
      }
      await rt.until(async () => (await rt.env.store.offsets.getAll(name)).length > 0);
      // Assert: never FAILED; all 30 arrived; the offset committed is the last one.
      expect(shown).not.toContain('FAILED');
      expect(shown[0]).toBe('RUNNING');
      const values = new Set((await readTopic(`${name}-out`)).values());
      expect(values).toEqual(new Set(Array.from({ length: 30 }, (_, i) => `v-${i}`)));
      expect(await rt.env.store.offsets.getAll(name)).toEqual([
        { partition: { source: name }, offset: { next: 30 } },
      ]);
      const status = await taskStatus(name);
      expect(status?.state).toBe('RUNNING');
      expect(status?.trace).toBeUndefined();
    } finally {
      producer.send = send;
    }
  });

  it('redelivers to a polled sink whose put throws RetriableError, never FAILED, and commits once it wrote', async () => {
    // Prepare: 20 records in a topic; the sink's put fails twice.
    const name = uniqueName('sink');
    const topic = uniqueName('in');
    await rt.admin.createTopics([{ topic, numPartitions: 1, replicationFactor: 1 }]);
    const producer = new RecordProducer(createKafka({ brokers: KAFKA_BROKERS }));
    await producer.send(
      Array.from({ length: 20 }, (_, i) => ({
        topic,
        partition: 0,
        key: null,
        value: Buffer.from(`r-${i}`),
        headers: [],
      })),
    );
    await producer.disconnect();
    seen.putFailures.set(name, 2);
    const config = { 'connector.class': 'test.FlakySink', name, topics: topic, ...STRINGS };
    await rt.create({ name, config, type: 'sink', taskConfigs: [config] });
    // Act
    const shown: (string | undefined)[] = [];
    let traced = false;
    await rt.until(async () => {
      const status = await taskStatus(name);
      shown.push(status?.state);
      traced ||= status?.trace?.includes('downstream unavailable') === true;
      return (seen.put.get(name)?.length ?? 0) >= 20;
    }, 60_000);
    // Assert: the task retried while RUNNING, showing why, and wrote each record once it could.
    expect(shown).not.toContain('FAILED');
    expect(traced).toBe(true);
    expect(seen.putFailures.get(name)).toBe(0);
    expect(seen.put.get(name)).toEqual(Array.from({ length: 20 }, (_, i) => `r-${i}`));
    await rt.until(async () =>
      (await rt.admin.groupOffsets(`connect-${name}`)).some((o) => o.topic === topic && o.offset === 20),
    );
  });

  it('on the event-source-mapping path, a put that throws RetriableError is not written and the task stays RUNNING', async () => {
    // Prepare: a mapped sink whose put fails once past the batch's time (context.timeout is 60 s).
    const name = uniqueName('mapped');
    const topic = uniqueName('mapped-in');
    const config = { 'connector.class': 'test.FlakySink', name, topics: topic, ...STRINGS };
    await rt.create({ name, config, type: 'sink', taskConfigs: [config] });
    seen.putFailures.set(name, 1);
    const records = ['a', 'b'].map(
      (v, offset): ConsumedRecord => ({
        topic,
        partition: 0,
        offset,
        timestamp: Date.now(),
        timestampType: 'CreateTime',
        key: null,
        value: Buffer.from(v),
        headers: [],
      }),
    );
    const router = new EventBatchRouter(rt.runner, rt.env.store);
    // Act: the mapping delivers the batch, and (the invocation having failed) delivers it again.
    const first = await router.run(records, Date.now() + 2_000, sinkAlias(name));
    const between = await taskStatus(name);
    const second = await router.run(records, Date.now() + 2_000, sinkAlias(name));
    // Assert: not written and not FAILED the first time (so the sink function fails the invocation and
    // the mapping redelivers); written the second time.
    expect(first.retry.map((r) => r.offset)).toEqual([0]);
    expect(first.failed).toBeUndefined();
    expect(between?.state).toBe('RUNNING');
    expect(between?.trace).toContain(RETRIABLE_NOTE);
    expect(second.retry).toEqual([]);
    expect(seen.put.get(name)).toEqual(['a', 'b']);
  });
});
