import {
  ConditionalCheckFailedException,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ConflictError, FencedError, StoreError, toStoreError } from '../../../lib/store/errors.js';

const meta = { $metadata: {}, message: 'm' };

describe('toStoreError', () => {
  it('turns a failed condition into a ConflictError carrying the old item', () => {
    // Prepare
    const sdk = new ConditionalCheckFailedException({ ...meta, Item: { connector: { S: 'a' } } });
    // Act
    const error = toStoreError(sdk, 'PutItem');
    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).current).toEqual({ connector: { S: 'a' } });
    expect(error.cause).toBe(sdk);
  });

  it('hands the failed action of a cancelled transaction to the call site', () => {
    // Prepare
    const sdk = new TransactionCanceledException({
      ...meta,
      CancellationReasons: [
        { Code: 'None' },
        { Code: 'ConditionalCheckFailed', Item: { leaseEpoch: { N: '2' } } },
      ],
    });
    // Act
    const error = toStoreError(sdk, 'TransactWriteItems', ({ item, index }) => {
      return new FencedError({
        connector: 'c',
        task: 0,
        epoch: 1,
        currentEpoch: Number(item?.leaseEpoch?.N) + index!,
      });
    });
    // Assess
    expect(error).toBeInstanceOf(FencedError);
    expect((error as FencedError).currentEpoch).toBe(3);
    expect(error.cause).toBe(sdk);
  });

  it('marks throttling and transaction conflicts retriable, other faults not', () => {
    // Act
    const throttled = toStoreError(new ProvisionedThroughputExceededException(meta), 'GetItem');
    const conflict = toStoreError(
      new TransactionCanceledException({ ...meta, CancellationReasons: [{ Code: 'TransactionConflict' }] }),
      'TransactWriteItems',
    );
    const other = toStoreError(new Error('bad'), 'Query');
    // Assess
    expect([throttled.retriable, conflict.retriable, other.retriable]).toEqual([true, true, false]);
    expect(other).toBeInstanceOf(StoreError);
    expect(other.message).toBe('Query failed: Error: bad');
  });
});
