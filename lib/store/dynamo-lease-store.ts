import { n, readN, s } from './codec.js';
import { ConflictError, FencedError } from './errors.js';
import type { LeaseStore } from './ports.js';
import type { DynamoRequests } from './requests.js';
import { LEASE, taskKey } from './status-item.js';

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
}
