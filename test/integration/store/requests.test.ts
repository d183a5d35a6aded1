import { DeleteTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTables } from '../../../lib/store/create-tables.js';
import { StoreError } from '../../../lib/store/errors.js';
import { dynamoStateStore } from '../../../lib/store/state-store.js';
import { uniqueName } from '../../support/services.js';
import { type StoreFixture, storeFixture } from './fixture.js';

let fx: StoreFixture;
beforeAll(async () => {
  fx = await storeFixture('reqs');
});
afterAll(() => fx.dispose());

describe('DynamoDB request counting', () => {
  it('counts each request under its operation name', async () => {
    // Prepare
    const store = fx.another();
    const name = uniqueName('c');
    // Act
    await store.configs.create({ name, config: {}, type: 'source', targetState: 'STARTED' });
    await store.configs.update(name, (c) => ({ ...c, targetState: 'PAUSED' }));
    await store.configs.listAll();
    // Assess
    expect(store.requestCount()).toEqual({ total: 4, byCommand: { GetItem: 1, PutItem: 2, Scan: 1 } });
  });

  it('costs the one-batch cycle of a runner in requests', async () => {
    // Prepare
    const store = fx.another();
    const name = uniqueName('c');
    // Act
    const lease = await store.leases.acquire(name, 0, 'runner', 60_000);
    const fence = { task: 0, epoch: lease?.epoch ?? -1 };
    await store.offsets.get(name, [{ p: 1 }]);
    await store.offsets.commit(name, [{ partition: { p: 1 }, offset: { o: 1 } }], fence);
    await store.status.putTask(name, 0, { state: 'RUNNING', workerId: 'runner', generation: 1 }, fence);
    await store.leases.release(name, 0, fence.epoch);
    // Assess
    expect(store.requestCount()).toEqual({
      total: 5,
      byCommand: { BatchGetItem: 1, TransactWriteItems: 1, UpdateItem: 3 },
    });
  });

  it('counts a request that failed', async () => {
    // Prepare
    const store = fx.another();
    // Act
    await store.configs.delete(uniqueName('absent')).catch(() => {});
    // Assess
    expect(store.requestCount().byCommand).toEqual({ DeleteItem: 1 });
  });

  it('turns an SDK error into a StoreError with the SDK error as cause', async () => {
    // Prepare
    const store = dynamoStateStore({
      client: fx.client,
      tables: { configs: uniqueName('missing'), status: 'x', offsets: 'y' },
    });
    // Act
    const error = await store.configs.get('any').catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toMatch(/^GetItem failed: ResourceNotFoundException/);
    expect((error as StoreError).cause).toBeInstanceOf(Error);
  });
});

describe('ensureTables', () => {
  it('leaves existing tables alone and creates only the missing ones, all ACTIVE', async () => {
    // Prepare
    const tables = { ...fx.tables, offsets: uniqueName('reqs-offsets') };
    // Act
    await Promise.all([ensureTables(fx.client, tables), ensureTables(fx.client, tables)]);
    // Assess
    const { Table } = await fx.client.send(new DescribeTableCommand({ TableName: tables.offsets }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema?.map((k) => k.AttributeName)).toEqual(['connector', 'partition']);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    await fx.client.send(new DeleteTableCommand({ TableName: tables.offsets }));
  });
});
