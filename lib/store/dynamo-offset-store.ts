import type { TransactWriteItem, WriteRequest } from '@aws-sdk/client-dynamodb';
import { chunk, HASHED_KEY_PREFIX, json, n, partitionKey, readJson, readN, readS, s } from './codec.js';
import { FencedError, type RawItem } from './errors.js';
import type { OffsetEntry, OffsetStore, SourceOffset, SourcePartition } from './ports.js';
import type { DynamoRequests } from './requests.js';
import { LEASE, taskKey } from './status-item.js';
import { TABLES } from './tables.js';
import { getBatches, writeBatches } from './write-batches.js';

const PK = TABLES.offsets.partitionKey;
const SK = TABLES.offsets.sortKey;
/** A transaction holds at most 100 actions: one ConditionCheck on the lease plus 99 offset writes. */
const FENCED_CHUNK = 99;

/** OffsetStore on the offsets table: one item per (connector, canonical source partition). */
export class DynamoOffsetStore implements OffsetStore {
  readonly #requests: DynamoRequests;
  readonly #table: string;
  readonly #statusTable: string;

  constructor(options: { requests: DynamoRequests; table: string; statusTable: string }) {
    this.#requests = options.requests;
    this.#table = options.table;
    this.#statusTable = options.statusTable;
  }

  async get(connector: string, partitions: readonly SourcePartition[]): Promise<(SourceOffset | null)[]> {
    const keys = partitions.map(partitionKey);
    const unique = [...new Set(keys)].map((key) => this.#key(connector, key));
    const items = await getBatches(this.#requests, this.#table, unique);
    const found = new Map(
      items.map((item) => [readS(item, SK) ?? '', readJson<SourceOffset>(item, 'offset')]),
    );
    return keys.map((key) => found.get(key) ?? null);
  }

  async getAll(connector: string): Promise<{ partition: SourcePartition; offset: SourceOffset }[]> {
    const items = await this.#queryPartition(connector);
    return items.map((item) => ({
      partition: decodePartition(item),
      offset: readJson<SourceOffset>(item, 'offset') ?? {},
    }));
  }

  async commit(
    connector: string,
    offsets: readonly OffsetEntry[],
    fence?: { task: number; epoch: number },
  ): Promise<void> {
    // Last entry per partition wins (Kafka's log semantics); a request may not name one item twice.
    const latest = new Map(offsets.map((entry) => [partitionKey(entry.partition), entry]));
    if (latest.size === 0) return;
    if (!fence) {
      const writes = [...latest].map(([key, entry]) => this.#write(connector, key, entry));
      await writeBatches(this.#requests, this.#table, writes);
      return;
    }
    for (const batch of chunk([...latest], FENCED_CHUNK)) {
      const actions: TransactWriteItem[] = batch.map(([key, entry]) => {
        const write = this.#write(connector, key, entry);
        return write.PutRequest
          ? { Put: { TableName: this.#table, Item: write.PutRequest.Item } }
          : { Delete: { TableName: this.#table, Key: write.DeleteRequest?.Key } };
      });
      await this.#requests.transactWriteItems(
        {
          TransactItems: [
            {
              ConditionCheck: {
                TableName: this.#statusTable,
                Key: taskKey(connector, fence.task),
                // Closes the zombie-commit race: a runner whose lease was taken over (its batch outlived
                // the lease) must not move offsets under the runner that now owns the task.
                ConditionExpression: '#epoch = :epoch',
                ExpressionAttributeNames: { '#epoch': LEASE.epoch },
                ExpressionAttributeValues: { ':epoch': n(fence.epoch) },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            ...actions,
          ],
        },
        ({ item }) =>
          new FencedError({
            connector,
            task: fence.task,
            epoch: fence.epoch,
            currentEpoch: item && readN(item, LEASE.epoch),
          }),
      );
    }
  }

  async deleteAll(connector: string): Promise<void> {
    const items = await this.#queryPartition(connector, true);
    const deletes = items.map((item) => ({
      DeleteRequest: { Key: this.#key(connector, readS(item, SK) ?? '') },
    }));
    await writeBatches(this.#requests, this.#table, deletes);
  }

  #key(connector: string, key: string): RawItem {
    return { [PK]: s(connector), [SK]: s(key) };
  }

  #write(connector: string, key: string, entry: OffsetEntry): WriteRequest {
    if (entry.offset === null) return { DeleteRequest: { Key: this.#key(connector, key) } };
    const item: RawItem = { ...this.#key(connector, key), offset: json(entry.offset) };
    // A hashed key cannot be read back, so the partition itself rides along.
    if (key.startsWith(HASHED_KEY_PREFIX)) item.partitionJson = json(entry.partition);
    return { PutRequest: { Item: item } };
  }

  async #queryPartition(connector: string, keysOnly = false): Promise<RawItem[]> {
    return this.#requests.queryAll({
      TableName: this.#table,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': PK, ...(keysOnly ? { '#sk': SK } : {}) },
      ExpressionAttributeValues: { ':pk': s(connector) },
      ...(keysOnly ? { ProjectionExpression: '#pk, #sk' } : {}),
      ConsistentRead: true,
    });
  }
}

function decodePartition(item: RawItem): SourcePartition {
  const key = readS(item, SK) ?? '{}';
  if (key.startsWith(HASHED_KEY_PREFIX)) return readJson<SourcePartition>(item, 'partitionJson') ?? {};
  return JSON.parse(key) as SourcePartition;
}
