import {
  type AttributeValue,
  ConditionalCheckFailedException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';

/** A raw DynamoDB item, as a failed condition hands it back (`ReturnValuesOnConditionCheckFailure: ALL_OLD`). */
export type RawItem = Record<string, AttributeValue>;

/**
 * Base of every error `lib/store` throws. Nothing above `lib/store` sees an AWS SDK error: the vendor
 * error, when there is one, is the `cause`.
 */
export class StoreError extends Error {
  /** True when trying again later may succeed (throttling, a service fault, a transaction conflict). */
  readonly retriable: boolean;

  constructor(message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.name = 'StoreError';
    this.retriable = options.retriable ?? false;
  }
}

/**
 * A conditional write lost a race: someone else created, changed or removed the item between our read
 * and our write. `current` carries what is known of the item now (undefined when it is absent or
 * DynamoDB did not return it).
 */
export class ConflictError<T = unknown> extends StoreError {
  readonly current: T | undefined;

  constructor(message: string, options: { cause?: unknown; current?: T } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ConflictError';
    this.current = options.current;
  }
}

/** The item the call needs does not exist (a connector that was never created or was deleted). */
export class MissingError extends StoreError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'MissingError';
  }
}

/**
 * A write made on behalf of a task lease whose epoch is no longer current: another runner took the
 * lease. The runner that gets this must stop without writing anything else.
 */
export class FencedError extends StoreError {
  readonly connector: string;
  readonly task: number;
  readonly epoch: number;
  /** The epoch that is current now, when known. */
  readonly currentEpoch: number | undefined;

  constructor(options: {
    connector: string;
    task: number;
    epoch: number;
    currentEpoch?: number;
    cause?: unknown;
  }) {
    super(
      `Task ${options.connector}-${options.task} lease epoch ${options.epoch} is no longer current` +
        (options.currentEpoch === undefined ? '' : ` (current epoch ${options.currentEpoch})`),
      { cause: options.cause },
    );
    this.name = 'FencedError';
    this.connector = options.connector;
    this.task = options.task;
    this.epoch = options.epoch;
    this.currentEpoch = options.currentEpoch;
  }
}

/** What a failed condition tells: which item(s) it concerned, as DynamoDB returned them. */
export interface ConditionFailure {
  /** The old item of a failed single-item write, or of the failed action of a transaction. */
  item: RawItem | undefined;
  /** For a transaction: the index of the action whose condition failed. */
  index: number | undefined;
}

const RETRIABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TransactionInProgressException',
]);

/**
 * Translates an AWS SDK error into a StoreError. A failed condition — `ConditionalCheckFailedException`,
 * or a `TransactionCanceledException` whose reasons include `ConditionalCheckFailed` — goes to
 * `onCondition`, which says what the failure means at that call site (a ConflictError, a FencedError, a
 * MissingError); without it, a failed condition becomes a ConflictError carrying the raw old item.
 */
export function toStoreError(
  error: unknown,
  command: string,
  onCondition?: (failure: ConditionFailure) => StoreError,
): StoreError {
  if (error instanceof StoreError) return error;
  const failure = conditionFailure(error);
  if (failure) {
    if (onCondition) {
      const translated = onCondition(failure);
      if (!translated.cause) Object.defineProperty(translated, 'cause', { value: error });
      return translated;
    }
    return new ConflictError(`${command}: condition failed`, { cause: error, current: failure.item });
  }
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const transactionConflict =
    error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict');
  return new StoreError(`${command} failed: ${name}: ${message}`, {
    cause: error,
    retriable: RETRIABLE.has(name) || transactionConflict,
  });
}

function conditionFailure(error: unknown): ConditionFailure | undefined {
  if (error instanceof ConditionalCheckFailedException) return { item: error.Item, index: undefined };
  if (error instanceof TransactionCanceledException) {
    const reasons = error.CancellationReasons ?? [];
    const index = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
    if (index >= 0) return { item: reasons[index]?.Item, index };
  }
  return undefined;
}
