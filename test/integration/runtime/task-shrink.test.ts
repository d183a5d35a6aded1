import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchTick } from '../../../lib/runtime/dispatcher.js';
import { type RuntimeFixture, runtimeFixture } from '../../support/runtime.js';
import { uniqueName } from '../../support/services.js';

// A smaller tasks.max on the polled path: after the reconfiguration only the new task ids exist, even
// when a removed task's runner reported RUNNING after the control plane had cleared its status.
let rt: RuntimeFixture;
beforeAll(async () => {
  rt = await runtimeFixture();
});
afterAll(() => rt.dispose());

const noInvoke = { invoke: async () => {} };

describe('tasks removed by a smaller tasks.max', { timeout: 60_000 }, () => {
  it('lose the status entries their runner wrote after the reconfiguration, at the next tick, and are never invoked again', async () => {
    // Prepare: a polled sink (two topics) with three tasks, all RUNNING.
    const name = uniqueName('shrink');
    const config = {
      'connector.class': 'FileStreamSink',
      name,
      file: join(mkdtempSync(join(tmpdir(), 'sc-shrink-')), 'out.txt'),
      topics: `${name}-a,${name}-b`,
      'tasks.max': '3',
    };
    await rt.create({ name, config, type: 'sink', taskConfigs: [config, config, config] });
    const states = async () => (await rt.env.store.status.getTasks(name)).filter((t) => t.state);
    await rt.until(async () => (await states()).filter((t) => t.state === 'RUNNING').length === 3);
    // Act: task 2's runner is mid-run when tasks.max becomes 1. The control plane stores the new task
    // configs and clears the statuses of tasks 1 and 2 (statuses.ts); then the runner's last status lands.
    const lease = await rt.env.store.leases.acquire(name, 2, 'runner-of-task-2', 10_000);
    const record = await rt.env.store.configs.update(name, (c) => ({
      ...c,
      config: { ...c.config, 'tasks.max': '1' },
      taskConfigs: [{ ...config, 'tasks.max': '1' }],
    }));
    await rt.env.store.status.deleteTasks(name, { from: 1 });
    const report = () =>
      rt.env.store.status.putTask(
        name,
        2,
        { state: 'RUNNING', workerId: 'w', generation: record.generation - 1 },
        { epoch: lease?.epoch },
      );
    await report();
    const reported = (await states()).map((t) => t.task);
    const first = await dispatchTick({ store: rt.env.store, invoker: noInvoke, workerId: 'w' });
    const afterFirst = (await states()).map((t) => t.task);
    await report(); // its last status, at the end of its batch
    await rt.env.store.leases.release(name, 2, lease?.epoch ?? 0).catch(() => {});
    const second = await dispatchTick({ store: rt.env.store, invoker: noInvoke, workerId: 'w' });
    // Assess: each stale entry is gone at the next tick; only task 0 is ever invoked or live.
    expect(reported).toEqual([0, 2]);
    expect(afterFirst).toEqual([0]);
    expect((await states()).map((t) => t.task)).toEqual([0]);
    expect(first.removed).toEqual([`${name}/2`]);
    expect(second.removed).toEqual([`${name}/2`]);
    expect(second.invoked.filter((r) => r.connector === name).map((r) => r.task)).toEqual([0]);
    expect(second.live.filter((k) => k.startsWith(`${name}/`))).toEqual([`${name}/0`]);
  });
});
