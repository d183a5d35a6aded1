import { ConnectError, RetriableError } from '../../api/index.js';

/** A failed request to the cluster: its HTTP status (0: no answer) and whether it may pass. */
export class ClusterError extends ConnectError {
  override name = 'ClusterError';
  constructor(
    message: string,
    readonly status: number,
    /** The error type the cluster named (`resource_already_exists_exception`, …), or `''`. */
    readonly type = '',
  ) {
    super(message);
  }

  /** No answer, a timeout, throttling or a server error: worth another attempt. */
  get retriable(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

export interface RetryPolicy {
  maxRetries: number;
  retryBackoffMs: number;
  /** No attempt starts after this (epoch ms). */
  deadline: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

/**
 * Confluent's backoff before retry `attempt` (1, 2, …): a random wait in [0, `retry.backoff.ms` <<
 * attempt), capped at 24 h, so retries of many tasks do not march in step.
 * https://github.com/confluentinc/kafka-connect-elasticsearch/blob/v15.1.3/src/main/java/io/confluent/connect/elasticsearch/RetryUtil.java
 */
export function backoffMs(
  attempt: number,
  retryBackoffMs: number,
  random: () => number = Math.random,
): number {
  if (retryBackoffMs <= 0) return 0;
  const ceiling = Math.min(24 * 3_600_000, retryBackoffMs * 2 ** Math.min(attempt, 32));
  return Math.floor(random() * ceiling);
}

export const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Calls `fn` up to `max.retries + 1` times while it fails with a retriable {@link ClusterError}, with
 * {@link backoffMs} between attempts; past the attempts (or the deadline) the failure becomes a
 * RetriableError, so the runtime delivers the batch again. Any other error is thrown as it is.
 */
export async function callWithRetries<T>(
  description: string,
  fn: () => Promise<T>,
  policy: RetryPolicy,
): Promise<T> {
  const sleep = policy.sleep ?? defaultSleep;
  const now = policy.now ?? Date.now;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof ClusterError) || !error.retriable) throw error;
      const wait = backoffMs(attempt, policy.retryBackoffMs, policy.random);
      if (attempt > policy.maxRetries || now() + wait > policy.deadline)
        throw new RetriableError(
          `Failed to ${description} due to '${error.message}' after ${attempt} attempt(s)`,
          {
            cause: error,
          },
        );
      await sleep(wait);
    }
  }
}
