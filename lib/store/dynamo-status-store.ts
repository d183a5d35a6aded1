import { n, readN, readS, s, updateExpression } from './codec.js';
import { ConflictError, FencedError, type RawItem } from './errors.js';
import type { ConnectorStatus, StatusStore, StatusUpdate, TaskStatus } from './ports.js';
import type { DynamoRequests } from './requests.js';
import {
  LEASE,
  STATUS_ATTRIBUTES,
  STATUS_PK,
  STATUS_SK,
  statusKey,
  statusUpdateParts,
  taskKey,
  connectorStatusFromItem as toConnectorStatus,
  taskStatusFromItem as toTaskStatus,
} from './status-item.js';
import { CONNECTOR_STATUS_ID, TASK_STATUS_PREFIX, TOPICS_STATUS_ID } from './tables.js';
import { writeBatches } from './write-batches.js';

/** StatusStore on the status table: items `connector`, `task#NNNN` and `topics` per connector. */
export class DynamoStatusStore implements StatusStore {
  readonly #requests: DynamoRequests;
  readonly #table: string;
  readonly #clock: () => number;

  constructor(options: { requests: DynamoRequests; table: string; clock: () => number }) {
    this.#requests = options.requests;
    this.#table = options.table;
    this.#clock = options.clock;
  }

  async putConnector(name: string, status: StatusUpdate): Promise<void> {
    const parts = updateExpression(statusUpdateParts(status, this.#now()));
    await this.#requests.updateItem(
      {
        TableName: this.#table,
        Key: statusKey(name, CONNECTOR_STATUS_ID),
        ...parts,
        // Closes the slow-writer race: a status computed for an older config generation, landing after
        // one for a newer generation, must not put the older state back.
        ConditionExpression: 'attribute_not_exists(#generation) OR #generation <= :writtenGeneration',
        ExpressionAttributeValues: {
          ...parts.ExpressionAttributeValues,
          ':writtenGeneration': n(status.generation),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
      ({ item }) =>
        new ConflictError(`Status of connector ${name} is of a newer generation`, {
          current: item && toConnectorStatus(item),
        }),
    );
  }

  async putTask(name: string, task: number, status: StatusUpdate, options: { epoch?: number } = {}) {
    const parts = updateExpression(statusUpdateParts(status, this.#now()));
    const { epoch } = options;
    if (epoch === undefined) {
      // The control plane (RESTARTING, UNASSIGNED) writes whatever runs; it holds no lease to check.
      await this.#requests.updateItem({ TableName: this.#table, Key: taskKey(name, task), ...parts });
      return;
    }
    await this.#requests.updateItem(
      {
        TableName: this.#table,
        Key: taskKey(name, task),
        ...parts,
        // Closes the zombie-runner race: a runner whose lease was taken over cannot overwrite the status
        // the current runner writes.
        ConditionExpression: '#leaseEpoch = :fenceEpoch',
        ExpressionAttributeNames: { ...parts.ExpressionAttributeNames, '#leaseEpoch': LEASE.epoch },
        ExpressionAttributeValues: { ...parts.ExpressionAttributeValues, ':fenceEpoch': n(epoch) },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
      ({ item }) =>
        new FencedError({ connector: name, task, epoch, currentEpoch: item && readN(item, LEASE.epoch) }),
    );
  }

  async getConnector(name: string): Promise<ConnectorStatus | undefined> {
    const { Item } = await this.#requests.getItem({
      TableName: this.#table,
      Key: statusKey(name, CONNECTOR_STATUS_ID),
      ConsistentRead: true,
    });
    return Item && toConnectorStatus(Item);
  }

  async getTasks(name: string): Promise<TaskStatus[]> {
    const items = await this.#queryPartition(name, TASK_STATUS_PREFIX);
    return items
      .map(toTaskStatus)
      .filter((status) => status !== undefined)
      .sort((a, b) => a.task - b.task);
  }

  async deleteTasks(name: string, options: { from?: number } = {}): Promise<void> {
    await this.#clearTasks(name, options.from ?? 0, false);
  }

  async deleteAll(name: string): Promise<void> {
    await this.#clearTasks(name, 0, true);
    const ids = [CONNECTOR_STATUS_ID, TOPICS_STATUS_ID];
    await writeBatches(
      this.#requests,
      this.#table,
      ids.map((id) => ({ DeleteRequest: { Key: statusKey(name, id) } })),
    );
  }

  async addActiveTopics(name: string, topics: readonly string[]): Promise<void> {
    // DynamoDB rejects an empty set; adding nothing is a no-op without a request.
    if (topics.length === 0) return;
    await this.#requests.updateItem({
      TableName: this.#table,
      Key: statusKey(name, TOPICS_STATUS_ID),
      UpdateExpression: 'ADD #topics :topics',
      ExpressionAttributeNames: { '#topics': 'topics' },
      ExpressionAttributeValues: { ':topics': { SS: [...new Set(topics)] } },
    });
  }

  async getActiveTopics(name: string): Promise<string[]> {
    const { Item } = await this.#requests.getItem({
      TableName: this.#table,
      Key: statusKey(name, TOPICS_STATUS_ID),
      ConsistentRead: true,
    });
    return [...(Item?.topics?.SS ?? [])].sort();
  }

  async resetActiveTopics(name: string): Promise<void> {
    await this.#requests.deleteItem({ TableName: this.#table, Key: statusKey(name, TOPICS_STATUS_ID) });
  }

  async #clearTasks(name: string, from: number, fence: boolean): Promise<void> {
    const items = await this.#queryPartition(name, TASK_STATUS_PREFIX, true);
    const ids = items
      .map((item) => readS(item, STATUS_SK) ?? '')
      .filter((id) => Number(id.slice(TASK_STATUS_PREFIX.length)) >= from);
    await Promise.all(ids.map((id) => this.#clearTask(name, id, fence)));
  }

  /**
   * Clears a task's status and frees its lease, keeping `leaseEpoch` so old epochs stay fenced; with
   * `fence`, the epoch also moves on, which fences the runner that held it.
   */
  async #clearTask(name: string, id: string, fence: boolean): Promise<void> {
    const parts = updateExpression({
      remove: [...STATUS_ATTRIBUTES, LEASE.owner, LEASE.expiresAt],
      ...(fence ? { add: { [LEASE.epoch]: n(1) } } : {}),
    });
    try {
      await this.#requests.updateItem(
        {
          TableName: this.#table,
          Key: statusKey(name, id),
          ...parts,
          // An item deleted meanwhile must not come back as an empty one.
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { ...parts.ExpressionAttributeNames, '#pk': STATUS_PK },
        },
        () => new ConflictError(`Status ${name} ${id} vanished`),
      );
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }

  async #queryPartition(name: string, prefix: string, keysOnly = false): Promise<RawItem[]> {
    return this.#requests.queryAll({
      TableName: this.#table,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': STATUS_PK, '#sk': STATUS_SK },
      ExpressionAttributeValues: { ':pk': s(name), ':prefix': s(prefix) },
      ...(keysOnly ? { ProjectionExpression: '#pk, #sk' } : {}),
      ConsistentRead: true,
    });
  }

  #now(): string {
    return new Date(this.#clock()).toISOString();
  }
}
