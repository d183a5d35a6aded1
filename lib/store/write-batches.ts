import type { KeysAndAttributes, WriteRequest } from '@aws-sdk/client-dynamodb';
import { backoff, chunk } from './codec.js';
import { type RawItem, StoreError } from './errors.js';
import type { DynamoRequests } from './requests.js';

const MAX_ROUNDS = 8;

/**
 * Writes puts and deletes with BatchWriteItem, 25 per request, re-sending unprocessed items with
 * backoff. Not atomic: each item lands on its own.
 */
export async function writeBatches(
  requests: DynamoRequests,
  table: string,
  writes: readonly WriteRequest[],
): Promise<void> {
  for (const batch of chunk(writes, 25)) {
    let pending: WriteRequest[] = batch;
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_ROUNDS)
        throw new StoreError(`BatchWriteItem left ${pending.length} items unprocessed`, { retriable: true });
      if (round > 0) await backoff(round);
      const { UnprocessedItems } = await requests.batchWriteItem({ RequestItems: { [table]: pending } });
      pending = UnprocessedItems?.[table] ?? [];
    }
  }
}

/** Reads items by key with BatchGetItem, 100 per request, re-asking for unprocessed keys with backoff. */
export async function getBatches(
  requests: DynamoRequests,
  table: string,
  keys: readonly RawItem[],
): Promise<RawItem[]> {
  const items: RawItem[] = [];
  for (const batch of chunk(keys, 100)) {
    let pending: KeysAndAttributes | undefined = { Keys: batch, ConsistentRead: true };
    for (let round = 0; pending?.Keys?.length; round++) {
      if (round >= MAX_ROUNDS)
        throw new StoreError(`BatchGetItem left ${pending.Keys.length} keys unprocessed`, {
          retriable: true,
        });
      if (round > 0) await backoff(round);
      const page = await requests.batchGetItem({ RequestItems: { [table]: pending } });
      items.push(...(page.Responses?.[table] ?? []));
      pending = page.UnprocessedKeys?.[table];
    }
  }
  return items;
}
