import { ConnectError, RetriableError } from '../../api/index.js';
import type { BulkAction } from './bulk-actions.js';
import { failureKind, type ItemFailure, itemFailure } from './item-failures.js';
import { backoffMs, ClusterError, defaultSleep, type RetryPolicy } from './retries.js';

/** The one call the writer makes: POST `_bulk` with an NDJSON body; a failed request throws a ClusterError. */
export type SendBulk = (body: string) => Promise<BulkResponse>;

export interface BulkResponse {
  items: Record<string, { status: number; error?: Parameters<typeof itemFailure>[1] }>[];
}

/** How one action ended; `undefined` in {@link WriteResult.results} when it never completed. */
export type ItemResult = { ok: true } | { ok: false; failure: ItemFailure };

export interface WriteResult {
  /** By action, in the order given. */
  results: (ItemResult | undefined)[];
  /** Why not every action completed: a RetriableError (retries spent) or a failure that will not pass. */
  error: unknown;
}

export interface BulkWriterOptions extends Omit<RetryPolicy, 'deadline'> {
  batchSize: number;
  /** `-1`: no byte limit. */
  bulkSizeBytes: number;
  maxInFlightRequests: number;
  flushTimeoutMs: number;
}

/**
 * Writes actions as bulk requests of at most `batch.size` actions and about `bulk.size.bytes` bytes, up
 * to `max.in.flight.requests` at once. Two requests holding the same document never run at once, so a
 * later write of a document cannot land before an earlier one. A request that fails as a whole
 * (no answer, 408, 429, 5xx) is sent again, and so are items answered 429/503, with Confluent's backoff
 * up to `max.retries` times within `flush.timeout.ms`; item failures of any other kind are the
 * records' (the caller judges them). Hand-rolled over `client.bulk` rather than the client's bulk
 * helper, which batches by bytes only, retries items at a fixed interval and not failed requests, and
 * reports dropped items without the record they came from.
 */
export class BulkWriter {
  constructor(
    private readonly send: SendBulk,
    private readonly o: BulkWriterOptions,
  ) {}

  async write(actions: readonly BulkAction[]): Promise<WriteResult> {
    const now = this.o.now ?? Date.now;
    const deadline = now() + this.o.flushTimeoutMs;
    const results: (ItemResult | undefined)[] = new Array(actions.length);
    let error: unknown = null;
    const running = new Set<Promise<void>>();
    const lastWriteOf = new Map<string, Promise<void>>();
    for (const chunk of this.chunks(actions)) {
      while (running.size >= this.o.maxInFlightRequests && error === null) await Promise.race(running);
      if (error !== null) break;
      const earlier = new Set<Promise<void>>();
      for (const i of chunk) {
        const before = actions[i]?.document && lastWriteOf.get(actions[i].document as string);
        if (before) earlier.add(before);
      }
      const request: Promise<void> = Promise.all(earlier)
        .then(() => (error === null ? this.sendChunk(actions, chunk, results, deadline) : undefined))
        .catch((e: unknown) => {
          error ??= e;
        })
        .finally(() => running.delete(request));
      running.add(request);
      for (const i of chunk) {
        const doc = actions[i]?.document;
        if (doc) lastWriteOf.set(doc, request);
      }
    }
    await Promise.all(running);
    return { results, error };
  }

  /** Index runs of at most `batch.size` actions and `bulk.size.bytes` bytes (a larger action goes alone). */
  chunks(actions: readonly BulkAction[]): number[][] {
    const maxBytes = this.o.bulkSizeBytes < 0 ? Number.POSITIVE_INFINITY : this.o.bulkSizeBytes;
    const out: number[][] = [];
    let current: number[] = [];
    let bytes = 0;
    actions.forEach((action, i) => {
      const size = Buffer.byteLength(action.body);
      if (current.length > 0 && (current.length >= this.o.batchSize || bytes + size > maxBytes)) {
        out.push(current);
        current = [];
        bytes = 0;
      }
      current.push(i);
      bytes += size;
    });
    if (current.length > 0) out.push(current);
    return out;
  }

  private async sendChunk(
    actions: readonly BulkAction[],
    chunk: readonly number[],
    results: (ItemResult | undefined)[],
    deadline: number,
  ): Promise<void> {
    const sleep = this.o.sleep ?? defaultSleep;
    const now = this.o.now ?? Date.now;
    let pending = chunk;
    for (let attempt = 1; ; attempt++) {
      let why: string;
      try {
        const response = await this.send(pending.map((i) => actions[i]?.body).join(''));
        if (response.items.length !== pending.length)
          throw new ConnectError(
            `The bulk response has ${response.items.length} items for ${pending.length} actions`,
          );
        const again: number[] = [];
        response.items.forEach((item, j) => {
          const i = pending[j] as number;
          const result = itemResult(item);
          if (!result.ok && failureKind(result.failure) === 'retriable') again.push(i);
          else results[i] = result;
        });
        if (again.length === 0) return;
        why = `${again.length} of ${pending.length} items were rejected (${firstFailure(response)})`;
        pending = again;
      } catch (error) {
        if (!(error instanceof ClusterError) || !error.retriable) throw error;
        why = error.message;
      }
      const wait = backoffMs(attempt, this.o.retryBackoffMs, this.o.random);
      if (attempt > this.o.maxRetries || now() + wait > deadline)
        throw new RetriableError(
          `Failed to execute bulk request due to '${why}' after ${attempt} attempt(s); ${pending.length} records unwritten`,
        );
      await sleep(wait);
    }
  }
}

function itemResult(item: BulkResponse['items'][number]): ItemResult {
  const [op, outcome] = Object.entries(item)[0] ?? ['', { status: 0 }];
  // A delete of a document that is not there answers 404 "not_found", without an error.
  if (outcome.status < 300 || (op === 'delete' && outcome.status === 404 && !outcome.error))
    return { ok: true };
  return { ok: false, failure: itemFailure(outcome.status, outcome.error) };
}

function firstFailure(response: BulkResponse): string {
  for (const item of response.items) {
    const result = itemResult(item);
    if (!result.ok && failureKind(result.failure) === 'retriable') return result.failure.message;
  }
  return '';
}
