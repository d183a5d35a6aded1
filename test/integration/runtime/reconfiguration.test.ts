import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigDef,
  type ConnectorProps,
  Schemas,
  SourceConnector,
  SourceRecord,
  SourceTask,
} from '../../../lib/api/index.js';
import { BoundedConsumer } from '../../../lib/kafka/bounded-consumer.js';
import { createKafka } from '../../../lib/kafka/client.js';
import { installedPlugins, PluginRegistry } from '../../../lib/plugins.js';
import { type RuntimeFixture, runtimeFixture } from '../../support/runtime.js';
import { KAFKA_BROKERS, uniqueName } from '../../support/services.js';

// A test connector with Kafka Connect's monitoring pattern: its source has shards (think tables), one
// task per shard, and the running connector asks for reconfiguration when a shard appears.
const SHARDS: string[] = [];

class ShardedSourceConnector extends SourceConnector {
  static readonly CLASS_NAME = 'test.ShardedSourceConnector';
  private props: ConnectorProps = {};
  private timer?: NodeJS.Timeout;
  version = () => 'test';
  config = () => new ConfigDef();
  taskClass = () => ShardTask;
  start(props: ConnectorProps) {
    this.props = props;
    const known = SHARDS.length;
    this.timer = setInterval(() => {
      if (SHARDS.length !== known) this.context?.requestTaskReconfiguration();
    }, 20);
  }
  taskConfigs(maxTasks: number) {
    return SHARDS.slice(0, maxTasks).map((shard) => ({ ...this.props, shard }));
  }
  stop() {
    clearInterval(this.timer);
  }
}

class ShardTask extends SourceTask {
  private shard = '';
  private topic = '';
  private done = false;
  version = () => 'test';
  start(props: Readonly<Record<string, string>>) {
    this.shard = props.shard ?? '';
    this.topic = props.topic ?? '';
  }
  async poll() {
    if (this.done) return null;
    this.done = true;
    return [
      new SourceRecord({
        sourcePartition: null,
        sourceOffset: null,
        topic: this.topic,
        valueSchema: Schemas.STRING,
        value: this.shard,
      }),
    ];
  }
  stop() {}
}

let rt: RuntimeFixture;
beforeAll(async () => {
  const registry = new PluginRegistry([
    ...installedPlugins(),
    {
      className: ShardedSourceConnector.CLASS_NAME,
      kind: 'source',
      create: () => new ShardedSourceConnector(),
    },
  ]);
  rt = await runtimeFixture({ registry });
});
afterAll(() => rt.dispose());

async function values(topic: string): Promise<string[]> {
  const consumer = new BoundedConsumer(createKafka({ brokers: KAFKA_BROKERS }), {
    groupId: uniqueName('read'),
    topics: [topic],
  });
  const records = await consumer.poll({
    maxRecords: 100,
    maxBytes: 1 << 20,
    maxWaitMs: 10_000,
    lingerMs: 500,
  });
  await consumer.stop();
  // Distinct: a restarted task 0 (new generation) emits its shard again — no offsets in this test source.
  return [...new Set(records.map((r) => JSON.parse(r.value!.toString()).payload as string))].sort();
}

describe('task reconfiguration requested by a running connector', () => {
  it('stores new task configs at the next generation and runs the new task', async () => {
    // Prepare
    SHARDS.push('shard-a');
    const topic = uniqueName('shards');
    const config = {
      'connector.class': ShardedSourceConnector.CLASS_NAME,
      name: uniqueName('sharded'),
      topic,
      'tasks.max': '3',
    };
    await rt.create({
      name: config.name,
      config,
      type: 'source',
      taskConfigs: [{ ...config, shard: 'shard-a' }],
    });
    await rt.tick(); // task 0 runs; its connector now watches the shards
    // Act: a shard appears while the connector runs
    SHARDS.push('shard-b');
    await new Promise((r) => setTimeout(r, 100));
    await rt.tick(); // task 0's run ends by storing the new task configs
    await rt.until(async () => (await values(topic)).length === 2, 30_000);
    // Assess
    const record = await rt.env.store.configs.get(config.name);
    expect(record?.generation).toBe(2);
    expect(record?.taskConfigs.map((c) => c.shard)).toEqual(['shard-a', 'shard-b']);
    expect(await values(topic)).toEqual(['shard-a', 'shard-b']);
  });
});
