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
