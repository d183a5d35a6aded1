import {
  type ConnectHeaders,
  RetriableError,
  type SchemaAndValue,
  SinkRecord,
  type SinkTask,
  type TopicPartitionOffset,
} from '../api/index.js';
import type { ConsumedRecord } from '../kafka/types.js';
import { RetriableFailure } from './errors/retriable.js';
import { Stage } from './errors/stage.js';
import { type ErrorHandler, type Failure, SKIP, TaskFailure } from './pipeline/error-handling.js';
import type { RecordConverters } from './pipeline/record-converters.js';
import type { TransformationChain } from './pipeline/transformation-chain.js';
import type { BatchResult } from './source-batch.js';

export interface SinkBatchDeps {
  connectorName: string;
  taskId: number;
  task: SinkTask;
  taskClass: string;
  chain: TransformationChain;
  converters: RecordConverters;
  errors: ErrorHandler;
  /** The backoff a task asked for with `context.timeout(ms)` before a RetriableError is retried. */
  retryBackoffMs(): number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface SinkBatchResult extends Omit<BatchResult, 'ended'> {
  /** The offsets safe to commit: what `preCommit` answered (next offset to read per partition). */
  commit: TopicPartitionOffset[];
}

/**
 * One bounded sink batch (docs/architecture.md, One bounded batch): converters → transforms → `put` → `preCommit` (flush). The caller
 * commits the answered offsets — the local consumer to its group, or the event source mapping by a
 * successful return. Tolerated conversion/SMT failures go to the DLQ (the original bytes, with context
 * headers); DLQ records are in `errors.dlq` for the caller to produce before committing.
 */
export async function runSinkBatch(
  deps: SinkBatchDeps,
  consumed: readonly ConsumedRecord[],
  deadline: number,
): Promise<SinkBatchResult> {
  const now = deps.now ?? Date.now;
  const started = now();
  const records: SinkRecord[] = [];
  const next = new NextOffsets();
  let bytes = 0;
  for (const c of consumed) {
    bytes += (c.value?.length ?? 0) + (c.key?.length ?? 0);
    next.advance(c);
    let record = toSinkRecord(deps, c);
    if (record instanceof Promise) record = await record;
    if (record !== null) records.push(record);
  }
  await put(deps, records, deadline);
  const offsets = next.offsets();
  const commit = offsets.length === 0 ? [] : [...(await deps.task.preCommit(offsets))];
  const dlq = deps.errors.dlq.length;
  return {
    records: records.length,
    read: consumed.length,
    skipped: consumed.length - records.length,
    dlq,
    bytes,
    durationMs: now() - started,
    topics: next.topics(),
    commit,
  };
}

/**
 * The next offset to read per partition, for records that come in runs of one partition (a fetch's
 * batch): the map is consulted only when the partition changes, not for every record.
 */
class NextOffsets {
  private readonly byPartition = new Map<string, TopicPartitionOffset>();
  private current?: TopicPartitionOffset;

  advance(c: ConsumedRecord): void {
    let at = this.current;
    if (at?.partition !== c.partition || at.topic !== c.topic) {
      const key = `${c.topic}/${c.partition}`;
      at = this.byPartition.get(key);
      if (!at) {
        at = { topic: c.topic, partition: c.partition, offset: 0 };
        this.byPartition.set(key, at);
      }
      this.current = at;
    }
    at.offset = c.offset + 1;
  }

  offsets(): TopicPartitionOffset[] {
    return [...this.byPartition.values()];
  }

  topics(): string[] {
    return [...new Set([...this.byPartition.values()].map((o) => o.topic))];
  }
}

/**
 * `put`, redelivering the same records after `context.timeout` while the task throws RetriableError, as
 * Kafka's `WorkerSinkTask` does. One that outlives the batch's budget ends the batch uncommitted with a
 * RetriableFailure: the task stays RUNNING and the records are delivered again at its next run. Any
 * other error fails the task.
 */
async function put(deps: SinkBatchDeps, records: SinkRecord[], deadline: number): Promise<void> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = deps.now ?? Date.now;
  for (;;) {
    try {
      await deps.task.put(records);
      return;
    } catch (error) {
      if (!(error instanceof RetriableError)) throw new TaskFailure(Stage.TASK_PUT, error);
      const wait = deps.retryBackoffMs();
      if (now() + wait >= deadline) throw new RetriableFailure(Stage.TASK_PUT, error);
      await sleep(wait);
    }
  }
}

/**
 * Converts and transforms one record. The happy path runs every stage straight through with no closure
 * or promise per record; only when something throws are the stages run again one by one, each under
 * the error handler, to find the failing stage and apply retry and tolerance (converters and SMTs are
 * pure, so running them again is safe).
 */
function toSinkRecord(
  deps: SinkBatchDeps,
  c: ConsumedRecord,
): SinkRecord | null | Promise<SinkRecord | null> {
  const { converters } = deps;
  try {
    const key = converters.key.toConnectData(c.topic, null, c.key);
    const value = converters.value.toConnectData(c.topic, null, c.value);
    const headers = c.headers.length === 0 ? undefined : converters.headersFromWire(c.topic, c.headers);
    const record = sinkRecord(c, key, value, headers);
    return deps.chain.isEmpty ? record : deps.chain.apply(record);
  } catch {
    return toSinkRecordStageByStage(deps, c);
  }
}

async function toSinkRecordStageByStage(deps: SinkBatchDeps, c: ConsumedRecord): Promise<SinkRecord | null> {
  const { errors, converters } = deps;
  const failure = (): Failure => ({
    connectorName: deps.connectorName,
    taskId: deps.taskId,
    topic: c.topic,
    partition: c.partition,
    offset: c.offset,
    // Kafka's DLQ record is the original consumed record: raw bytes, headers and timestamp.
    dlqRecord: { topic: c.topic, key: c.key, value: c.value, headers: c.headers, timestamp: c.timestamp },
  });
  const names = converters.names;
  const key = await errors.attempt(
    Stage.KEY_CONVERTER,
    names.key,
    () => converters.key.toConnectData(c.topic, null, c.key),
    failure,
  );
  if (key === SKIP) return null;
  const value = await errors.attempt(
    Stage.VALUE_CONVERTER,
    names.value,
    () => converters.value.toConnectData(c.topic, null, c.value),
    failure,
  );
  if (value === SKIP) return null;
  const headers = await errors.attempt(
    Stage.HEADER_CONVERTER,
    names.header,
    () => converters.headersFromWire(c.topic, c.headers),
    failure,
  );
  if (headers === SKIP) return null;
  const record = sinkRecord(c, key, value, headers);
  const transformed = await errors.transform(deps.chain, record, failure);
  return transformed === SKIP ? null : transformed;
}

function sinkRecord(
  c: ConsumedRecord,
  key: SchemaAndValue,
  value: SchemaAndValue,
  headers: ConnectHeaders | undefined,
): SinkRecord {
  return new SinkRecord({
    topic: c.topic,
    kafkaPartition: c.partition,
    kafkaOffset: c.offset,
    keySchema: key.schema,
    key: key.value,
    valueSchema: value.schema,
    value: value.value,
    timestamp: c.timestamp,
    timestampType: c.timestampType,
    headers,
  });
}
