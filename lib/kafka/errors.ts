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

/** Runs a kafkajs call and turns whatever it throws into a KafkaError. */
export async function kafkaCall<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof KafkaError) throw error;
    const retriable = error instanceof KafkaJSError ? error.retriable : false;
    const message = error instanceof Error ? error.message : String(error);
    throw new KafkaError(`${what} failed: ${message}`, { cause: error, retriable });
  }
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
      await new Promise((resolve) => setTimeout(resolve, backoff));
      backoff = Math.min(backoff * 2, 2_000);
    }
  }
}
