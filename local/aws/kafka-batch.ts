/**
 * The pure parts of a Kafka poller's error handling: reading a partial batch response, the offsets a
 * batch commits, and cutting a batch. docs/simulator/kafka-pollers.md, says which rules are
 * AWS's and which are chosen.
 */
import { type KafkaRecord, partitionKey, recordJsonBytes } from './kafka-event.js';

/** What a successful invocation's response says about the batch when ReportBatchItemFailures is honoured. */
export type ItemFailures =
  | { kind: 'success' }
  | { kind: 'failure'; reason: string }
  /** `failed` is what is retried: in each reported partition, the lowest reported offset and after. */
  | { kind: 'partial'; failed: KafkaRecord[] };

/**
 * Reads `{"batchItemFailures":[{"itemIdentifier":{"partition":"<topic>-<partition>","offset":<n>}}]}`.
 * No list, or an empty one, is a success (as for streams, services-kinesis-batchfailurereporting.html);
 * an identifier that is not such an object, or names a record not in the batch, fails the whole batch.
 */
export function readItemFailures(payload: string, batch: KafkaRecord[]): ItemFailures {
  let response: unknown;
  try {
    response = JSON.parse(payload);
  } catch {
    return { kind: 'success' };
  }
  if (typeof response !== 'object' || response === null || Array.isArray(response))
    return { kind: 'success' };
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) return { kind: 'failure', reason: 'batchItemFailures is not a list' };
  if (failures.length === 0) return { kind: 'success' };
  const offsets = new Map<string, Set<number>>();
  for (const r of batch) {
    const key = partitionKey(r);
    if (!offsets.has(key)) offsets.set(key, new Set());
    offsets.get(key)?.add(r.offset);
  }
  const lowest = new Map<string, number>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier as
      | { partition?: unknown; offset?: unknown }
      | null
      | undefined;
    const partition = id?.partition;
    const offset = id?.offset;
    if (typeof partition !== 'string' || typeof offset !== 'number') {
      return { kind: 'failure', reason: `malformed itemIdentifier ${JSON.stringify(id)}` };
    }
    if (!offsets.get(partition)?.has(offset)) {
      return { kind: 'failure', reason: `itemIdentifier ${partition}@${offset} is not in the batch` };
    }
    lowest.set(partition, Math.min(offset, lowest.get(partition) ?? offset));
  }
  const failed = batch.filter((r) => r.offset >= (lowest.get(partitionKey(r)) ?? Number.POSITIVE_INFINITY));
  return { kind: 'partial', failed };
}

/** The offset to commit for each partition once `done` is processed: the highest offset plus one. */
export function commitsFor(done: KafkaRecord[]): { topic: string; partition: number; offset: string }[] {
  const next = new Map<string, { topic: string; partition: number; offset: number }>();
  for (const r of done) {
    const key = partitionKey(r);
    const known = next.get(key);
    if (known === undefined || r.offset + 1 > known.offset) {
      next.set(key, { topic: r.topic, partition: r.partition, offset: r.offset + 1 });
    }
  }
  return [...next.values()].map((c) => ({ ...c, offset: String(c.offset) }));
}

/** The records of `all` that are not in `some`. */
export function without(all: KafkaRecord[], some: KafkaRecord[]): KafkaRecord[] {
  const set = new Set(some);
  return all.filter((r) => !set.has(r));
}

/** Bisection: the first half is retried (to success or discard) before the second, keeping partition order. */
export function halves(records: KafkaRecord[]): [KafkaRecord[], KafkaRecord[]] {
  const middle = Math.ceil(records.length / 2);
  return [records.slice(0, middle), records.slice(middle)];
}

/**
 * How many of `pending` (from the front) make the next batch: at most `batchSize` records and at most
 * `maxBytes` of event JSON, and never none (a single record over the cap is still sent, and refused
 * by Invoke as too large).
 */
export function batchLength(
  pending: KafkaRecord[],
  batchSize: number,
  maxBytes: number,
  overhead: number,
): number {
  let bytes = overhead;
  let n = 0;
  while (n < pending.length && n < batchSize) {
    bytes += recordJsonBytes(pending[n] as KafkaRecord);
    if (bytes > maxBytes && n > 0) break;
    n++;
  }
  return n;
}
