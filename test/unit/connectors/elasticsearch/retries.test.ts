import { describe, expect, it } from 'vitest';
import { ConnectError, RetriableError, SinkRecord } from '../../../../lib/api/index.js';
import type { BulkAction } from '../../../../lib/connectors/elasticsearch/bulk-actions.js';
import { BulkWriter } from '../../../../lib/connectors/elasticsearch/bulk-writer.js';
import {
  backoffMs,
  ClusterError,
  callWithRetries,
} from '../../../../lib/connectors/elasticsearch/retries.js';

const policy = {
  maxRetries: 2,
  retryBackoffMs: 100,
  deadline: Number.MAX_SAFE_INTEGER,
  sleep: async () => {},
};

describe('retries', () => {
  it('wait a random time below retry.backoff.ms << attempt, capped at a day', () => {
    expect(backoffMs(1, 100, () => 0.999)).toBe(199);
    expect(backoffMs(3, 100, () => 0.5)).toBe(400);
    expect(backoffMs(40, 1000, () => 0.999)).toBeLessThan(86_400_000);
    expect(backoffMs(1, 0)).toBe(0);
  });

  it('call again on failures that may pass, max.retries times, then give a RetriableError', async () => {
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new ClusterError('HTTP 429', 429);
    };
    await expect(callWithRetries('write', failing, policy)).rejects.toThrow(RetriableError);
    expect(calls).toBe(3);
    await expect(callWithRetries('write', failing, policy)).rejects.toThrow(
      "Failed to write due to 'HTTP 429' after 3 attempt(s)",
    );
  });

  it('do not call again on failures that will not pass', async () => {
    let calls = 0;
    const refused = async () => {
      calls++;
      throw new ClusterError('HTTP 403', 403);
    };
    await expect(callWithRetries('write', refused, policy)).rejects.toThrow(ConnectError);
    await expect(callWithRetries('write', refused, policy)).rejects.not.toThrow(RetriableError);
    expect(calls).toBe(2);
  });

  it('stop before the deadline rather than sleep past it', async () => {
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new ClusterError('no answer', 0);
    };
    await expect(
      callWithRetries('write', failing, { ...policy, maxRetries: 100, deadline: Date.now() }),
    ).rejects.toThrow(RetriableError);
    expect(calls).toBe(1);
  });
});

describe('bulk requests', () => {
  const action = (bytes: number): BulkAction => ({
    record: new SinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: 0 }),
    op: 'index',
    document: null,
    versioned: false,
    body: 'x'.repeat(bytes),
  });
  const writer = (batchSize: number, bulkSizeBytes: number) =>
    new BulkWriter(async () => ({ items: [] }), {
      batchSize,
      bulkSizeBytes,
      maxInFlightRequests: 1,
      maxRetries: 0,
      retryBackoffMs: 0,
      flushTimeoutMs: 1000,
    });

  it('hold at most batch.size actions and about bulk.size.bytes bytes; a larger action goes alone', () => {
    const actions = [10, 10, 10, 50, 10].map(action);
    expect(writer(2, -1).chunks(actions)).toEqual([[0, 1], [2, 3], [4]]);
    expect(writer(100, 25).chunks(actions)).toEqual([[0, 1], [2], [3], [4]]);
  });
});
