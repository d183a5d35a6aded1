import kafkajs from 'kafkajs';

// kafkajs is CommonJS and Node's ESM loader only sees some of its named exports: take the rest off the default.
const { KafkaJSError } = kafkajs;

/**
 * A failure talking to Kafka. Above lib/kafka no code sees a kafkajs error: `retriable` carries what
 * kafkajs knew (a leader election or a timeout is worth retrying, an authorisation failure is not).
 */
export class KafkaError extends Error {
  override name = 'KafkaError';
  readonly retriable: boolean;

  constructor(message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.retriable = options.retriable ?? false;
  }
}

/** kafkajs errors that say the broker could not be reached (or answered too late), not that it refused. */
const UNREACHABLE = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
]);

/**
 * Whether a failure comes from a broker that could not be reached: kafkajs wraps the connection error
 * it gave up on in a non-retriable "number of retries exceeded", yet an outage is worth trying again
 * in a later batch.
 */
export function isUnreachable(error: unknown): boolean {
  let e = error as { name?: string; originalError?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 5; depth++) {
    if (e.name && UNREACHABLE.has(e.name)) return true;
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return false;
}

/** Runs a kafkajs call and turns whatever it throws into a KafkaError. */
export async function kafkaCall<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw asKafkaError(what, error);
  }
}

/** Whatever kafkajs threw or reported (a consumer's crash event too) as a KafkaError, retriable as kafkajs knew. */
export function asKafkaError(what: string, error: unknown): KafkaError {
  if (error instanceof KafkaError) return error;
  const retriable = (error instanceof KafkaJSError && error.retriable) || isUnreachable(error);
  const message = error instanceof Error ? error.message : String(error);
  return new KafkaError(`${what} failed: ${message}`, { cause: error, retriable });
}

/**
 * As kafkaCall, retrying what kafkajs marks retriable. kafkajs's group admin calls (offset fetch and
 * commit, group deletion) ask the coordinator once, while a broker that has just started or moved a
 * group answers NOT_COORDINATOR or COORDINATOR_LOAD_IN_PROGRESS for a moment; Kafka's Java AdminClient
 * retries those until its timeout, and so do we, a bounded number of times.
 */
export async function kafkaRetry<T>(
  what: string,
  fn: () => Promise<T>,
  options: { attempts?: number; backoffMs?: number } = {},
): Promise<T> {
  const attempts = options.attempts ?? 6;
  let backoff = options.backoffMs ?? 100;
  for (let attempt = 1; ; attempt++) {
    try {
      return await kafkaCall(what, fn);
    } catch (error) {
      if (!(error instanceof KafkaError) || !error.retriable || attempt >= attempts) throw error;
      // A broker kafkajs gave up reaching after its own connection retries: no point in more here.
      const gaveUp = (error.cause as { name?: string } | undefined)?.name;
      if (gaveUp === 'KafkaJSNumberOfRetriesExceeded' || gaveUp === 'KafkaJSNonRetriableError') throw error;
      await new Promise((resolve) => setTimeout(resolve, backoff));
      backoff = Math.min(backoff * 2, 2_000);
    }
  }
}
