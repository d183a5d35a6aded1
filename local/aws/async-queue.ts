/**
 * Lambda's asynchronous invocation queue (InvocationType `Event`): events are accepted at once and a
 * worker sends them to the function's execution environments. A function error (a timeout included) is
 * retried `maximumRetryAttempts` times after the configured delays; a throttle or a system error goes
 * back to the queue with exponential backoff until the event is older than `maximumEventAgeSeconds`.
 * Every step is recorded in `log()`. See docs/simulator/invoke.md.
 */
import { randomUUID } from 'node:crypto';
import type { FunctionPool } from './environment.js';

/** Lambda's defaults (invocation-async.html): 2 retries, 6 h, about 1 min then about 2 min. */
export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 2;
export const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 21_600;
export const DEFAULT_RETRY_DELAYS_MS: readonly [number, number] = [60_000, 120_000];
/** Throttle / system-error backoff: from 1 s, doubling, at most 5 min (invocation-async.html). */
export const DEFAULT_BACKOFF_MS = { initial: 1_000, max: 300_000 } as const;

export interface AsyncInvokeConfig {
  /** 0–2 on AWS. @default 2 */
  maximumRetryAttempts?: number;
  /** 60–21,600 on AWS; any positive number here, so tests can be short. @default 21600 */
  maximumEventAgeSeconds?: number;
}

/** What the queue needs to know of a function. */
export interface AsyncTarget {
  name: string;
  pool: FunctionPool;
  asyncConfig?: AsyncInvokeConfig;
  retryDelaysMs?: readonly [number, number];
}

export type AsyncOutcome =
  | 'queued'
  | 'delivered'
  | 'function-error'
  | 'throttled'
  | 'system-error'
  | 'retry-scheduled'
  | 'dropped';

export interface AsyncLogEntry {
  /** The Invoke request's id (`x-amzn-RequestId` of the 202). Both copies of a duplicate share it. */
  eventId: string;
  /** 1, or 2 for the second copy the duplicate fault delivered. */
  copy: number;
  functionName: string;
  qualifier?: string;
  outcome: AsyncOutcome;
  /** Unix ms. */
  at: number;
  /** Function attempts made so far for this copy (throttles and system errors do not count). */
  attempts: number;
  awsRequestId?: string;
  /** function-error: the error's `errorType`; system-error: the message; dropped: why. */
  detail?: string;
  /** retry-scheduled: when the next attempt is due (Unix ms). */
  nextAt?: number;
}

export interface AsyncQueueOptions {
  /** Throttle and system-error backoff. @default { initial: 1000, max: 300000 } */
  backoffMs?: { initial: number; max: number };
  /** The share (0..1) of accepted events delivered twice, drawn from a PRNG seeded with `seed`. */
  duplicateRate?: number;
  /** @default 1 */
  seed?: number;
}

interface QueuedEvent {
  eventId: string;
  copy: number;
  target: AsyncTarget;
  qualifier?: string;
  event: unknown;
  enqueuedAt: number;
  attempts: number;
  /** Consecutive throttles / system errors, for the backoff. */
  requeues: number;
}

/** mulberry32: small, seeded, deterministic (also the fault suite's and the trials' random points). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export class AsyncQueue {
  readonly #log: AsyncLogEntry[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #backoff: { initial: number; max: number };
  #duplicateRate: number;
  #random: () => number;
  #duplicateNext = 0;
  #stopped = false;

  constructor(options: AsyncQueueOptions = {}) {
    this.#backoff = options.backoffMs ?? DEFAULT_BACKOFF_MS;
    this.#duplicateRate = checkRate(options.duplicateRate ?? 0);
    this.#random = prng(options.seed ?? 1);
  }

  /** Fault: deliver this share (0..1) of the events accepted from now on twice; reseeds when given. */
  setDuplicateRate(rate: number, seed?: number): void {
    this.#duplicateRate = checkRate(rate);
    if (seed !== undefined) this.#random = prng(seed);
  }

  /** Fault: deliver each of the next `n` accepted events twice. */
  duplicateNext(n: number): void {
    this.#duplicateNext += n;
  }

  log(): AsyncLogEntry[] {
    return this.#log.map((e) => ({ ...e }));
  }

  /** Accepts an event; the worker sends it on its own. */
  enqueue(
    target: AsyncTarget,
    event: unknown,
    qualifier: string | undefined,
    eventId: string = randomUUID(),
  ): string {
    if (this.#stopped) throw new Error('the async invocation queue is stopped');
    const copies = this.#duplicate() ? 2 : 1;
    for (let copy = 1; copy <= copies; copy++) {
      const queued: QueuedEvent = {
        eventId,
        copy,
        target,
        qualifier,
        event,
        enqueuedAt: Date.now(),
        attempts: 0,
        requeues: 0,
      };
      this.#record(queued, 'queued');
      this.#schedule(queued, 0);
    }
    return eventId;
  }

  /** Stops the worker: queued events and retries are abandoned (nothing is drained). */
  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #duplicate(): boolean {
    if (this.#duplicateNext > 0) {
      this.#duplicateNext--;
      return true;
    }
    return this.#duplicateRate > 0 && this.#random() < this.#duplicateRate;
  }

  #record(e: QueuedEvent, outcome: AsyncOutcome, more: Partial<AsyncLogEntry> = {}): void {
    this.#log.push({
      eventId: e.eventId,
      copy: e.copy,
      functionName: e.target.name,
      ...(e.qualifier !== undefined ? { qualifier: e.qualifier } : {}),
      outcome,
      at: Date.now(),
      attempts: e.attempts,
      ...more,
    });
  }

  #schedule(e: QueuedEvent, delayMs: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#attempt(e).catch((error) => this.#record(e, 'system-error', { detail: String(error) }));
    }, delayMs);
    timer.unref();
    this.#timers.add(timer);
  }

  async #attempt(e: QueuedEvent): Promise<void> {
    if (this.#stopped) return;
    const maxAgeMs =
      (e.target.asyncConfig?.maximumEventAgeSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS) * 1000;
    if (Date.now() - e.enqueuedAt > maxAgeMs) {
      this.#record(e, 'dropped', { detail: 'MaximumEventAgeExceeded' });
      return;
    }
    let outcome: Awaited<ReturnType<FunctionPool['invoke']>>;
    try {
      outcome = await e.target.pool.invoke(e.event, e.qualifier ? { qualifier: e.qualifier } : {});
    } catch (error) {
      if (this.#stopped) return;
      const throttled = error instanceof Error && error.name === 'TooManyRequestsException';
      // Reserved concurrency 0: AWS sends new events to the DLQ / destination with no retries. A throttle
      // while nothing of the function runs can only mean a limit of 0 (the pool counts initializing and
      // busy environments, and nothing ran between its throw and this check).
      const running = e.target.pool
        .stats()
        .environments.some((env) => env.state === 'initializing' || env.state === 'busy');
      if (throttled && !running) {
        this.#record(e, 'throttled', { detail: 'ReservedFunctionConcurrentInvocationLimitExceeded' });
        this.#record(e, 'dropped', { detail: 'ReservedConcurrencyZero' });
        return;
      }
      this.#record(e, throttled ? 'throttled' : 'system-error', {
        detail: throttled ? 'TooManyRequestsException' : String(error),
      });
      const delay = Math.min(this.#backoff.initial * 2 ** e.requeues, this.#backoff.max);
      e.requeues++;
      this.#record(e, 'retry-scheduled', { nextAt: Date.now() + delay });
      this.#schedule(e, delay);
      return;
    }
    if (this.#stopped) return;
    e.attempts++;
    e.requeues = 0;
    if (!('error' in outcome)) {
      this.#record(e, 'delivered', { awsRequestId: outcome.awsRequestId });
      return;
    }
    this.#record(e, 'function-error', {
      awsRequestId: outcome.awsRequestId,
      detail: outcome.error.errorType,
    });
    const retries = e.target.asyncConfig?.maximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS;
    if (e.attempts > retries) {
      this.#record(e, 'dropped', { detail: 'RetriesExhausted' });
      return;
    }
    const delays = e.target.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    const delay = delays[Math.min(e.attempts - 1, delays.length - 1)] as number;
    this.#record(e, 'retry-scheduled', { nextAt: Date.now() + delay });
    this.#schedule(e, delay);
  }
}

function checkRate(rate: number): number {
  if (!(rate >= 0 && rate <= 1)) throw new Error(`duplicateRate must be within 0..1, not ${rate}`);
  return rate;
}
