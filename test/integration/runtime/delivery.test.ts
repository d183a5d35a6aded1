import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoundedConsumer } from '../../../lib/kafka/bounded-consumer.js';
import { createKafka } from '../../../lib/kafka/client.js';
import { TaskRunner } from '../../../lib/runtime/task-runner.js';
import type { OffsetStore } from '../../../lib/store/ports.js';
import { type RuntimeFixture, runtimeFixture } from '../../support/runtime.js';
import { KAFKA_BROKERS, uniqueName } from '../../support/services.js';

const dir = mkdtempSync(join(tmpdir(), 'sc-delivery-'));
let rt: RuntimeFixture;
// Leases last exactly the invocation's budget, so a "dead" runner's lease expires within the test.
beforeAll(async () => {
  rt = await runtimeFixture({ leaseMarginMs: 1, safetyMarginMs: 0 });
});
afterAll(() => rt.dispose());

async function topicValues(topic: string): Promise<string[]> {
  const consumer = new BoundedConsumer(createKafka({ brokers: KAFKA_BROKERS }), {
    groupId: uniqueName('check'),
    topics: [topic],
  });
  const values: string[] = [];
  for (let empty = 0; empty < 2; ) {
    const batch = await consumer.poll({ maxRecords: 10_000, maxBytes: 1 << 26, maxWaitMs: 1_500 });
    if (batch.length === 0) empty++;
    for (const r of batch) values.push(JSON.parse(r.value!.toString()).payload);
  }
  await consumer.stop();
  return values;
}

async function sourceConnector(lineCount: number) {
  const file = join(dir, `${uniqueName('in')}.txt`);
  const sent = Array.from({ length: lineCount }, (_, i) => `row-${i}`);
  writeFileSync(file, `${sent.join('\n')}\n`);
  const config = await rt.createFileSource(file, 'src');
  return { config, sent, size: readFileSync(file).length };
}

/** Holds the first offset commit until `release` is called: the runner "dies" after Kafka acked. */
function holdFirstCommit(offsets: OffsetStore) {
  const commit = offsets.commit.bind(offsets);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let first = true;
  offsets.commit = async (...args) => {
    if (first) {
      first = false;
      await gate;
    }
    return commit(...args);
  };
  return { release, restore: () => (offsets.commit = commit) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('delivery guarantees', () => {
  it('replays a batch that was produced but never committed, losing nothing', async () => {
    // Prepare
    const { config, sent, size } = await sourceConnector(100);
    const hold = holdFirstCommit(rt.env.store.offsets);
    const dead = new TaskRunner(rt.env);
    // Act: the first runner produces, then hangs before its commit, as if the Lambda died there.
    const deadRun = dead.run({ connector: config.name, task: 0 }, Date.now() + 800);
    await sleep(1_500);
    hold.restore();
    const survivor = new TaskRunner(rt.env);
    const second = await survivor.run({ connector: config.name, task: 0 }, Date.now() + 5_000);
    // Assess
    expect(second.outcome).toBe('ran');
    const values = await topicValues(config.topic);
    expect(values).toHaveLength(200); // at-least-once: the uncommitted batch came twice
    expect(new Set(values)).toEqual(new Set(sent));
    expect(await rt.env.store.offsets.getAll(config.name)).toEqual([
      { partition: { filename: config.file }, offset: { position: size } },
    ]);
    hold.release();
    expect((await deadRun).outcome).toBe('fenced'); // had it woken up, its commit would have been refused
    await Promise.all([dead.close(), survivor.close()]);
  });

  it('fences a runner whose lease was taken over: exactly one commits, the other stops', async () => {
    // Prepare
    const { config, size } = await sourceConnector(50);
    const hold = holdFirstCommit(rt.env.store.offsets);
    const first = new TaskRunner(rt.env);
    const second = new TaskRunner(rt.env);
    // Act: the first runner stalls before committing; its lease expires; a second runner takes over.
    const stalled = first.run({ connector: config.name, task: 0 }, Date.now() + 800);
    await sleep(1_200);
    const takeover = await second.run({ connector: config.name, task: 0 }, Date.now() + 5_000);
    hold.release();
    const late = await stalled;
    // Assess
    expect(takeover.outcome).toBe('ran');
    expect(late.outcome).toBe('fenced');
    expect(await rt.env.store.offsets.getAll(config.name)).toEqual([
      { partition: { filename: config.file }, offset: { position: size } },
    ]);
    const [task] = await rt.env.store.status.getTasks(config.name);
    expect(task?.state).toBe('RUNNING');
    hold.restore();
    await Promise.all([first.close(), second.close()]);
  });
});
