import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type RuntimeEnvironment } from '../../../lib/runtime/environment.js';
import { TaskRunner } from '../../../lib/runtime/task-runner.js';
import { workerConfigFromEnv } from '../../../lib/runtime/worker-config.js';
import { DYNAMODB_ENDPOINT, KAFKA_BROKERS, uniqueName } from '../../support/services.js';
import { type ControlFixture, controlFixture, sinkConfig, sourceConfig } from './harness.js';

// An offsets change after STOP must stick: Kafka Connect fences zombie tasks before it alters offsets,
// and refuses while tasks have not stopped. Here `stop` moves every lease epoch on, and PATCH/DELETE
// are refused while a task holds a live lease.
let fx: ControlFixture;
let runtime: RuntimeEnvironment;
const dir = mkdtempSync(join(tmpdir(), 'sc-offsets-fencing-'));
beforeAll(async () => {
  fx = await controlFixture('ctl-fence');
  const worker = workerConfigFromEnv({});
  worker.workerId = 'runner';
  runtime = createRuntime({
    kafka: { brokers: KAFKA_BROKERS },
    dynamodbEndpoint: DYNAMODB_ENDPOINT,
    tables: fx.store.tables,
    worker,
    log: { info: () => {}, error: () => {} },
  });
});
afterAll(async () => {
  await runtime.close();
  await fx.dispose();
});

const STILL_RUNNING = (verb: string, what: string, name: string) =>
  `Failed to ${verb} ${what} for connector ${name} either because its tasks haven't stopped completely yet ` +
  `or the connector was resumed before the request to ${verb} its offsets could be successfully completed. ` +
  'If the connector is in a stopped state, this operation can be safely retried.';

/** Holds the runner's first offset commit until released; `reached` resolves when it got there. */
function holdFirstCommit() {
  const { offsets } = runtime.store;
  const commit = offsets.commit.bind(offsets);
  let release!: () => void;
  let reached!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const arrived = new Promise<void>((r) => (reached = r));
  let first = true;
  offsets.commit = async (...args) => {
    if (first) {
      first = false;
      reached();
      await gate;
    }
    return commit(...args);
  };
  return { release, reached: arrived, restore: () => (offsets.commit = commit) };
}

describe('offsets after STOP', () => {
  it('a batch still running when the connector stops cannot commit over an offsets reset', async () => {
    // Prepare: a source whose runner has produced its batch and is about to commit its offsets.
    const name = uniqueName('fsrc');
    const file = join(dir, `${name}.txt`);
    writeFileSync(file, 'a\nb\nc\n');
    const created = await fx.call('POST', '/connectors', {
      name,
      config: sourceConfig({ file, topic: uniqueName('fence') }),
    });
    expect(created.status).toBe(201);
    const hold = holdFirstCommit();
    const runner = new TaskRunner(runtime);
    const run = runner.run({ connector: name, task: 0 }, Date.now() + 10_000);
    await hold.reached;
    // Act: stopped and reset while the batch is in flight, then the batch goes on to its commit.
    const stop = await fx.call('PUT', `/connectors/${name}/stop`);
    const reset = await fx.call('DELETE', `/connectors/${name}/offsets`);
    hold.release();
    const outcome = await run;
    hold.restore();
    // Assess
    expect(stop.status).toBe(204);
    expect(reset.status).toBe(200);
    expect(outcome.outcome).toBe('fenced');
    expect((await fx.call('GET', `/connectors/${name}/offsets`)).body).toEqual({ offsets: [] });
    await runner.close();
  });

  it('refuses PATCH and DELETE while a task holds a live lease, and allows them once it is gone', async () => {
    // Prepare: stopped connectors, each with a runner that took its lease after the stop.
    const source = uniqueName('fsrc');
    const sink = uniqueName('fsink');
    await fx.call('POST', '/connectors', { name: source, config: sourceConfig(), initial_state: 'STOPPED' });
    await fx.call('POST', '/connectors', { name: sink, config: sinkConfig(), initial_state: 'STOPPED' });
    const { leases } = fx.store.store;
    const held = await leases.acquire(source, 0, 'late-runner', 30_000);
    await leases.acquire(sink, 0, 'late-runner', 30_000);
    const body = { offsets: [{ partition: { filename: 'f' }, offset: { position: 1 } }] };
    const sinkBody = { offsets: [{ partition: { kafka_topic: 't', kafka_partition: 0 }, offset: null }] };
    // Act
    const patch = await fx.call('PATCH', `/connectors/${source}/offsets`, body);
    const del = await fx.call('DELETE', `/connectors/${source}/offsets`);
    const sinkPatch = await fx.call('PATCH', `/connectors/${sink}/offsets`, sinkBody);
    const sinkDel = await fx.call('DELETE', `/connectors/${sink}/offsets`);
    await leases.release(source, 0, held?.epoch ?? 0);
    const retried = await fx.call('PATCH', `/connectors/${source}/offsets`, body);
    // Assess
    expect(patch).toMatchObject({
      status: 500,
      body: { error_code: 500, message: STILL_RUNNING('alter', 'offsets', source) },
    });
    expect(del.body).toEqual({ error_code: 500, message: STILL_RUNNING('reset', 'offsets', source) });
    expect(sinkPatch.body).toEqual({
      error_code: 500,
      message: STILL_RUNNING('alter', 'consumer group offsets', sink),
    });
    expect(sinkDel.body).toEqual({
      error_code: 500,
      message: STILL_RUNNING('reset', 'consumer group offsets', sink),
    });
    expect(retried.status).toBe(200);
    expect((await fx.call('GET', `/connectors/${source}/offsets`)).body.offsets).toHaveLength(1);
  });
});
