import {
  BatchGetItemCommand,
  type BatchGetItemCommandInput,
  BatchWriteItemCommand,
  type BatchWriteItemCommandInput,
  DeleteItemCommand,
  type DeleteItemCommandInput,
  type DynamoDBClient,
  GetItemCommand,
  type GetItemCommandInput,
  PutItemCommand,
  type PutItemCommandInput,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
  TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { type ConditionFailure, type RawItem, type StoreError, toStoreError } from './errors.js';

/** DynamoDB requests made so far, in total and per operation (`GetItem`, `Query`, ...). */
export interface RequestCount {
  total: number;
  byCommand: Record<string, number>;
}

/** Says what a failed condition means at one call site. */
export type OnCondition = (failure: ConditionFailure) => StoreError;

/**
 * The one way `lib/store` talks to DynamoDB: one method per operation we use, each counted under its
 * operation name and each translating SDK errors into StoreErrors. The name is a literal rather than
 * the command's class name, which a minifying bundler renames. A count is one logical request; retries
 * the SDK makes inside it (throttling) are not counted.
 */
export class DynamoRequests {
  readonly #client: DynamoDBClient;
  readonly #counts = new Map<string, number>();

  constructor(client: DynamoDBClient) {
    this.#client = client;
  }

  /** A snapshot of the counts; subtract two snapshots to cost a stretch of work. */
  count(): RequestCount {
    const byCommand = Object.fromEntries([...this.#counts].sort(([a], [b]) => a.localeCompare(b)));
    const total = [...this.#counts.values()].reduce((sum, n) => sum + n, 0);
    return { total, byCommand };
  }

  getItem(input: GetItemCommandInput) {
    return this.#call('GetItem', () => this.#client.send(new GetItemCommand(input)));
  }

  putItem(input: PutItemCommandInput, onCondition?: OnCondition) {
    return this.#call('PutItem', () => this.#client.send(new PutItemCommand(input)), onCondition);
  }

  updateItem(input: UpdateItemCommandInput, onCondition?: OnCondition) {
    return this.#call('UpdateItem', () => this.#client.send(new UpdateItemCommand(input)), onCondition);
  }

  deleteItem(input: DeleteItemCommandInput, onCondition?: OnCondition) {
    return this.#call('DeleteItem', () => this.#client.send(new DeleteItemCommand(input)), onCondition);
  }

  query(input: QueryCommandInput) {
    return this.#call('Query', () => this.#client.send(new QueryCommand(input)));
  }

  /** Every page of a query, its items in order (one request per page). */
  async queryAll(input: Omit<QueryCommandInput, 'ExclusiveStartKey'>): Promise<RawItem[]> {
    const items: RawItem[] = [];
    let ExclusiveStartKey: RawItem | undefined;
    do {
      const page = await this.query({ ...input, ExclusiveStartKey });
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }

  scan(input: ScanCommandInput) {
    return this.#call('Scan', () => this.#client.send(new ScanCommand(input)));
  }

  batchGetItem(input: BatchGetItemCommandInput) {
    return this.#call('BatchGetItem', () => this.#client.send(new BatchGetItemCommand(input)));
  }

  batchWriteItem(input: BatchWriteItemCommandInput) {
    return this.#call('BatchWriteItem', () => this.#client.send(new BatchWriteItemCommand(input)));
  }

  transactWriteItems(input: TransactWriteItemsCommandInput, onCondition?: OnCondition) {
    return this.#call(
      'TransactWriteItems',
      () => this.#client.send(new TransactWriteItemsCommand(input)),
      onCondition,
    );
  }

  async #call<O>(name: string, run: () => Promise<O>, onCondition?: OnCondition): Promise<O> {
    this.#counts.set(name, (this.#counts.get(name) ?? 0) + 1);
    try {
      return await run();
    } catch (error) {
      throw toStoreError(error, name, onCondition);
    }
  }
}
