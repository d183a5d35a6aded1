import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigDef,
  type ConnectorProps,
  SinkConnector,
  type SinkRecord,
  SinkTask,
  type TopicPartition,
} from '../../../lib/api/index.js';
import { createKafka } from '../../../lib/kafka/client.js';
import { installedPlugins, PluginRegistry } from '../../../lib/plugins.js';
import { type RuntimeFixture, runtimeFixture } from '../../support/runtime.js';
import { KAFKA_BROKERS, uniqueName } from '../../support/services.js';

// A sink that records what the runtime tells it (open, put, close) and asks, through its context, what
// connectors that keep their own offsets or throttle partitions ask: seeks and pauses.
interface Script {
  events: string[];
  delivered: { partition: number; offset: number }[];
  onOpen?(task: ScriptedTask, partitions: readonly TopicPartition[]): void;
  onPut?(task: ScriptedTask, records: readonly SinkRecord[]): void;
}
const SCRIPTS = new Map<string, Script>();

class ScriptedSinkConnector extends SinkConnector {
  static readonly CLASS_NAME = 'test.ScriptedSinkConnector';
  private props: ConnectorProps = {};
  version = () => 'test';
  config = () => new ConfigDef();
  taskClass = () => ScriptedTask;
  start(props: ConnectorProps) {
    this.props = props;
  }
  taskConfigs() {
    return [{ ...this.props }];
  }
  stop() {}
}

class ScriptedTask extends SinkTask {
  script!: Script;
  version = () => 'test';
  get ctx() {
    return this.context;
  }
  start(props: Readonly<Record<string, string>>) {
    this.script = SCRIPTS.get(props.name ?? '')!;
  }
  override open(partitions: readonly TopicPartition[]) {
    this.script.events.push(`open ${names(partitions)}`);
    this.script.onOpen?.(this, partitions);
  }
  put(records: readonly SinkRecord[]) {
    if (records.length === 0) return;
    this.script.events.push(`put ${records.length}`);
    for (const r of records)
      this.script.delivered.push({ partition: r.kafkaPartition!, offset: r.kafkaOffset });
    this.script.onPut?.(this, records);
  }
  override close(partitions: readonly TopicPartition[]) {
    this.script.events.push(`close ${names(partitions)}`);
  }
  stop() {
    this.script.events.push('stop');
  }
}

const names = (tps: readonly TopicPartition[]) =>
  tps
    .map((tp) => tp.partition)
    .sort()
    .join(',');

let rt: RuntimeFixture;
beforeAll(async () => {
  const registry = new PluginRegistry([
    ...installedPlugins(),
    { className: ScriptedSinkConnector.CLASS_NAME, kind: 'sink', create: () => new ScriptedSinkConnector() },
  ]);
  rt = await runtimeFixture({ registry });
});
afterAll(() => rt.dispose());

/** A topic with `counts[p]` records in partition p, values `p:offset`. */
async function topicWith(counts: number[]): Promise<string> {
  const topic = uniqueName('ctx');
  await rt.admin.createTopics([{ topic, numPartitions: counts.length, replicationFactor: 1 }]);
  const producer = createKafka({ brokers: KAFKA_BROKERS }).producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: counts.flatMap((n, partition) =>
      Array.from({ length: n }, (_, i) => ({ partition, value: `${partition}:${i}` })),
    ),
  });
  await producer.disconnect();
  return topic;
}

async function runSink(
  topic: string,
  script: Omit<Script, 'events' | 'delivered'>,
  until: (s: Script) => boolean,
  extra: Record<string, string> = {},
) {
  const name = uniqueName('ctx-sink');
  const full: Script = { events: [], delivered: [], ...script };
  SCRIPTS.set(name, full);
  const config = {
    'connector.class': ScriptedSinkConnector.CLASS_NAME,
    name,
    topics: topic,
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    ...extra,
  };
  await rt.create({ name, config, type: 'sink', taskConfigs: [config] });
  await rt.until(() => until(full));
  await rt.tick(); // one more batch: anything delivered twice or late shows up too
  const committed = await rt.admin.groupOffsets(`connect-${name}`);
  // Delete the connector and stop its warm task, so later ticks in this file leave it alone.
  await rt.env.store.configs.delete(name);
  await rt.runner.retain(new Set());
  return { ...full, committed: committed.sort((a, b) => a.partition - b.partition) };
}

const offsetsOf = (s: Script, partition: number) =>
  s.delivered.filter((d) => d.partition === partition).map((d) => d.offset);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('the sink task context', () => {
  it('opens the assigned partitions before the first put, honours a seek asked in open, and closes them at stop', async () => {
    // Prepare: the task keeps its own position for partition 0 (next: offset 6).
    const topic = await topicWith([10, 10]);
    // Act
    const run = await runSink(
      topic,
      { onOpen: (task) => task.ctx.offset([{ topic, partition: 0, offset: 6 }]) },
      (s) => s.delivered.length >= 14,
    );
    // Assess
    expect(run.events[0]).toBe('open 0,1');
    expect(run.events.slice(-2)).toEqual(['close 0,1', 'stop']);
    expect(offsetsOf(run, 0)).toEqual(range(6, 10));
    expect(offsetsOf(run, 1)).toEqual(range(0, 10));
    expect(run.committed).toEqual([
      { topic, partition: 0, offset: 10 },
      { topic, partition: 1, offset: 10 },
    ]);
  });

  it('reads a partition again from the offset the task rewinds it to during put', async () => {
    // Prepare
    const topic = await topicWith([10]);
    let rewound = false;
    // Act: once offset 9 was put, the task asks for everything from offset 5 again.
    const run = await runSink(
      topic,
      {
        onPut: (task, records) => {
          if (rewound || !records.some((r) => r.kafkaOffset === 9)) return;
          rewound = true;
          task.ctx.offset([{ topic, partition: 0, offset: 5 }]);
        },
      },
      (s) => s.delivered.length >= 15,
    );
    // Assess
    expect(offsetsOf(run, 0)).toEqual([...range(0, 10), ...range(5, 10)]);
    expect(run.committed).toEqual([{ topic, partition: 0, offset: 10 }]);
  });

  it('holds back a paused partition without losing or repeating a record, until the task resumes it', async () => {
    // Prepare
    const topic = await topicWith([5, 5]);
    // Act: partition 0 is paused from the start and resumed once all of partition 1 was put.
    const run = await runSink(
      topic,
      {
        onOpen: (task) => task.ctx.pause({ topic, partition: 0 }),
        onPut: (task, records) => {
          if (records.some((r) => r.kafkaPartition === 1 && r.kafkaOffset === 4))
            task.ctx.resume({ topic, partition: 0 });
        },
      },
      (s) => s.delivered.length >= 10,
    );
    // Assess
    const order = run.delivered.map((d) => `${d.partition}:${d.offset}`);
    expect(order.indexOf('0:0')).toBeGreaterThan(order.indexOf('1:4'));
    expect(offsetsOf(run, 0)).toEqual(range(0, 5));
    expect(offsetsOf(run, 1)).toEqual(range(0, 5));
    expect(run.committed).toEqual([
      { topic, partition: 0, offset: 5 },
      { topic, partition: 1, offset: 5 },
    ]);
  });
});

describe('consumer overrides', () => {
  it('caps a batch at consumer.override.max.poll.records, delivering everything', async () => {
    // Prepare
    const topic = await topicWith([10]);
    // Act
    const run = await runSink(topic, {}, (s) => s.delivered.length >= 10, {
      'consumer.override.max.poll.records': '3',
    });
    // Assess
    const puts = run.events.filter((e) => e.startsWith('put')).map((e) => Number(e.split(' ')[1]));
    expect(Math.max(...puts)).toBeLessThanOrEqual(3);
    expect(offsetsOf(run, 0)).toEqual(range(0, 10));
  });

  it('starts a new group at the end of the topic with consumer.override.auto.offset.reset=latest', async () => {
    // Prepare: 5 records exist before the connector; more keep coming once it has joined its group
    // (a stream, so the test does not depend on when kafkajs resolves "latest" after the join).
    const topic = await topicWith([5]);
    const producer = createKafka({ brokers: KAFKA_BROKERS }).producer();
    await producer.connect();
    let stream: NodeJS.Timeout | undefined;
    // Act
    const run = await runSink(
      topic,
      {
        onOpen: () => {
          stream ??= setInterval(() => {
            producer.send({ topic, messages: [{ value: 'more' }] }).catch(() => {}); // the last may race disconnect
          }, 100);
        },
      },
      (s) => s.delivered.length >= 3,
      { 'consumer.override.auto.offset.reset': 'latest' },
    );
    clearInterval(stream);
    await producer.disconnect();
    // Assess: nothing of what was there before the group started.
    const offsets = offsetsOf(run, 0);
    expect(offsets.length).toBeGreaterThanOrEqual(3);
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(5);
  });
});

describe('topics.regex', () => {
  it('picks up a matching topic created after the sink started', async () => {
    // Prepare: one matching topic now, a second one once the sink is reading the first.
    const prefix = uniqueName('rx');
    const first = `${prefix}-a`;
    const later = `${prefix}-b`;
    await rt.admin.createTopics([{ topic: first, numPartitions: 1, replicationFactor: 1 }]);
    const name = uniqueName('rx-sink');
    const script: Script = { events: [], delivered: [] };
    SCRIPTS.set(name, script);
    const config = {
      'connector.class': ScriptedSinkConnector.CLASS_NAME,
      name,
      'topics.regex': `${prefix}-.*`,
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'consumer.override.metadata.max.age.ms': '500',
    };
    await rt.create({ name, config, type: 'sink', taskConfigs: [config] });
    const producer = createKafka({ brokers: KAFKA_BROKERS }).producer();
    await producer.connect();
    await producer.send({ topic: first, messages: [{ value: 'a1' }] });
    await rt.until(() => script.delivered.length >= 1);
    // Act
    await rt.admin.createTopics([{ topic: later, numPartitions: 1, replicationFactor: 1 }]);
    await producer.send({ topic: later, messages: [{ value: 'b1' }] });
    await producer.send({ topic: first, messages: [{ value: 'a2' }] });
    await rt.until(() => script.delivered.length >= 3);
    await rt.tick();
    await producer.disconnect();
    const committed = await rt.admin.groupOffsets(`connect-${name}`);
    await rt.env.store.configs.delete(name);
    await rt.runner.retain(new Set());
    // Assess: each record once, the new topic opened for the task, both topics committed.
    expect(script.delivered).toHaveLength(3);
    expect(script.events.filter((e) => e.startsWith('open'))).toHaveLength(2);
    expect(committed.map((o) => `${o.topic}:${o.offset}`).sort()).toEqual([`${first}:2`, `${later}:1`]);
  });
});
