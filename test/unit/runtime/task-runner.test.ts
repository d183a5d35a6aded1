import { describe, expect, it } from 'vitest';
import { ConfigDef, Schemas, SourceConnector, SourceRecord, SourceTask } from '../../../lib/api/index.js';
import type { KafkaAdmin } from '../../../lib/kafka/admin.js';
import { installedPlugins, PluginRegistry } from '../../../lib/plugins.js';
import { type RuntimeDeps, TaskRunner } from '../../../lib/runtime/task-runner.js';
import { workerConfigFromEnv } from '../../../lib/runtime/worker-config.js';
import type { ConnectorRecord, StateStore } from '../../../lib/store/ports.js';

// A source that never runs dry; each poll takes POLL_MS on the test's clock and yields 5 records.
const POLL_MS = 100;
let clock = 0;
const renewals: number[] = [];

class EndlessTask extends SourceTask {
  version = () => 'test';
  start() {}
  async poll() {
    clock += POLL_MS;
    return Array.from(
      { length: 5 },
      () =>
        new SourceRecord({
          sourcePartition: null,
          sourceOffset: null,
          topic: 'out',
          valueSchema: Schemas.STRING,
          value: 'x',
        }),
    );
  }
  stop() {}
}

class EndlessConnector extends SourceConnector {
  version = () => 'test';
  config = () => new ConfigDef();
  taskClass = () => EndlessTask;
  start() {}
  taskConfigs = () => [{}];
  stop() {}
}

function deps(): RuntimeDeps {
  const worker = workerConfigFromEnv({});
  worker.batch.maxRecords = 10;
  worker.batch.safetyMarginMs = 5_000;
  const record: ConnectorRecord = {
    name: 'endless',
    config: { 'connector.class': 'test.EndlessConnector', name: 'endless' },
    type: 'source',
    targetState: 'STARTED',
    generation: 1,
    taskConfigs: [{}],
    createdAt: '',
    updatedAt: '',
  };
  const store = {
    configs: { get: async () => record },
    leases: {
      acquire: async (_c: string, _t: number, _o: string, ttlMs: number) => ({
        epoch: 1,
        expiresAt: clock + ttlMs,
      }),
      renew: async (_c: string, _t: number, _e: number, ttlMs: number) => {
        renewals.push(ttlMs);
        return clock + ttlMs;
      },
      release: async () => {},
    },
    offsets: { get: async () => [], commit: async () => {} },
    status: { putTask: async () => {}, addActiveTopics: async () => {} },
  } as unknown as StateStore;
  return {
    store,
    registry: new PluginRegistry([
      ...installedPlugins(),
      { className: 'test.EndlessConnector', kind: 'source', create: () => new EndlessConnector() },
    ]),
    worker,
    providers: {},
    admin: {} as KafkaAdmin,
    send: async (records) => records.map((r, offset) => ({ topic: r.topic, partition: 0, offset })),
    newConsumer: () => {
      throw new Error('no consumer in this test');
    },
    newProducer: () => {
      throw new Error('no producer in this test');
    },
    log: { info: () => {}, error: () => {} },
    now: () => clock,
  };
}

// A source whose every poll takes 300 ms (a CDC poll waiting out its poll.interval.ms) and yields 5 records.
class SlowTask extends EndlessTask {
  override async poll() {
    clock += 200; // on top of EndlessTask's 100 ms
    return super.poll();
  }
}

class SlowConnector extends EndlessConnector {
  override taskClass = () => SlowTask;
}

describe('TaskRunner.run', () => {
  it('starts no poll that the slowest one so far says would end past the batch deadline', async () => {
    // Prepare: a budget of 1 000 ms after the 5 s margin, polls of 300 ms, no record limit in reach.
    clock = 0;
    const d = deps();
    d.worker.batch.maxRecords = 1_000;
    d.registry = new PluginRegistry([
      ...installedPlugins(),
      { className: 'test.EndlessConnector', kind: 'source', create: () => new SlowConnector() },
    ]);
    const runner = new TaskRunner(d);
    // Act
    const result = await runner.run({ connector: 'endless', task: 0 }, 6_000);
    await runner.close();
    // Assert: polls at 0, 300 and 600 ms; one at 900 ms would end at 1 200, past the deadline, with
    // its records still to be produced and committed.
    expect(result.records).toBe(15);
    expect(clock).toBeLessThanOrEqual(1_000);
  });

  it('answers more once the time budget cannot hold another full batch, rather than starting one', async () => {
    // Prepare: batches of 10 records take 200 ms; the budget is the deadline minus the 5 s margin.
    clock = 0;
    const runner = new TaskRunner(deps());

    // Act: a budget of 1 050 ms holds five full batches, not a sixth.
    const result = await runner.run({ connector: 'endless', task: 0 }, 6_050);
    await runner.close();

    // Assert
    expect(result).toEqual({ outcome: 'ran', batches: 5, records: 50, more: true });
  });

  it('renews a lease of at most 20 s + 10 s margin between batches of a long run, not one for the whole budget', async () => {
    // Prepare: a 300 s budget (a Lambda's timeout), batches of 200 ms.
    clock = 0;
    renewals.length = 0;
    const d = deps();
    let acquired = 0;
    const leases = d.store.leases as unknown as {
      acquire: (...a: [string, number, string, number]) => unknown;
    };
    const acquire = leases.acquire;
    leases.acquire = (...a) => {
      acquired = a[3];
      return acquire(...a);
    };
    const runner = new TaskRunner(d);
    // Act
    const result = await runner.run({ connector: 'endless', task: 0 }, 300_000);
    await runner.close();
    // Assert: a crash at any point leaves the task leased for at most 30 s.
    expect(result.outcome).toBe('ran');
    expect(acquired).toBe(30_000);
    expect(renewals.length).toBeGreaterThanOrEqual(14);
    expect(Math.max(...renewals)).toBeLessThanOrEqual(30_000);
  });
});
