import { beforeEach, describe, expect, it } from 'vitest';
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
  type TopicPartitionOffset,
} from '../../../lib/api/index.js';
import type { KafkaAdmin } from '../../../lib/kafka/admin.js';
import type { BoundedConsumer } from '../../../lib/kafka/bounded-consumer.js';
import { KafkaError } from '../../../lib/kafka/errors.js';
import type { ConsumedRecord, WireRecord } from '../../../lib/kafka/types.js';
import { installedPlugins, PluginRegistry } from '../../../lib/plugins.js';
import { type RuntimeDeps, TaskRunner } from '../../../lib/runtime/task-runner.js';
import { RETRIABLE_NOTE } from '../../../lib/runtime/task-status.js';
import { workerConfigFromEnv } from '../../../lib/runtime/worker-config.js';
import { StoreError } from '../../../lib/store/errors.js';
import type { ConnectorRecord, StateStore, StatusUpdate } from '../../../lib/store/ports.js';

// What the test plugins saw, reset before each test.
let polls: (() => SourceRecord[] | null)[] = [];
/** While set, every poll throws it (the error handler polls again within `errors.retry.timeout`). */
let pollError: Error | undefined;
let committedRecords: { value: unknown; metadata: RecordMetadata | null }[] = [];
let sourceStarts = 0;
let putFailures = 0;
let putError: () => Error = () => new RetriableError('sink system unavailable');
let putRecords: number[] = [];

function records(...values: string[]): SourceRecord[] {
  return values.map(
    (value) =>
      new SourceRecord({
        sourcePartition: { p: 'x' },
        sourceOffset: { at: value },
        topic: 'out',
        valueSchema: Schemas.STRING,
        value,
      }),
  );
}

class ScriptedSourceTask extends SourceTask {
  version = () => 'test';
  start() {
    sourceStarts++;
  }
  async poll() {
    if (pollError && polls.length === 0) throw pollError;
    return polls.shift()?.() ?? null;
  }
  override commitRecord(record: SourceRecord, metadata: RecordMetadata | null) {
    committedRecords.push({ value: record.value, metadata });
  }
  stop() {}
}

class ScriptedSource extends SourceConnector {
  version = () => 'test';
  config = () => new ConfigDef();
  taskClass = () => ScriptedSourceTask;
  start() {}
  taskConfigs = () => [{}];
  stop() {}
}

/** A sink whose `put` fails `putFailures` times, asking a backoff longer than any test's budget. */
class FlakySinkTask extends SinkTask {
  version = () => 'test';
  start() {
    this.context.timeout(60_000);
  }
  put(batch: readonly SinkRecord[]) {
    if (putFailures > 0) {
      putFailures--;
      throw putError();
    }
    putRecords.push(...batch.map((r) => r.kafkaOffset));
  }
  stop() {}
}

class FlakySink extends SinkConnector {
  version = () => 'test';
  config = () => new ConfigDef();
  taskClass = () => FlakySinkTask;
  start() {}
  taskConfigs = () => [{}];
  stop() {}
}

/**
 * A consumer of one partition of five records: it reads on from its position, a commit moves the
 * group's offset, and `stop` (leaving the group) puts the position back to the committed offset.
 */
class FakeConsumer {
  readonly log = { commits: [] as number[], stops: 0 };
  failNextCommit?: Error;
  private committedOffset = 0;
  private position = 0;
  private committing: Promise<void> = Promise.resolve();
  private readonly all: ConsumedRecord[] = Array.from({ length: 5 }, (_, offset) => ({
    topic: 'in',
    partition: 0,
    offset,
    key: null,
    value: Buffer.from(`v${offset}`),
    headers: [],
    timestamp: 0,
    timestampType: 'CreateTime',
  })) as unknown as ConsumedRecord[];

  async poll() {
    const out = this.all.slice(this.position);
    this.position = this.all.length;
    return out;
  }
  assignment = () => [{ topic: 'in', partition: 0 }];
  setPaused() {}
  seek(offsets: readonly TopicPartitionOffset[]) {
    for (const o of offsets) this.position = o.offset;
  }
  commit(offsets: TopicPartitionOffset[]) {
    if (offsets.length === 0) return this.committing;
    const failure = this.failNextCommit;
    this.failNextCommit = undefined;
    this.committing = this.committing.then(async () => {
      if (failure) throw failure;
      this.committedOffset = offsets[0]!.offset;
      this.log.commits.push(this.committedOffset);
    });
    return this.committing;
  }
  committed() {
    return this.committing;
  }
  lag() {
    return undefined;
  }
  async leave() {
    try {
      await this.committing;
    } finally {
      await this.stop();
    }
  }
  async stop() {
    await this.committing.catch(() => {});
    this.committing = Promise.resolve();
    this.position = this.committedOffset;
    this.log.stops++;
  }
}

interface Harness {
  deps: RuntimeDeps;
  statuses: StatusUpdate[];
  offsetCommits: unknown[][];
  consumer: FakeConsumer;
  /** Fails the next `n` sends with `error`. */
  failSends(n: number, error: Error): void;
  failOffsetCommits(n: number, error: Error): void;
}

function harness(kind: 'source' | 'sink', options: { sendDelayMs?: number } = {}): Harness {
  const worker = workerConfigFromEnv({});
  worker.batch.safetyMarginMs = 0;
  const name = kind === 'source' ? 'scripted' : 'flaky';
  const config: Record<string, string> =
    kind === 'source'
      ? { 'connector.class': 'test.ScriptedSource', name }
      : {
          'connector.class': 'test.FlakySink',
          name,
          topics: 'in',
          'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
          'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
        };
  const record: ConnectorRecord = {
    name,
    config,
    type: kind,
    targetState: 'STARTED',
    generation: 1,
    taskConfigs: [{}],
    createdAt: '',
    updatedAt: '',
  };
  const statuses: StatusUpdate[] = [];
  const offsetCommits: unknown[][] = [];
  let sendFailures: { n: number; error?: Error } = { n: 0 };
  let commitFailures: { n: number; error?: Error } = { n: 0 };
  let nextOffset = 0;
  const consumer = new FakeConsumer();
  const store = {
    configs: { get: async () => record },
    leases: {
      acquire: async (_c: string, _t: number, _o: string, ttlMs: number) => ({
        epoch: 1,
        expiresAt: Date.now() + ttlMs,
      }),
      renew: async (_c: string, _t: number, _e: number, ttlMs: number) => Date.now() + ttlMs,
      release: async () => {},
    },
    offsets: {
      get: async () => [],
      commit: async (_c: string, offsets: unknown[]) => {
        if (commitFailures.n > 0) {
          commitFailures.n--;
          throw commitFailures.error;
        }
        offsetCommits.push(offsets);
      },
    },
    status: {
      putTask: async (_c: string, _t: number, status: StatusUpdate) => void statuses.push(status),
      addActiveTopics: async () => {},
    },
  } as unknown as StateStore;
  const deps: RuntimeDeps = {
    store,
    registry: new PluginRegistry([
      ...installedPlugins(),
      { className: 'test.ScriptedSource', kind: 'source', create: () => new ScriptedSource() },
      { className: 'test.FlakySink', kind: 'sink', create: () => new FlakySink() },
    ]),
    worker,
    providers: {},
    admin: { createTopics: async () => {} } as unknown as KafkaAdmin,
    send: async (wires: WireRecord[]) => {
      if (options.sendDelayMs) await new Promise((r) => setTimeout(r, options.sendDelayMs));
      if (sendFailures.n > 0) {
        sendFailures.n--;
        throw sendFailures.error;
      }
      return wires.map((w) => ({ topic: w.topic, partition: 0, offset: nextOffset++ }));
    },
    newConsumer: () => consumer as unknown as BoundedConsumer,
    newProducer: () => {
      throw new Error('no producer in this test');
    },
    log: { info: () => {}, error: () => {} },
  };
  return {
    deps,
    statuses,
    offsetCommits,
    consumer,
    failSends: (n, error) => (sendFailures = { n, error }),
    failOffsetCommits: (n, error) => (commitFailures = { n, error }),
  };
}

const run = (runner: TaskRunner, connector: string) => runner.run({ connector, task: 0 }, Date.now() + 2_000);

beforeEach(() => {
  polls = [];
  pollError = undefined;
  committedRecords = [];
  sourceStarts = 0;
  putFailures = 0;
  putError = () => new RetriableError('sink system unavailable');
  putRecords = [];
});

describe('a retriable failure of a source task', () => {
  it('ends the run uncommitted with the task RUNNING when a broker is unavailable, and replays the batch at the next run', async () => {
    // Prepare: the first produce fails as kafkajs fails when the partition leader is unavailable.
    const h = harness('source');
    h.failSends(
      1,
      new KafkaError('produce failed: There is no leader for this topic-partition', { retriable: true }),
    );
    polls = [() => records('a', 'b')];
    const runner = new TaskRunner(h.deps);
    // Act
    const first = await run(runner, 'scripted');
    polls = [() => records('a', 'b')]; // started afresh, the task reads again from the committed offset
    const second = await run(runner, 'scripted');
    await runner.close();
    // Assert: nothing was committed by the failed run; the status stayed RUNNING and showed the error.
    expect(first.outcome).toBe('retrying');
    expect(h.statuses.map((s) => s.state)).not.toContain('FAILED');
    expect(h.statuses[0]).toMatchObject({ state: 'RUNNING' });
    expect(h.statuses[0]?.trace).toContain(RETRIABLE_NOTE);
    expect(h.statuses[0]?.trace).toContain('There is no leader for this topic-partition');
    expect(second.outcome).toBe('ran');
    expect(h.offsetCommits).toEqual([[{ partition: { p: 'x' }, offset: { at: 'b' } }]]);
    expect(sourceStarts).toBe(2); // the task had read past the batch: it was started again
    expect(h.statuses.at(-1)?.state).toBe('RUNNING');
    expect(h.statuses.at(-1)?.trace).toBeUndefined();
  });

  it('stays RUNNING when DynamoDB throttles the offset commit, committing nothing of that batch', async () => {
    // Prepare
    const h = harness('source');
    h.failOffsetCommits(
      1,
      new StoreError('TransactWriteItems failed: ThrottlingException: Rate exceeded', { retriable: true }),
    );
    polls = [() => records('a')];
    const runner = new TaskRunner(h.deps);
    // Act
    const first = await run(runner, 'scripted');
    polls = [() => records('a')];
    const second = await run(runner, 'scripted');
    await runner.close();
    // Assert: commitRecord is called only for the batch whose offsets were committed.
    expect(first.outcome).toBe('retrying');
    expect(second.outcome).toBe('ran');
    expect(committedRecords.map((c) => c.value)).toEqual(['a']);
    expect(h.statuses.map((s) => s.state)).not.toContain('FAILED');
  });

  it('commits what was written when poll throws RetriableError, and polls the same task again next run', async () => {
    // Prepare: the second poll fails retriably.
    const h = harness('source');
    polls = [() => records('a', 'b')];
    pollError = new RetriableError('source system busy');
    const runner = new TaskRunner(h.deps);
    // Act
    const first = await run(runner, 'scripted');
    pollError = undefined;
    polls = [() => records('c')];
    const second = await run(runner, 'scripted');
    await runner.close();
    // Assert
    expect(first.outcome).toBe('retrying');
    expect(h.offsetCommits[0]).toEqual([{ partition: { p: 'x' }, offset: { at: 'b' } }]);
    expect(h.statuses.find((s) => s.trace?.includes('source system busy'))).toMatchObject({
      state: 'RUNNING',
    });
    expect(second.outcome).toBe('ran');
    expect(sourceStarts).toBe(1); // kept warm: Kafka polls the same task again
    expect(committedRecords.map((c) => c.value)).toEqual(['a', 'b', 'c']);
  });

  it('still fails the task for a non-retriable produce error', async () => {
    const h = harness('source');
    h.failSends(1, new KafkaError('produce failed: Not authorized to access topics', { retriable: false }));
    polls = [() => records('a')];
    const runner = new TaskRunner(h.deps);
    const result = await run(runner, 'scripted');
    await runner.close();
    expect(result.outcome).toBe('failed');
    expect(h.statuses.at(-1)?.state).toBe('FAILED');
    expect(h.offsetCommits).toEqual([]);
  });
});

describe('commitRecord', () => {
  it('gives each record its own metadata when producing overlaps the next poll', async () => {
    // Prepare: each produce takes 20 ms while the next poll answers at once, so the second and third
    // polls are read while the first produce is still in flight.
    const h = harness('source', { sendDelayMs: 20 });
    polls = [() => records('a', 'b'), () => records('c'), () => records('d', 'e')];
    const runner = new TaskRunner(h.deps);
    // Act
    await run(runner, 'scripted');
    await runner.close();
    // Assert: offsets were handed out in send order, so record i landed at offset i.
    expect(committedRecords).toEqual(
      ['a', 'b', 'c', 'd', 'e'].map((value, offset) => ({
        value,
        metadata: { topic: 'out', partition: 0, offset },
      })),
    );
  });
});

describe('a retriable failure of a polled sink task', () => {
  it('redelivers the batch at the next run while put throws RetriableError, never FAILED, committing only once put succeeded', async () => {
    // Prepare: put fails twice; the task asked a 60 s backoff, so each failure ends the run.
    const h = harness('sink');
    putFailures = 2;
    const runner = new TaskRunner(h.deps);
    // Act
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push((await run(runner, 'flaky')).outcome);
    await runner.close();
    // Assert
    expect(outcomes).toEqual(['retrying', 'retrying', 'ran']);
    expect(h.statuses.map((s) => s.state)).not.toContain('FAILED');
    expect(h.statuses[0]?.trace).toContain(RETRIABLE_NOTE);
    expect(h.statuses[0]?.trace).toContain('sink system unavailable');
    expect(putRecords).toEqual([0, 1, 2, 3, 4]);
    expect(h.consumer.log.commits).toEqual([5]);
    expect(h.statuses.at(-1)?.state).toBe('RUNNING');
    expect(h.statuses.at(-1)?.trace).toBeUndefined();
  });

  it('stays RUNNING when the group offset commit fails, and redelivers from the committed offset', async () => {
    // Prepare: a commit refused as a rebalance refuses it (kafkajs marks that one non-retriable).
    const h = harness('sink');
    h.consumer.failNextCommit = new KafkaError(
      'commit offsets failed: The coordinator is not aware of this member',
      { retriable: false },
    );
    const runner = new TaskRunner(h.deps);
    // Act
    const first = await run(runner, 'flaky');
    const second = await run(runner, 'flaky');
    await runner.close();
    // Assert: at-least-once: the records of the uncommitted batch were put again.
    expect(first.outcome).toBe('retrying');
    expect(second.outcome).toBe('ran');
    expect(h.statuses.map((s) => s.state)).not.toContain('FAILED');
    expect(putRecords).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
    expect(h.consumer.log.commits).toEqual([5]);
  });

  it('still fails the task when put throws a non-retriable error', async () => {
    const h = harness('sink');
    putFailures = 1;
    putError = () => new Error('bad credentials');
    const runner = new TaskRunner(h.deps);
    const result = await run(runner, 'flaky');
    await runner.close();
    expect(result.outcome).toBe('failed');
    expect(h.statuses.at(-1)?.state).toBe('FAILED');
    expect(h.consumer.log.commits).toEqual([]);
  });
});
