import { AsyncLocalStorage } from 'node:async_hooks';
import { KafkaError } from './errors.js';

/**
 * The time (epoch ms) by which every Kafka call of the current invocation must have settled. The task
 * runner sets it around a batch (`withKafkaDeadline`); producer and consumer calls made inside read it
 * without it being threaded through every signature. Kafka's `delivery.timeout.ms` bounds a send made
 * outside any deadline.
 */
const deadlines = new AsyncLocalStorage<number>();

/** Runs `fn` with `deadline` as the bound of the Kafka calls it makes (the earlier one when nested). */
export function withKafkaDeadline<T>(deadline: number, fn: () => T): T {
  const outer = deadlines.getStore();
  return deadlines.run(outer === undefined ? deadline : Math.min(outer, deadline), fn);
}

/** The deadline of the current invocation, if one was set. */
export function kafkaDeadline(): number | undefined {
  return deadlines.getStore();
}

/** Thrown when a Kafka call would outlive its deadline: retriable, the broker may only be away. */
export class KafkaDeadlineError extends KafkaError {
  override name = 'KafkaDeadlineError';
}

/**
 * Settles with `call`, or rejects with a retriable {@link KafkaDeadlineError} at `deadline`, whichever
 * comes first; `onTimeout` then gets the call still running (to release what it holds once it settles).
 * kafkajs cannot cancel a call: an idempotent producer retries a send for ever, a consumer its connect.
 */
export async function beforeDeadline<T>(
  what: string,
  deadline: number | undefined,
  call: Promise<T>,
  onTimeout?: (running: Promise<T>) => void,
): Promise<T> {
  if (deadline === undefined) return call;
  const ms = deadline - Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        call.catch(() => {}); // settled or not, no one awaits it any more
        onTimeout?.(call);
        reject(
          new KafkaDeadlineError(
            `${what} did not complete before the invocation's deadline (${Math.max(0, ms)} ms): is the broker reachable?`,
            { retriable: true },
          ),
        );
      },
      Math.max(0, ms),
    );
  });
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
