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
});
