import { RetriableError } from '../../api/errors.js';
import { type Stage, toleratesAnyError } from './stage.js';

export const ToleranceType = { NONE: 'none', ALL: 'all' } as const;
export type ToleranceType = (typeof ToleranceType)[keyof typeof ToleranceType];

export interface RetryOptions {
  /** `errors.retry.timeout`: 0 = no retry, -1 = retry forever. */
  retryTimeoutMs: number;
  /** `errors.retry.delay.max.ms`. */
  maxDelayMs: number;
  /** `errors.tolerance`. */
  tolerance: ToleranceType;
  /** Waits; injected so tests are fast. @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** @default Date.now */
  now?: () => number;
  /** Random in [0, 1), for the jitter past the cap. @default Math.random */
  random?: () => number;
}

/** The outcome of {@link executeWithRetry}. */
export type StageResult<T> =
  | { status: 'ok'; value: T; attempts: number }
  | { status: 'tolerated'; stage: Stage; error: unknown; attempts: number }
  | { status: 'failed'; stage: Stage; error: unknown; attempts: number };

const INITIAL_DELAY_MS = 300;
const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Kafka's `RetryWithToleranceOperator.execute`: runs `fn`; a `RetriableError` is retried with a backoff of
 * 300 ms doubling up to `maxDelayMs` (a random delay in [0, max) once past the cap), until
 * `retryTimeoutMs` has elapsed (0: never retried; -1: forever). The last error is then tolerated when
 * `tolerance` is `all` and the stage allows it (converters and transformations: any error; other stages
 * only `RetriableError`); otherwise the result is `failed`. The caller reports and decides what follows.
 *
 * @example
 * const r = await executeWithRetry(Stage.VALUE_CONVERTER, () => converter.toConnectData(topic, bytes),
 *   { retryTimeoutMs: 0, maxDelayMs: 60000, tolerance: 'all' });
 * if (r.status === 'tolerated') await reporter.report({ stage: r.stage, error: r.error, ... });
 */
export async function executeWithRetry<T>(
  stage: Stage,
  fn: () => T | Promise<T>,
  options: RetryOptions,
): Promise<StageResult<T>> {
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const start = now();
  const deadline = options.retryTimeoutMs < 0 ? Number.POSITIVE_INFINITY : start + options.retryTimeoutMs;
  let attempts = 0;
  let error: unknown;
  for (;;) {
    attempts++;
    try {
      return { status: 'ok', value: await fn(), attempts };
    } catch (e) {
      error = e;
    }
    if (!(error instanceof RetriableError)) break;
    const delay = backoff(attempts, options.maxDelayMs, random);
    const remaining = deadline - now();
    if (remaining <= 0) break;
    await sleep(Math.min(delay, remaining));
  }
  const tolerable =
    options.tolerance === ToleranceType.ALL && (toleratesAnyError(stage) || error instanceof RetriableError);
  return { status: tolerable ? 'tolerated' : 'failed', stage, error, attempts };
}

/** The wait after attempt `attempt` (1-based): 300 ms doubling; past the cap a jitter in [0, cap). */
export function backoff(attempt: number, maxDelayMs: number, random: () => number = Math.random): number {
  const delay = INITIAL_DELAY_MS * 2 ** (attempt - 1);
  return delay <= maxDelayMs ? delay : Math.floor(random() * maxDelayMs);
}
