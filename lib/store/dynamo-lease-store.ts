import { n, readN, readS, s } from './codec.js';
import { ConflictError, FencedError, type RawItem } from './errors.js';
import type { LeaseInfo, LeaseStore } from './ports.js';
import type { DynamoRequests } from './requests.js';
import { LEASE, STATUS_PK, STATUS_SK, statusKey, taskKey } from './status-item.js';
import { TASK_STATUS_PREFIX } from './tables.js';
import { queryTaskItems, taskIdOf } from './task-items.js';

const NAMES = { '#owner': LEASE.owner, '#epoch': LEASE.epoch, '#expiresAt': LEASE.expiresAt };

/** LeaseStore on the task status items: attributes leaseOwner, leaseEpoch, leaseExpiresAt. */
export class DynamoLeaseStore implements LeaseStore {
  readonly #requests: DynamoRequests;
  readonly #table: string;
  readonly #clock: () => number;

  constructor(options: { requests: DynamoRequests; table: string; clock: () => number }) {
    this.#requests = options.requests;
    this.#table = options.table;
    this.#clock = options.clock;
  }

  async acquire(connector: string, task: number, owner: string, ttlMs: number, now = this.#clock()) {
    const expiresAt = now + ttlMs;
    try {
      const { Attributes } = await this.#requests.updateItem({
        TableName: this.#table,
        Key: taskKey(connector, task),
        UpdateExpression: 'SET #owner = :owner, #expiresAt = :expiresAt ADD #epoch :one',
        // Closes the two-runners race (two dispatcher ticks, a chained batch and a tick): only one of
        // them finds the lease free or expired; the epoch it bumps fences every earlier holder.
        ConditionExpression: 'attribute_not_exists(#expiresAt) OR #expiresAt < :now',
        ExpressionAttributeNames: NAMES,
        ExpressionAttributeValues: {
          ':owner': s(owner),
          ':expiresAt': n(expiresAt),
          ':one': n(1),
          ':now': n(now),
        },
        ReturnValues: 'UPDATED_NEW',
      });
      return { epoch: Attributes ? (readN(Attributes, LEASE.epoch) ?? 0) : 0, expiresAt };
    } catch (error) {
      if (error instanceof ConflictError) return undefined;
      throw error;
    }
  }

  async renew(connector: string, task: number, epoch: number, ttlMs: number, now = this.#clock()) {
    const expiresAt = now + ttlMs;
    await this.#requests.updateItem(
      {
        TableName: this.#table,
        Key: taskKey(connector, task),
        UpdateExpression: 'SET #expiresAt = :expiresAt',
        // Closes the renew-after-takeover race: a runner can only extend the lease it still holds.
        ConditionExpression: '#epoch = :epoch AND attribute_exists(#owner)',
        ExpressionAttributeNames: NAMES,
        ExpressionAttributeValues: { ':expiresAt': n(expiresAt), ':epoch': n(epoch) },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
      ({ item }) =>
        new FencedError({ connector, task, epoch, currentEpoch: item && readN(item, LEASE.epoch) }),
    );
    return expiresAt;
  }

  async release(connector: string, task: number, epoch: number): Promise<void> {
    await this.#requests.updateItem(
      {
        TableName: this.#table,
        Key: taskKey(connector, task),
        // The epoch stays: it must keep growing so that old holders stay fenced.
        UpdateExpression: 'REMOVE #owner, #expiresAt',
        // Closes the late-release race: a fenced runner must not free the lease its successor holds.
        ConditionExpression: '#epoch = :epoch',
        ExpressionAttributeNames: NAMES,
        ExpressionAttributeValues: { ':epoch': n(epoch) },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
      ({ item }) =>
        new FencedError({ connector, task, epoch, currentEpoch: item && readN(item, LEASE.epoch) }),
    );
  }

  async isCurrent(connector: string, task: number, epoch: number): Promise<boolean> {
    const { Item } = await this.#requests.getItem({
      TableName: this.#table,
      Key: taskKey(connector, task),
      ProjectionExpression: '#epoch',
      ExpressionAttributeNames: { '#epoch': LEASE.epoch },
      ConsistentRead: true,
    });
    return Item !== undefined && readN(Item, LEASE.epoch) === epoch;
  }

  async fence(connector: string, options: { from?: number } = {}): Promise<number[]> {
    const from = options.from ?? 0;
    const tasks = (await queryTaskItems(this.#requests, this.#table, connector, []))
      .map(taskIdOf)
      .filter((task) => task >= from);
    await Promise.all(
      tasks.map((task) =>
        this.#requests
          .updateItem(
            {
              TableName: this.#table,
              Key: taskKey(connector, task),
              // Closes the stop-then-commit race: a runner whose batch is still running when the
              // connector stops holds the old epoch, so its commit cannot land over an offsets reset.
              UpdateExpression: 'REMOVE #owner, #expiresAt ADD #epoch :one',
              // An item deleted meanwhile must not come back as a bare epoch.
              ConditionExpression: 'attribute_exists(#pk)',
              ExpressionAttributeNames: { ...NAMES, '#pk': STATUS_PK },
              ExpressionAttributeValues: { ':one': n(1) },
            },
            () => new ConflictError(`Task ${connector}-${task} vanished`),
          )
          .catch((error: unknown) => {
            if (!(error instanceof ConflictError)) throw error;
          }),
      ),
    );
    return tasks;
  }

  async live(connector: string, now = this.#clock()): Promise<(LeaseInfo & { task: number })[]> {
    const items = await queryTaskItems(this.#requests, this.#table, connector, [
      LEASE.owner,
      LEASE.epoch,
      LEASE.expiresAt,
    ]);
    return items
      .map((item) => ({ task: taskIdOf(item), ...leaseOf(item) }))
      .filter((lease) => lease.owner !== '' && lease.expiresAt >= now);
  }

  async releaseOwnedBy(prefix: string, options: { except?: string } = {}) {
    const found: RawItem[] = [];
    let ExclusiveStartKey: RawItem | undefined;
    do {
      const page = await this.#requests.scan({
        TableName: this.#table,
        ProjectionExpression: '#pk, #sk, #owner, #epoch',
        FilterExpression: 'begins_with(#sk, :task) AND begins_with(#owner, :prefix)',
        ExpressionAttributeNames: {
          '#pk': STATUS_PK,
          '#sk': STATUS_SK,
          '#owner': LEASE.owner,
          '#epoch': LEASE.epoch,
        },
        ExpressionAttributeValues: { ':task': s(TASK_STATUS_PREFIX), ':prefix': s(prefix) },
        ConsistentRead: true,
        ExclusiveStartKey,
      });
      found.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    const { except } = options;
    const released = await Promise.all(
      found
        .map((item) => ({
          connector: readS(item, STATUS_PK) ?? '',
          id: readS(item, STATUS_SK) ?? '',
          task: taskIdOf(item),
          ...leaseOf(item),
        }))
        .filter((lease) => except === undefined || !lease.owner.startsWith(except))
        .map(async ({ connector, id, task, owner, epoch }) => {
          try {
            await this.#requests.updateItem(
              {
                TableName: this.#table,
                Key: statusKey(connector, id),
                // The epoch moves on too: were the owner not dead after all, its commits are fenced.
                UpdateExpression: 'REMOVE #owner, #expiresAt ADD #epoch :one',
                // Closes the reclaim-after-takeover race: only the lease as it was found is freed.
                ConditionExpression: '#owner = :owner AND #epoch = :epoch',
                ExpressionAttributeNames: NAMES,
                ExpressionAttributeValues: { ':owner': s(owner), ':epoch': n(epoch), ':one': n(1) },
              },
              () => new ConflictError(`Lease of ${connector}-${task} changed meanwhile`),
            );
            return { connector, task, owner };
          } catch (error) {
            if (error instanceof ConflictError) return undefined;
            throw error;
          }
        }),
    );
    return released.filter((r) => r !== undefined);
  }
}

function leaseOf(item: RawItem): LeaseInfo {
  return {
    owner: readS(item, LEASE.owner) ?? '',
    epoch: readN(item, LEASE.epoch) ?? 0,
    expiresAt: readN(item, LEASE.expiresAt) ?? 0,
  };
}
