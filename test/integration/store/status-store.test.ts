import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, FencedError } from '../../../lib/store/errors.js';
import type { StatusUpdate } from '../../../lib/store/ports.js';
import { uniqueName } from '../../support/services.js';
import { type StoreFixture, storeFixture } from './fixture.js';

let fx: StoreFixture;
beforeAll(async () => {
  fx = await storeFixture('status');
});
afterAll(() => fx.dispose());

const TTL = 60_000;
const running: StatusUpdate = { state: 'RUNNING', workerId: 'worker-1', generation: 1 };

describe('the DynamoDB status store', () => {
  it('writes and reads a connector status, clearing the trace when a later write has none', async () => {
    // Prepare
    const name = uniqueName('c');
    await fx.store.status.putConnector(name, { ...running, state: 'FAILED', trace: 'Error: boom' });
    const failed = await fx.store.status.getConnector(name);
    // Act
    await fx.store.status.putConnector(name, running);
    // Assess
    expect(failed).toMatchObject({
      state: 'FAILED',
      trace: 'Error: boom',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(await fx.store.status.getConnector(name)).toEqual({
      ...running,
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
  });

  it('refuses a connector status of an older generation than the stored one', async () => {
    // Prepare
    const name = uniqueName('c');
    await fx.store.status.putConnector(name, { ...running, generation: 3 });
    // Act
    const stale = fx.store.status.putConnector(name, { ...running, state: 'PAUSED', generation: 2 });
    // Assess
    const error = await stale.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).current).toMatchObject({ state: 'RUNNING', generation: 3 });
    expect((await fx.store.status.getConnector(name))?.state).toBe('RUNNING');
  });

  it('returns undefined and no tasks for a connector without status', async () => {
    // Prepare
    const name = uniqueName('absent');
    // Act
    const [connector, tasks] = await Promise.all([
      fx.store.status.getConnector(name),
      fx.store.status.getTasks(name),
    ]);
    // Assess
    expect(connector).toBeUndefined();
    expect(tasks).toEqual([]);
  });

  it('lists task statuses sorted by task id with batch figures and running totals', async () => {
    // Prepare
    const name = uniqueName('c');
    const batch = (records: number) => ({ at: 'now', records, bytes: records * 10, durationMs: 5 });
    // Act
    await fx.store.status.putTask(name, 10, running);
    await fx.store.status.putTask(name, 2, { ...running, lastBatch: batch(3) });
    await fx.store.status.putTask(name, 2, { ...running, lastBatch: batch(4) });
    await fx.store.status.putTask(name, 2, { ...running, state: 'PAUSED' });
    const tasks = await fx.store.status.getTasks(name);
    // Assess
    expect(tasks.map((t) => t.task)).toEqual([2, 10]);
    expect(tasks[0]).toMatchObject({ state: 'PAUSED', lastBatch: batch(4), totals: { records: 7 } });
    expect(tasks[1]?.totals).toBeUndefined();
  });

  it('lands a fenced task status only while the lease epoch is current', async () => {
    // Prepare
    const name = uniqueName('c');
    const a = await fx.store.leases.acquire(name, 0, 'runner-a', TTL, 0);
    const b = await fx.another().leases.acquire(name, 0, 'runner-b', TTL, TTL + 1);
    await fx.store.status.putTask(name, 0, { ...running, workerId: 'runner-b' }, { epoch: b?.epoch });
    // Act
    const stale = fx.store.status.putTask(
      name,
      0,
      { ...running, state: 'FAILED', trace: 'x' },
      { epoch: a?.epoch },
    );
    // Assess
    const error = await stale.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FencedError);
    expect(error).toMatchObject({ epoch: 1, currentEpoch: 2 });
    const [task] = await fx.store.status.getTasks(name);
    expect(task).toMatchObject({
      state: 'RUNNING',
      workerId: 'runner-b',
      lease: { owner: 'runner-b', epoch: 2 },
    });
  });

  it('keeps the lease when the control plane writes a task status', async () => {
    // Prepare
    const name = uniqueName('c');
    await fx.store.leases.acquire(name, 0, 'runner-a', TTL, 0);
    // Act
    await fx.store.status.putTask(name, 0, { ...running, state: 'RESTARTING', restartEpoch: 4 });
    // Assess
    const [task] = await fx.store.status.getTasks(name);
    expect(task).toMatchObject({
      state: 'RESTARTING',
      restartEpoch: 4,
      lease: { owner: 'runner-a', epoch: 1 },
    });
  });

  it('clears the status of tasks from a given id, freeing their leases but keeping their epochs', async () => {
    // Prepare
    const name = uniqueName('c');
    for (const task of [0, 1, 2]) await fx.store.status.putTask(name, task, running);
    const old = await fx.store.leases.acquire(name, 2, 'runner-a', TTL);
    // Act
    await fx.store.status.deleteTasks(name, { from: 1 });
    // Assess
    expect((await fx.store.status.getTasks(name)).map((t) => t.task)).toEqual([0]);
    const next = await fx.store.leases.acquire(name, 2, 'runner-b', TTL);
    expect(next?.epoch).toBe((old?.epoch ?? 0) + 1);
  });

  it('deletes all status of a connector, topics included, and no other connector’s, fencing its runners', async () => {
    // Prepare
    const name = uniqueName('c');
    const other = uniqueName('c');
    await fx.store.status.putConnector(name, running);
    await fx.store.status.putTask(name, 0, running);
    await fx.store.status.addActiveTopics(name, ['t1']);
    await fx.store.status.putConnector(other, running);
    const old = await fx.store.leases.acquire(name, 0, 'runner-a', TTL);
    // Act
    await fx.store.status.deleteAll(name);
    // Assess
    expect(await fx.store.status.getConnector(name)).toBeUndefined();
    expect(await fx.store.status.getTasks(name)).toEqual([]);
    expect(await fx.store.status.getActiveTopics(name)).toEqual([]);
    expect(await fx.store.status.getConnector(other)).toBeDefined();
    // A runner of the deleted connector cannot commit under a connector re-created with its name.
    expect(await fx.store.leases.isCurrent(name, 0, old?.epoch ?? -1)).toBe(false);
    expect((await fx.store.leases.acquire(name, 0, 'runner-b', TTL))?.epoch).toBe((old?.epoch ?? 0) + 2);
  });

  it('tracks active topics as an idempotent set and resets them', async () => {
    // Prepare
    const name = uniqueName('c');
    // Act
    await fx.store.status.addActiveTopics(name, ['b', 'a']);
    await fx.store.status.addActiveTopics(name, ['a', 'c', 'c']);
    const tracked = await fx.store.status.getActiveTopics(name);
    await fx.store.status.resetActiveTopics(name);
    // Assess
    expect(tracked).toEqual(['a', 'b', 'c']);
    expect(await fx.store.status.getActiveTopics(name)).toEqual([]);
  });
});
