import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FencedError } from '../../../lib/store/errors.js';
import { uniqueName } from '../../support/services.js';
import { type StoreFixture, storeFixture } from './fixture.js';

let fx: StoreFixture;
beforeAll(async () => {
  fx = await storeFixture('offs');
});
afterAll(() => fx.dispose());

const TTL = 60_000;

describe('the DynamoDB offset store', () => {
  it('treats partitions with the same entries in another key order as one partition', async () => {
    // Prepare
    const connector = uniqueName('c');
    // Act
    await fx.store.offsets.commit(connector, [
      { partition: { file: 'a.txt', shard: 1 }, offset: { position: 10 } },
    ]);
    await fx.store.offsets.commit(connector, [
      { partition: { shard: 1, file: 'a.txt' }, offset: { position: 20 } },
    ]);
    const [offset] = await fx.store.offsets.get(connector, [{ file: 'a.txt', shard: 1 }]);
    const all = await fx.store.offsets.getAll(connector);
    // Assess
    expect(offset).toEqual({ position: 20 });
    expect(all).toEqual([{ partition: { file: 'a.txt', shard: 1 }, offset: { position: 20 } }]);
  });

  it('returns offsets aligned with the partitions asked for, null where none is stored', async () => {
    // Prepare
    const connector = uniqueName('c');
    const partitions = Array.from({ length: 150 }, (_, i) => ({ table: `t${i}` }));
    await fx.store.offsets.commit(
      connector,
      partitions.filter((_, i) => i % 2 === 0).map((partition, i) => ({ partition, offset: { row: i } })),
    );
    // Act
    const offsets = await fx.store.offsets.get(connector, [...partitions, { table: 't0' }]);
    // Assess
    expect(offsets).toHaveLength(151);
    expect(offsets[0]).toEqual({ row: 0 });
    expect(offsets[1]).toBeNull();
    expect(offsets[148]).toEqual({ row: 74 });
    expect(offsets[150]).toEqual({ row: 0 });
  });

  it('deletes a partition offset committed as null, like a Kafka tombstone', async () => {
    // Prepare
    const connector = uniqueName('c');
    await fx.store.offsets.commit(connector, [
      { partition: { p: 1 }, offset: { o: 1 } },
      { partition: { p: 2 }, offset: { o: 2 } },
    ]);
    // Act
    await fx.store.offsets.commit(connector, [{ partition: { p: 1 }, offset: null }]);
    // Assess
    expect(await fx.store.offsets.get(connector, [{ p: 1 }, { p: 2 }])).toEqual([null, { o: 2 }]);
  });

  it('keeps offset values exactly, large integers, decimals, empty strings and nulls included', async () => {
    // Prepare
    const connector = uniqueName('c');
    const offset = { pos: 9007199254740991, ratio: 0.1, empty: '', none: null, flag: false };
    // Act
    await fx.store.offsets.commit(connector, [{ partition: { '': '' }, offset }]);
    // Assess
    expect(await fx.store.offsets.get(connector, [{ '': '' }])).toEqual([offset]);
  });

  it('stores a partition longer than a sort key allows and lists it back whole', async () => {
    // Prepare
    const connector = uniqueName('c');
    const partition = { path: `/data/${'x'.repeat(2000)}` };
    // Act
    await fx.store.offsets.commit(connector, [{ partition, offset: { line: 7 } }]);
    // Assess
    expect(await fx.store.offsets.get(connector, [partition])).toEqual([{ line: 7 }]);
    expect(await fx.store.offsets.getAll(connector)).toEqual([{ partition, offset: { line: 7 } }]);
  });

  it('keeps the last of two entries for one partition in a commit', async () => {
    // Prepare
    const connector = uniqueName('c');
    // Act
    await fx.store.offsets.commit(
      connector,
      [
        { partition: { p: 1 }, offset: { o: 1 } },
        { partition: { p: 1 }, offset: { o: 2 } },
      ],
      await lease(connector),
    );
    // Assess
    expect(await fx.store.offsets.get(connector, [{ p: 1 }])).toEqual([{ o: 2 }]);
  });

  it('refuses the commit of a runner whose lease was taken over and lands the new runner’s', async () => {
    // Prepare
    const connector = uniqueName('c');
    const a = await fx.store.leases.acquire(connector, 0, 'runner-a', TTL, 0);
    const runnerB = fx.another();
    const b = await runnerB.leases.acquire(connector, 0, 'runner-b', TTL, TTL + 1);
    // Act
    const commitA = fx.store.offsets.commit(connector, [{ partition: { p: 1 }, offset: { o: 'from-a' } }], {
      task: 0,
      epoch: a?.epoch ?? -1,
    });
    const errorA = await commitA.catch((e: unknown) => e);
    await runnerB.offsets.commit(connector, [{ partition: { p: 2 }, offset: { o: 'from-b' } }], {
      task: 0,
      epoch: b?.epoch ?? -1,
    });
    // Assess
    expect([a?.epoch, b?.epoch]).toEqual([1, 2]);
    expect(errorA).toBeInstanceOf(FencedError);
    expect(errorA).toMatchObject({ epoch: 1, currentEpoch: 2, task: 0 });
    expect(await fx.store.offsets.getAll(connector)).toEqual([
      { partition: { p: 2 }, offset: { o: 'from-b' } },
    ]);
  });

  it('refuses a fenced commit for a task that never had a lease', async () => {
    // Prepare
    const connector = uniqueName('c');
    // Act
    const commit = fx.store.offsets.commit(connector, [{ partition: { p: 1 }, offset: { o: 1 } }], {
      task: 0,
      epoch: 1,
    });
    // Assess
    await expect(commit).rejects.toBeInstanceOf(FencedError);
    expect(await fx.store.offsets.getAll(connector)).toEqual([]);
  });

  it('commits more than 99 fenced offsets in fenced chunks of 99', async () => {
    // Prepare
    const connector = uniqueName('c');
    const fence = await lease(connector);
    const offsets = Array.from({ length: 250 }, (_, i) => ({ partition: { p: i }, offset: { o: i } }));
    const before = fx.store.requestCount().byCommand.TransactWriteItems ?? 0;
    // Act
    await fx.store.offsets.commit(connector, offsets, fence);
    // Assess
    expect((fx.store.requestCount().byCommand.TransactWriteItems ?? 0) - before).toBe(3);
    expect(await fx.store.offsets.getAll(connector)).toHaveLength(250);
  });

  it('deletes every offset of a connector and no other connector’s', async () => {
    // Prepare
    const connector = uniqueName('c');
    const other = uniqueName('c');
    const offsets = Array.from({ length: 60 }, (_, i) => ({ partition: { p: i }, offset: { o: i } }));
    await fx.store.offsets.commit(connector, offsets);
    await fx.store.offsets.commit(other, offsets.slice(0, 1));
    // Act
    await fx.store.offsets.deleteAll(connector);
    // Assess
    expect(await fx.store.offsets.getAll(connector)).toEqual([]);
    expect(await fx.store.offsets.getAll(other)).toHaveLength(1);
  });

  it('makes no request for an empty commit', async () => {
    // Prepare
    const before = fx.store.requestCount().total;
    // Act
    await fx.store.offsets.commit(uniqueName('c'), []);
    // Assess
    expect(fx.store.requestCount().total).toBe(before);
  });
});

async function lease(connector: string): Promise<{ task: number; epoch: number }> {
  const granted = await fx.store.leases.acquire(connector, 0, 'runner', TTL);
  if (!granted) throw new Error('lease not granted');
  return { task: 0, epoch: granted.epoch };
}
