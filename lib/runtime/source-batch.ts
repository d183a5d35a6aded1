import { type SourceOffsetMap, type SourceRecord, SourceTask } from '../api/index.js';
import type { RecordMetadata, WireRecord } from '../kafka/types.js';
import { isRetriable } from './errors/retriable.js';
import { Stage } from './errors/stage.js';
import { type ErrorHandler, type Failure, SKIP } from './pipeline/error-handling.js';
import { asBuffer, type RecordConverters } from './pipeline/record-converters.js';
import type { TransformationChain } from './pipeline/transformation-chain.js';

/** Why a batch ended: a full batch chains the next one at once; the others wait for the next tick. */
export type BatchEnd = 'full' | 'dry' | 'deadline';

export interface BatchLimitsAt {
  maxRecords: number;
  maxBytes: number;
  /** Epoch ms by which the batch must have committed. */
  deadline: number;
}

export interface BatchResult {
  /** Records written to Kafka (sources) or put into the sink (sinks). */
  records: number;
  /** Records read (polled from the source or consumed from Kafka). */
  read: number;
  /** Records dropped by an SMT or skipped by errors.tolerance=all. */
  skipped: number;
  dlq: number;
  bytes: number;
  durationMs: number;
  ended: BatchEnd;
  topics: string[];
  /** Sinks on the consumer path: records behind the log end after this batch was taken. */
  lag?: number;
  /** Sources: what the task's `backlogBytes()` reported after the commit (a slot's retained WAL). */
  backlogBytes?: number;
  /**
   * A retriable failure that ended the batch early after what was written had been committed (a `poll`
   * that threw RetriableError): the runner shows it in the task's status and runs the task again later.
   */
  retriable?: unknown;
}

export interface SourceBatchDeps {
  connectorName: string;
  taskId: number;
  task: SourceTask;
  taskClass: string;
  chain: TransformationChain;
  converters: RecordConverters;
  errors: ErrorHandler;
  /** Produces records and resolves once Kafka acknowledged them all (idempotent, acks=all). */
  send(records: WireRecord[]): Promise<RecordMetadata[]>;
  /** Creates topics this batch writes to that may not exist yet (topic.creation.*); may be a no-op. */
  prepareTopics(topics: string[]): Promise<void>;
  /** Commits source offsets, fenced by the task's lease epoch; throws when fenced. */
  commitOffsets(offsets: { partition: SourceOffsetMap; offset: SourceOffsetMap }[]): Promise<void>;
  now?: () => number;
}

interface Sent {
  record: SourceRecord;
  /**
   * Index into the batch's metadata — the record's place among the wire records of the batch, in send
   * order — or -1 when the record was dropped or skipped.
   */
  index: number;
}

/**
 * One bounded source batch (docs/architecture.md, One bounded batch): poll → transforms → converters → produce; once Kafka has
 * acknowledged every record (and every DLQ record), commit the last offset of each source partition under
 * the lease's epoch, then `commitRecord` and `commit`. Producing overlaps the next poll, in order. A crash
 * before the commit replays at most this batch: at-least-once, nothing lost. A failure throws before the
 * commit (the runner decides whether the task fails or runs again: docs/runtime.md, Failures), except a
 * retriable one of `poll`, which ends the batch with what was written committed and `retriable` set.
 */
export async function runSourceBatch(deps: SourceBatchDeps, limits: BatchLimitsAt): Promise<BatchResult> {
  const now = deps.now ?? Date.now;
  const started = now();
  const offsets = new Map<string, { partition: SourceOffsetMap; offset: SourceOffsetMap }>();
  const sent: Sent[] = [];
  const metadata: RecordMetadata[] = [];
  const topics = new Set<string>();
  let inFlight: Promise<void> = Promise.resolve();
  let records = 0;
  let read = 0;
  let bytes = 0;
  let ended: BatchEnd = 'dry';
  let retriable: unknown;
  let produceFailed = false;
  // The slowest poll so far: a poll started later than that before the deadline would leave its
  // records no time to be produced and committed within the invocation.
  let slowestPollMs = 0;
  // Per record only what is used: a task without its own commitRecord needs no list of what was sent, and
  // the records of one poll mostly share one partition object, serialised once.
  const tracksRecords = deps.task.commitRecord !== SourceTask.prototype.commitRecord;
  let lastPartition: SourceOffsetMap | undefined;
  let lastPartitionKey = '';

  for (;;) {
    if (records >= limits.maxRecords || bytes >= limits.maxBytes) {
      ended = 'full';
      break;
    }
    if (now() + slowestPollMs >= limits.deadline) {
      ended = 'deadline';
      break;
    }
    // A failed produce fails the batch below; polling on would only read records to be read again.
    if (produceFailed) break;
    let polled: SourceRecord[] | null | typeof SKIP;
    const pollStarted = now();
    try {
      polled = await deps.errors.run(
        Stage.TASK_POLL,
        deps.taskClass,
        () => deps.task.poll(),
        () => identity(deps),
      );
    } catch (error) {
      // Kafka's source task polls again after a RetriableException; here the batch commits what it
      // wrote and ends, and the task is polled again at its next run.
      if (!isRetriable(error)) throw error;
      retriable = error;
      break;
    }
    slowestPollMs = Math.max(slowestPollMs, now() - pollStarted);
    if (polled === SKIP || !polled || polled.length === 0) break;
    const wires: WireRecord[] = [];
    for (const record of polled) {
      read++;
      let wire = toWire(deps, record);
      if (wire instanceof Promise) wire = await wire;
      const { sourcePartition, sourceOffset } = record;
      if (sourcePartition && sourceOffset) {
        if (sourcePartition !== lastPartition) {
          lastPartition = sourcePartition;
          lastPartitionKey = JSON.stringify(sourcePartition);
        }
        offsets.set(lastPartitionKey, { partition: sourcePartition, offset: sourceOffset });
      }
      if (wire === null) {
        if (tracksRecords) sent.push({ record, index: -1 });
        continue;
      }
      // Counted from the records queued for producing, not from the metadata of those already acked:
      // producing overlaps this poll, so `metadata` may still lack the previous polls' records.
      if (tracksRecords) sent.push({ record, index: records + wires.length });
      wires.push(wire);
      topics.add(wire.topic);
      bytes += (wire.value?.length ?? 0) + (wire.key?.length ?? 0);
    }
    records += wires.length;
    // Keep order: the previous send must finish before this one starts, while the next poll overlaps it.
    const previous = inFlight;
    inFlight = previous.then(() => produce(deps, wires, metadata));
    inFlight.catch(() => (produceFailed = true)); // awaited below; avoid an unhandled rejection meanwhile
  }
  await inFlight;
  const dlq = deps.errors.drainDlq();
  if (dlq.length > 0) {
    await deps.prepareTopics([...new Set(dlq.map((r) => r.topic))]);
    await deps.send(dlq);
  }
  await deps.commitOffsets([...offsets.values()]);
  for (const s of sent) {
    const done = deps.task.commitRecord(s.record, s.index >= 0 ? (metadata[s.index] ?? null) : null);
    if (done) await done;
  }
  await deps.task.commit();
  const backlogBytes = deps.task.backlogBytes();
  return {
    records,
    read,
    skipped: read - records,
    dlq: dlq.length,
    bytes,
    durationMs: now() - started,
    ended,
    topics: [...topics],
    ...(backlogBytes === undefined ? {} : { backlogBytes }),
    ...(retriable === undefined ? {} : { retriable }),
  };
}

async function produce(
  deps: SourceBatchDeps,
  wires: WireRecord[],
  metadata: RecordMetadata[],
): Promise<void> {
  if (wires.length === 0) return;
  await deps.prepareTopics([...new Set(wires.map((w) => w.topic))]);
  const result = await deps.errors.run(
    Stage.KAFKA_PRODUCE,
    'kafkajs.Producer',
    () => deps.send(wires),
    () => identity(deps),
  );
  // A produce failure is never skipped silently: with tolerance all only a RetriableError is tolerable,
  // and then the whole chunk goes to the DLQ rather than vanishing.
  if (result === SKIP) {
    for (const w of wires) deps.errors.dlq.push({ ...w, topic: deps.errors.settings.dlqTopic || w.topic });
    for (let i = 0; i < wires.length; i++)
      metadata.push({ topic: wires[i]!.topic, partition: -1, offset: -1 });
    return;
  }
  metadata.push(...result);
}

/**
 * Transforms and converts one source record; null when an SMT dropped it or a tolerated error skipped it.
 * The happy path allocates no closure or promise; a failure re-runs the stages one by one under the error
 * handler (SMTs and converters are pure) to name the stage and apply retry and tolerance.
 */
function toWire(deps: SourceBatchDeps, record: SourceRecord): WireRecord | null | Promise<WireRecord | null> {
  const { converters } = deps;
  try {
    const r = deps.chain.isEmpty ? record : deps.chain.apply(record);
    if (r === null) return null;
    return {
      topic: r.topic,
      partition: r.kafkaPartition,
      key: asBuffer(converters.key.fromConnectData(r.topic, r.headers, r.keySchema, r.key)),
      value: asBuffer(converters.value.fromConnectData(r.topic, r.headers, r.valueSchema, r.value)),
      headers: r.headers.size === 0 ? [] : converters.headersToWire(r.topic, r.headers),
      timestamp: r.timestamp,
    };
  } catch {
    return toWireStageByStage(deps, record);
  }
}

async function toWireStageByStage(deps: SourceBatchDeps, record: SourceRecord): Promise<WireRecord | null> {
  const { errors, converters } = deps;
  const failure = (): Failure => ({ ...identity(deps), dlqRecord: fallbackDlqRecord(record) });
  const r = await errors.transform(deps.chain, record, failure);
  if (r === null || r === SKIP) return null;
  const names = converters.names;
  const key = await errors.attempt(
    Stage.KEY_CONVERTER,
    names.key,
    () => converters.key.fromConnectData(r.topic, r.headers, r.keySchema, r.key),
    failure,
  );
  if (key === SKIP) return null;
  const value = await errors.attempt(
    Stage.VALUE_CONVERTER,
    names.value,
    () => converters.value.fromConnectData(r.topic, r.headers, r.valueSchema, r.value),
    failure,
  );
  if (value === SKIP) return null;
  const headers = await errors.attempt(
    Stage.HEADER_CONVERTER,
    names.header,
    () => converters.headersToWire(r.topic, r.headers),
    failure,
  );
  if (headers === SKIP) return null;
  return {
    topic: r.topic,
    partition: r.kafkaPartition,
    key: asBuffer(key),
    value: asBuffer(value),
    headers,
    timestamp: r.timestamp,
  };
}

/**
 * A source record that failed before it had bytes still goes to the DLQ (which Kafka Connect lacks for
 * sources): its value rendered as JSON text, keyed by its source partition, so nothing vanishes.
 */
function fallbackDlqRecord(record: SourceRecord): WireRecord {
  const text = (v: unknown) => {
    try {
      return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)) ?? 'null';
    } catch {
      return String(v);
    }
  };
  return {
    topic: record.topic,
    key: record.sourcePartition ? Buffer.from(text(record.sourcePartition)) : null,
    value: Buffer.from(text(record.value)),
    headers: [],
    timestamp: record.timestamp,
  };
}

function identity(deps: { connectorName: string; taskId: number }): Failure {
  return { connectorName: deps.connectorName, taskId: deps.taskId };
}
