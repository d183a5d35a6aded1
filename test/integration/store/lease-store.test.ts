import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FencedError } from '../../../lib/store/errors.js';
import { uniqueName } from '../../support/services.js';
import { type StoreFixture, storeFixture } from './fixture.js';

let fx: StoreFixture;
beforeAll(async () => {
  fx = await storeFixture('lease');
});
afterAll(() => fx.dispose());

const T0 = 1_000_000;
const TTL = 60_000;

describe('the DynamoDB lease store', () => {
  it('grants a free lease at epoch 1 with its expiry', async () => {
    // Prepare
    const connector = uniqueName('c');
    // Act
    const lease = await fx.store.leases.acquire(connector, 0, 'worker-a', TTL, T0);
    // Assess
    expect(lease).toEqual({ epoch: 1, expiresAt: T0 + TTL });
    expect(await fx.store.leases.isCurrent(connector, 0, 1)).toBe(true);
  });

  it('refuses a second acquire while the lease is live', async () => {
    // Prepare
    const connector = uniqueName('c');
    await fx.store.leases.acquire(connector, 0, 'worker-a', TTL, T0);
    // Act
    const second = await fx.another().leases.acquire(connector, 0, 'worker-b', TTL, T0 + TTL - 1);
    // Assess
    expect(second).toBeUndefined();
    expect(await fx.store.leases.isCurrent(connector, 0, 1)).toBe(true);
  });

  it('lets exactly one of many simultaneous acquires win', async () => {
    // Prepare
    const connector = uniqueName('c');
    // Act
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => fx.another().leases.acquire(connector, 3, `w${i}`, TTL, T0)),
    );
    // Assess
    expect(results.filter(Boolean)).toEqual([{ epoch: 1, expiresAt: T0 + TTL }]);
  });

  it('grants an expired lease to the next runner at epoch + 1 and fences the old epoch', async () => {
    // Prepare
    const connector = uniqueName('c');
    await fx.store.leases.acquire(connector, 0, 'worker-a', TTL, T0);
    // Act
    const taken = await fx.another().leases.acquire(connector, 0, 'worker-b', TTL, T0 + TTL + 1);
    // Assess
    expect(taken).toEqual({ epoch: 2, expiresAt: T0 + 2 * TTL + 1 });
    expect(await fx.store.leases.isCurrent(connector, 0, 1)).toBe(false);
    expect(await fx.store.leases.isCurrent(connector, 0, 2)).toBe(true);
  });

  it('keeps leases of different tasks apart', async () => {
    // Prepare
    const connector = uniqueName('c');
    await fx.store.leases.acquire(connector, 0, 'worker-a', TTL, T0);
    // Act
    const other = await fx.store.leases.acquire(connector, 1, 'worker-b', TTL, T0);
    // Assess
    expect(other?.epoch).toBe(1);
  });

  it('renews a held lease and refuses to renew a fenced one', async () => {
    // Prepare
    const connector = uniqueName('c');
    await fx.store.leases.acquire(connector, 0, 'worker-a', TTL, T0);
    // Act
    const renewed = await fx.store.leases.renew(connector, 0, 1, TTL, T0 + 1000);
    const blocked = await fx.another().leases.acquire(connector, 0, 'worker-b', TTL, T0 + TTL + 500);
    await fx.another().leases.acquire(connector, 0, 'worker-b', TTL, renewed + 1);
    const stale = fx.store.leases.renew(connector, 0, 1, TTL, renewed + 2);
    // Assess
    expect(renewed).toBe(T0 + 1000 + TTL);
    expect(blocked).toBeUndefined();
    const error = await stale.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FencedError);
    expect((error as FencedError).currentEpoch).toBe(2);
  });

  it('frees a released lease at once, keeping the epoch growing', async () => {
    // Prepare
    const connector = uniqueName('c');
    await fx.store.leases.acquire(connector, 0, 'worker-a', TTL, T0);
    // Act
    await fx.store.leases.release(connector, 0, 1);
    const next = await fx.another().leases.acquire(connector, 0, 'worker-b', TTL, T0 + 1);
    // Assess
    expect(next?.epoch).toBe(2);
  });

  it('refuses a release by an old epoch and leaves the successor holding the lease', async () => {
    // Prepare
    const connector = uniqueName('c');
    await fx.store.leases.acquire(connector, 0, 'worker-a', TTL, T0);
    await fx.another().leases.acquire(connector, 0, 'worker-b', TTL, T0 + TTL + 1);
    // Act
    const release = fx.store.leases.release(connector, 0, 1);
    // Assess
    await expect(release).rejects.toBeInstanceOf(FencedError);
    const third = await fx.store.leases.acquire(connector, 0, 'worker-c', TTL, T0 + TTL + 2);
    expect(third).toBeUndefined();
    const [task] = await fx.store.status.getTasks(connector);
    expect(task?.lease).toEqual({ owner: 'worker-b', epoch: 2, expiresAt: T0 + 2 * TTL + 1 });
  });

  it('reports no current epoch for a task that never had a lease', async () => {
    // Act
    const current = await fx.store.leases.isCurrent(uniqueName('c'), 0, 1);
    // Assess
    expect(current).toBe(false);
  });

  it('fences every task of a connector: epochs move on, leases are freed, old epochs cannot commit', async () => {
    // Prepare
    const connector = uniqueName('c');
    const a = await fx.store.leases.acquire(connector, 0, 'worker-a', TTL, T0);
    await fx.store.leases.acquire(connector, 1, 'worker-b', TTL, T0);
    await fx.store.leases.release(connector, 1, 1);
    await fx.store.leases.acquire(connector, 2, 'worker-c', TTL, T0);
    // Act
    const fenced = await fx.store.leases.fence(connector);
    const again = await fx.store.leases.fence(connector, { from: 2 });
    // Assess
    expect(fenced).toEqual([0, 1, 2]);
    expect(again).toEqual([2]);
    expect(await fx.store.leases.live(connector, T0)).toEqual([]);
    await expect(
      fx.store.offsets.commit(connector, [{ partition: { p: 0 }, offset: { o: 1 } }], {
        task: 0,
        epoch: a?.epoch ?? 0,
      }),
    ).rejects.toBeInstanceOf(FencedError);
    expect(await fx.store.offsets.getAll(connector)).toEqual([]);
    // Acquired at 1, fenced to 2: the next runner takes 3 (task 2 was fenced twice).
    expect((await fx.store.leases.acquire(connector, 0, 'worker-d', TTL, T0))?.epoch).toBe(3);
    expect((await fx.store.leases.acquire(connector, 2, 'worker-d', TTL, T0))?.epoch).toBe(4);
    expect(await fx.store.leases.fence(uniqueName('none'))).toEqual([]);
  });

  it("lists a connector's live leases only", async () => {
    // Prepare
    const connector = uniqueName('c');
    await fx.store.leases.acquire(connector, 0, 'worker-a', TTL, T0);
    await fx.store.leases.acquire(connector, 1, 'worker-b', 1_000, T0);
    await fx.store.leases.acquire(connector, 2, 'worker-c', TTL, T0);
    await fx.store.leases.release(connector, 2, 1);
    await fx.store.leases.acquire(uniqueName('c'), 0, 'worker-e', TTL, T0);
    // Act
    const now = await fx.store.leases.live(connector, T0 + 500);
    const later = await fx.store.leases.live(connector, T0 + 2_000);
    // Assess
    expect(now.map((l) => [l.task, l.owner])).toEqual([
      [0, 'worker-a'],
      [1, 'worker-b'],
    ]);
    expect(later).toEqual([{ task: 0, owner: 'worker-a', epoch: 1, expiresAt: T0 + TTL }]);
  });

  it('frees and fences the leases owned by a prefix, except the ones of `except`, of any connector', async () => {
    // Prepare
    const prefix = `${uniqueName('local')}:`;
    const [c1, c2] = [uniqueName('c'), uniqueName('c')];
    const dead = await fx.store.leases.acquire(c1, 0, `${prefix}old/fn#1`, TTL, T0);
    await fx.store.leases.acquire(c2, 3, `${prefix}older/fn#2`, TTL, T0);
    await fx.store.leases.acquire(c1, 1, `${prefix}current/fn#3`, TTL, T0);
    await fx.store.leases.acquire(c2, 0, 'someone-else#4', TTL, T0);
    // Act
    const released = await fx.store.leases.releaseOwnedBy(prefix, { except: `${prefix}current/` });
    // Assess
    expect(released.sort((a, b) => a.owner.localeCompare(b.owner))).toEqual([
      { connector: c1, task: 0, owner: `${prefix}old/fn#1` },
      { connector: c2, task: 3, owner: `${prefix}older/fn#2` },
    ]);
    expect(await fx.store.leases.isCurrent(c1, 0, dead?.epoch ?? 0)).toBe(false);
    expect((await fx.another().leases.acquire(c1, 0, 'new#5', TTL, T0 + 1))?.epoch).toBe(3);
    expect((await fx.another().leases.acquire(c2, 3, 'new#6', TTL, T0 + 1))?.epoch).toBe(3);
    expect(await fx.another().leases.acquire(c1, 1, 'new#7', TTL, T0 + 1)).toBeUndefined();
    expect(await fx.another().leases.acquire(c2, 0, 'new#8', TTL, T0 + 1)).toBeUndefined();
  });
});
