import { randomUUID } from 'node:crypto';
import { backoff, json, n, readJson, readN, readS, s } from './codec.js';
import { ConflictError, MissingError, type RawItem } from './errors.js';
import type { ConfigStore, ConnectorRecord, Mutation, NewConnector, UpdateOptions } from './ports.js';
import type { DynamoRequests } from './requests.js';
import { TABLES } from './tables.js';
import { getBatches } from './write-batches.js';

const PK = TABLES.configs.partitionKey;

/** ConfigStore on the configs table: one item per connector, keyed by name. */
export class DynamoConfigStore implements ConfigStore {
  readonly #requests: DynamoRequests;
  readonly #table: string;
  readonly #clock: () => number;

  constructor(options: { requests: DynamoRequests; table: string; clock: () => number }) {
    this.#requests = options.requests;
    this.#table = options.table;
    this.#clock = options.clock;
  }

  async create(connector: NewConnector): Promise<ConnectorRecord> {
    const now = new Date(this.#clock()).toISOString();
    const record: ConnectorRecord = {
      ...connector,
      taskConfigs: connector.taskConfigs ?? [],
      generation: 1,
      // Every create is a new connector, whatever its name was used for before (delete + re-create).
      incarnation: randomUUID(),
      createdAt: now,
      updatedAt: now,
    };
    await this.#requests.putItem(
      {
        TableName: this.#table,
        Item: toItem(record),
        // Closes the two-simultaneous-POSTs race: only the first create of a name lands.
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': PK },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
      ({ item }) =>
        new ConflictError(`Connector ${connector.name} already exists`, { current: item && fromItem(item) }),
    );
    return record;
  }

  async get(name: string): Promise<ConnectorRecord | undefined> {
    const { Item } = await this.#requests.getItem({
      TableName: this.#table,
      Key: { [PK]: s(name) },
      ConsistentRead: true,
    });
    return Item && fromItem(Item);
  }

  async getMany(names: readonly string[]): Promise<ConnectorRecord[]> {
    const keys = [...new Set(names)].map((name) => ({ [PK]: s(name) }));
    if (keys.length === 0) return [];
    return (await getBatches(this.#requests, this.#table, keys)).map(fromItem);
  }

  async list(): Promise<string[]> {
    const items = await this.#scan({ ProjectionExpression: '#pk', ExpressionAttributeNames: { '#pk': PK } });
    return items.map((item) => readS(item, PK) ?? '').sort();
  }

  async listAll(): Promise<ConnectorRecord[]> {
    const items = await this.#scan({});
    return items.map(fromItem).sort((a, b) => a.name.localeCompare(b.name));
  }

  async update(
    name: string,
    mutate: (current: ConnectorRecord) => Mutation,
    options: UpdateOptions = {},
  ): Promise<ConnectorRecord> {
    const maxAttempts = Math.max(1, options.maxAttempts ?? 1);
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(name);
      if (!current) throw new MissingError(`Connector ${name} not found`);
      const change = await mutate(current);
      if (!change) return current;
      const { incarnation } = current;
      const next: ConnectorRecord = {
        ...change,
        name,
        generation: current.generation + 1,
        ...(incarnation === undefined ? {} : { incarnation }),
        createdAt: current.createdAt,
        updatedAt: new Date(this.#clock()).toISOString(),
      };
      try {
        await this.#requests.putItem(
          {
            TableName: this.#table,
            Item: toItem(next),
            // Closes the lost-update race between concurrent read-modify-writes (two PUTs, a PUT and a
            // pause): the write lands only on the generation it was computed from; a missing item
            // (deleted meanwhile) fails too, rather than being resurrected.
            ConditionExpression: '#generation = :generation',
            ExpressionAttributeNames: { '#generation': 'generation' },
            ExpressionAttributeValues: { ':generation': n(current.generation) },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
          ({ item }) =>
            item
              ? new ConflictError(`Connector ${name} was changed concurrently`, { current: fromItem(item) })
              : new MissingError(`Connector ${name} not found`),
        );
        return next;
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt >= maxAttempts) throw error;
        await backoff(attempt);
      }
    }
  }

  async delete(name: string): Promise<void> {
    await this.#requests.deleteItem(
      {
        TableName: this.#table,
        Key: { [PK]: s(name) },
        // Tells a delete of an absent connector (or a second concurrent delete) apart from a real one.
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: { '#pk': PK },
      },
      () => new MissingError(`Connector ${name} not found`),
    );
  }

  async #scan(extra: { ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> }) {
    const items: RawItem[] = [];
    let ExclusiveStartKey: RawItem | undefined;
    do {
      const page = await this.#requests.scan({
        TableName: this.#table,
        ConsistentRead: true,
        ExclusiveStartKey,
        ...extra,
      });
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }
}

function toItem(record: ConnectorRecord): RawItem {
  const item: RawItem = {
    [PK]: s(record.name),
    config: json(record.config),
    type: s(record.type),
    targetState: s(record.targetState),
    generation: n(record.generation),
    taskConfigs: json(record.taskConfigs),
    createdAt: s(record.createdAt),
    updatedAt: s(record.updatedAt),
  };
  if (record.restartRequest) item.restartRequest = json(record.restartRequest);
  if (record.incarnation !== undefined) item.incarnation = s(record.incarnation);
  return item;
}

function fromItem(item: RawItem): ConnectorRecord {
  const record: ConnectorRecord = {
    name: readS(item, PK) ?? '',
    config: readJson(item, 'config') ?? {},
    type: (readS(item, 'type') ?? 'unknown') as ConnectorRecord['type'],
    targetState: (readS(item, 'targetState') ?? 'STARTED') as ConnectorRecord['targetState'],
    generation: readN(item, 'generation') ?? 0,
    taskConfigs: readJson(item, 'taskConfigs') ?? [],
    createdAt: readS(item, 'createdAt') ?? '',
    updatedAt: readS(item, 'updatedAt') ?? '',
  };
  const restartRequest = readJson<ConnectorRecord['restartRequest']>(item, 'restartRequest');
  if (restartRequest) record.restartRequest = restartRequest;
  const incarnation = readS(item, 'incarnation');
  if (incarnation !== undefined) record.incarnation = incarnation;
  return record;
}
