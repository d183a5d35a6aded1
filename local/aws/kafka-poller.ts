/**
 * One Kafka event source mapping's poller: a kafkajs consumer in the mapping's group that buffers what it
 * fetches, and one loop that cuts batches (size, window, 6 MB), invokes the function synchronously and
 * commits only after success. One invocation is in flight at a time, so a partition's next batch never
 * goes before the previous one succeeded or was discarded. docs/simulator/kafka-pollers.md.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type Consumer, Kafka, logLevel } from 'kafkajs';
import { SYNC_PAYLOAD_LIMIT, type SyncRun } from './invoke.js';
import { commitsFor, halves, readItemFailures, without } from './kafka-batch.js';
import { RecordBuffer } from './kafka-buffer.js';
import { OnFailureTopic } from './kafka-destination.js';
import { buildKafkaEvent, type KafkaEventSource, type KafkaRecord } from './kafka-event.js';

export interface PollerSettings {
  uuid: string;
  functionArn: string;
  topic: string;
  groupId: string;
  /** TRIM_HORIZON; it applies only while the group has no committed offset (kafkajs does the same). */
  fromBeginning: boolean;
  brokers: string[];
  source: KafkaEventSource;
  batchSize: number;
  windowMs: number;
  /** The error-handling controls: present only in provisioned mode, where they are honoured. */
  controls?: {
    /** -1: until success; already 10 when infinite with a destination. */
    maxRetries: number;
    maxRecordAgeMs: number;
    bisect: boolean;
    reportItemFailures: boolean;
    destinationTopic?: string;
  };
}

export interface PollerDeps {
  invoke(functionArn: string, event: unknown): Promise<Pick<SyncRun, 'payload' | 'functionError'>>;
  /** Between retries of a failed batch, after a throttle, and before reconnecting; doubling. */
  backoffMs: { initial: number; max: number };
}

export interface PollerStats {
  state: 'connecting' | 'polling' | 'stopped';
  /** Invocations that ran (throttled ones are not counted). */
  invocations: number;
  /** Records sent, counted once per invocation that carried them. */
  recordsSent: number;
  /** Records committed after a success. */
  recordsProcessed: number;
  /** Invocations that failed: a function error, a timeout, a crash, a rejected partial response. */
  errors: number;
  /** Invocations that were retries of a failed batch (or of what a partial response left). */
  retries: number;
  throttles: number;
  /** Records given up on (retries exhausted, too old), and how many of them went to the destination. */
  discarded: number;
  sentToDestination: number;
  /** The next offset committed per `<topic>-<partition>`. */
  committed: Record<string, number>;
  lastProcessingResult?: string;
  lastError?: string;
}

const FUNCTION_FAILED = 'PROBLEM: Function call failed';
const CONNECTION_ERROR =
  'PROBLEM: Connection error. Please check your event source connection configuration.';

type Attempt = { ok: true } | { ok: false; retry: KafkaRecord[]; partial: boolean } | { stopped: true };

export class KafkaPoller {
  readonly stats: PollerStats;
  readonly #abort = new AbortController();
  readonly #done: Promise<void>;
  readonly #buffer: RecordBuffer;
  #destination: OnFailureTopic | undefined;

  constructor(
    readonly settings: PollerSettings,
    readonly deps: PollerDeps,
    /** A restarted mapping's poller goes on counting where the last one stopped. */
    stats?: PollerStats,
  ) {
    this.stats = stats ?? {
      state: 'connecting',
      ...{ invocations: 0, recordsSent: 0, recordsProcessed: 0, errors: 0, retries: 0, throttles: 0 },
      ...{ discarded: 0, sentToDestination: 0, committed: {} },
    };
    this.stats.state = 'connecting';
    this.#buffer = new RecordBuffer(
      settings.topic,
      settings.batchSize,
      settings.windowMs,
      SYNC_PAYLOAD_LIMIT,
    );
    this.#done = this.#run();
  }

  /** Stops polling: an invocation in flight finishes (and commits), then the consumer leaves the group. */
  stop(): Promise<void> {
    this.#abort.abort();
    this.#buffer.wake();
    return this.#done;
  }

  async #run(): Promise<void> {
    const signal = this.#abort.signal;
    let backoff = this.deps.backoffMs.initial;
    while (!signal.aborted) {
      try {
        await this.#session(signal);
      } catch (error) {
        this.stats.lastProcessingResult = CONNECTION_ERROR;
        this.stats.lastError = String(error);
        await pause(backoff, signal);
        backoff = Math.min(backoff * 2, this.deps.backoffMs.max);
      }
    }
    this.stats.state = 'stopped';
  }

  async #session(signal: AbortSignal): Promise<void> {
    const { settings } = this;
    this.stats.state = 'connecting';
    const kafka = new Kafka({
      clientId: `lambda-esm-${settings.uuid}`,
      brokers: settings.brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 3, initialRetryTime: 100 },
    });
    const topic = settings.controls?.destinationTopic;
    this.#destination = topic === undefined ? undefined : new OnFailureTopic(kafka, topic);
    // AWS documents no session timeout for its pollers. 10 s (kafkajs's default is 30 s): a poller of a
    // simulator that was killed holds its group no longer than that before a new one can join.
    const consumer = kafka.consumer({
      groupId: settings.groupId,
      maxWaitTimeInMs: 100,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
    });
    const crashed = new AbortController();
    consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart) crashed.abort(e.payload.error);
    });
    // A (re)join starts fetching again from the committed offsets: what was buffered would come twice.
    consumer.on(consumer.events.GROUP_JOIN, () => this.#buffer.clear(consumer));
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: settings.topic, fromBeginning: settings.fromBeginning });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => this.#buffer.add(consumer, batch.partition, batch.messages),
      });
      this.stats.state = 'polling';
      const both = AbortSignal.any([signal, crashed.signal]);
      both.addEventListener('abort', () => this.#buffer.wake(), { once: true });
      await this.#dispatch(consumer, both);
      if (crashed.signal.aborted && !signal.aborted) throw crashed.signal.reason;
    } finally {
      await consumer.disconnect().catch(() => {});
      await this.#destination?.close();
      this.#buffer.clear();
    }
  }

  /** Cuts and processes batches until stopped. The window opens when the batch's first record arrives. */
  async #dispatch(consumer: Consumer, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const due = this.#buffer.dueIn();
      if (due === undefined || due > 0) {
        await this.#buffer.wait(due, signal);
        continue;
      }
      await this.#process(consumer, this.#buffer.take(consumer, this.settings.source), signal);
    }
  }

  /**
   * Default: the whole batch is retried until it succeeds. With the controls (provisioned mode): records
   * too old and batches out of retries are discarded (to the destination, if any) and committed past;
   * bisection splits a failed batch without counting a retry; a partial response retries what it reported.
   */
  async #process(consumer: Consumer, initial: KafkaRecord[], signal: AbortSignal): Promise<void> {
    const controls = this.settings.controls;
    const work = [{ records: initial, retries: 0 }];
    while (work.length > 0 && !signal.aborted) {
      const item = work[0] as { records: KafkaRecord[]; retries: number };
      if (controls !== undefined && controls.maxRecordAgeMs >= 0) {
        const oldest = Date.now() - controls.maxRecordAgeMs;
        const expired = item.records.filter((r) => r.timestamp < oldest);
        if (expired.length > 0 && !(await this.#discard(expired, signal))) return;
        await this.#commit(consumer, expired);
        item.records = without(item.records, expired);
        if (item.records.length === 0) {
          work.shift();
          continue;
        }
      }
      const attempt = await this.#attempt(item.records, signal);
      if ('stopped' in attempt) return;
      if (attempt.ok) {
        await this.#commit(consumer, item.records);
        this.stats.recordsProcessed += item.records.length;
        this.stats.lastProcessingResult = 'OK';
        work.shift();
        continue;
      }
      this.stats.lastProcessingResult = FUNCTION_FAILED;
      if (attempt.partial) {
        const succeeded = without(item.records, attempt.retry);
        await this.#commit(consumer, succeeded);
        this.stats.recordsProcessed += succeeded.length;
      }
      if (controls?.bisect && !attempt.partial && item.records.length > 1) {
        const [first, second] = halves(item.records);
        work.splice(
          0,
          1,
          { records: first, retries: item.retries },
          { records: second, retries: item.retries },
        );
        continue;
      }
      if (controls !== undefined && controls.maxRetries >= 0 && item.retries >= controls.maxRetries) {
        if (!(await this.#discard(attempt.retry, signal))) return;
        await this.#commit(consumer, item.records);
        work.shift();
        continue;
      }
      await pause(this.#backoff(item.retries), signal);
      item.records = attempt.retry;
      item.retries++;
      this.stats.retries++;
    }
  }

  /** One invocation of `records`; a throttle backs off and tries again without counting an attempt. */
  async #attempt(records: KafkaRecord[], signal: AbortSignal): Promise<Attempt> {
    const event = buildKafkaEvent(this.settings.source, records);
    const failed = (error: string): Attempt => {
      this.stats.errors++;
      this.stats.lastError = error;
      return { ok: false, retry: records, partial: false };
    };
    for (let throttles = 0; ; throttles++) {
      if (signal.aborted) return { stopped: true };
      let run: Pick<SyncRun, 'payload' | 'functionError'>;
      try {
        run = await this.deps.invoke(this.settings.functionArn, event);
      } catch (error) {
        const name = (error as Error).name;
        if (name !== 'TooManyRequestsException') return failed(`${name}: ${(error as Error).message}`);
        this.stats.throttles++;
        await pause(this.#backoff(throttles), signal);
        continue;
      }
      this.stats.invocations++;
      this.stats.recordsSent += records.length;
      if (run.functionError) return failed(errorTypeOf(run.payload));
      if (!this.settings.controls?.reportItemFailures) return { ok: true };
      const reported = readItemFailures(run.payload, records);
      if (reported.kind === 'success') return { ok: true };
      if (reported.kind === 'failure') return failed(`Invalid partial batch response: ${reported.reason}`);
      this.stats.errors++;
      this.stats.lastError = `${reported.failed.length} records reported as failed`;
      return { ok: false, retry: reported.failed, partial: true };
    }
  }

  /** Commits past `done`. A refused commit (a rebalance) leaves the records to be read again. */
  async #commit(consumer: Consumer, done: KafkaRecord[]): Promise<void> {
    if (done.length === 0) return;
    const offsets = commitsFor(done);
    try {
      await consumer.commitOffsets(offsets);
      for (const o of offsets) this.stats.committed[`${o.topic}-${o.partition}`] = Number(o.offset);
    } catch (error) {
      this.stats.lastError = `commit failed: ${String(error)}`;
    }
  }

  /** Gives up on `records`: writes them to the on-failure topic when there is one; false if stopped first. */
  async #discard(records: KafkaRecord[], signal: AbortSignal): Promise<boolean> {
    for (let failures = 0; this.#destination !== undefined; failures++) {
      if (signal.aborted) return false;
      try {
        await this.#destination.send(records);
        this.stats.sentToDestination += records.length;
        break;
      } catch (error) {
        this.stats.lastError = `on-failure destination: ${String(error)}`;
        await pause(this.#backoff(failures), signal);
      }
    }
    this.stats.discarded += records.length;
    return true;
  }

  #backoff(n: number): number {
    return Math.min(this.deps.backoffMs.initial * 2 ** Math.min(n, 20), this.deps.backoffMs.max);
  }
}

function errorTypeOf(payload: string): string {
  try {
    return String((JSON.parse(payload) as { errorType?: unknown }).errorType ?? 'Unhandled');
  } catch {
    return 'Unhandled';
  }
}

/** A sleep that ends early, without throwing, when stopped. */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => {});
}
