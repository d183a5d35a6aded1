import { ConnectError, RetriableError } from '../../api/errors.js';
import { KafkaError } from '../../kafka/errors.js';
import { FencedError, StoreError } from '../../store/errors.js';
import { TaskFailure } from '../pipeline/error-handling.js';
import { Stage } from './stage.js';

/**
 * A batch ended on a failure that may pass (a `RetriableError` from `put` that outlived the batch's
 * budget): nothing past what was written is committed, the task stays RUNNING and runs again at its
 * next invocation (docs/runtime.md, Failures).
 */
export class RetriableFailure extends ConnectError {
  override name = 'RetriableFailure';
  constructor(
    readonly stage: Stage,
    cause: unknown,
  ) {
    super(`Retriable failure (stage ${stage}), retried at the task's next run: ${messageOf(cause)}`, {
      cause,
    });
  }
}

/**
 * Stages a task's own call or a Kafka client runs in. Kafka Connect never fails a task for a
 * `RetriableException` there: `WorkerSinkTask` redelivers a batch whose `put` threw one,
 * `AbstractWorkerSourceTask` polls again and sends again. Converters and SMTs are different: their
 * retries are bounded by `errors.retry.timeout`, then `errors.tolerance` decides, and a failure fails.
 */
const RETRIED_STAGES: ReadonlySet<Stage> = new Set([
  Stage.TASK_POLL,
  Stage.TASK_PUT,
  Stage.KAFKA_PRODUCE,
  Stage.KAFKA_CONSUME,
]);

/**
 * Whether `error` ends a batch to be retried rather than failing the task: a `RetriableError` from the
 * task, a Kafka client error kafkajs marks retriable (a broker unavailable, a leader election), a
 * failed consumer offset commit, a DynamoDB error worth trying again (throttling after the SDK's
 * retries, a transaction conflict that is not a fence). A `FencedError` is never retriable: the runner lost its lease and stops.
 */
export function isRetriable(error: unknown): boolean {
  if (error instanceof FencedError) return false;
  if (error instanceof RetriableFailure) return true;
  if (error instanceof TaskFailure) return RETRIED_STAGES.has(error.stage) && isRetriable(error.cause);
  if (error instanceof RetriableError) return true;
  if (error instanceof KafkaError) return error.retriable || isOffsetCommitFailure(error);
  if (error instanceof StoreError) return error.retriable;
  return false;
}

/**
 * A sink's consumer offset commit that failed. Kafka's `WorkerSinkTask` never fails a task for one (it
 * logs it and commits again later), whatever the cause — a rebalance in progress, an unknown member, a
 * coordinator moving — and kafkajs marks several of those non-retriable. Told by the operation lib/kafka
 * names in the message (`kafkaCall('commit offsets', …)`).
 */
export function isOffsetCommitFailure(error: unknown): boolean {
  return error instanceof KafkaError && error.message.startsWith(COMMIT_FAILED);
}

const COMMIT_FAILED = 'commit offsets failed:';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
