import { ConnectError } from '../api/errors.js';

/**
 * An error the REST layer answers with a fixed HTTP status (Kafka's `ConnectRestException`): 400 for bad
 * input, 403/405/409/413/415 for the cases Jersey or the herder raise them. `NotFoundError` (404) and
 * `AlreadyExistsError` (409) from `lib/api/errors.ts` are used as they are.
 */
export class RestError extends ConnectError {
  readonly status: number;

  constructor(status: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RestError';
    this.status = status;
  }
}

/** Kafka's `BadRequestException`: 400. */
export class BadRequestError extends RestError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(400, message, options);
    this.name = 'BadRequestError';
  }
}

/** Kafka's wording for a write that lost a race it could not retry away (`RebalanceNeededException`). */
export const STALE_CONFIG_MESSAGE =
  'Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)';
