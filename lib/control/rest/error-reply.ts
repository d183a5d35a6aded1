import { AlreadyExistsError, ConfigError, NotFoundError } from '../../api/errors.js';
import { redactUrlCredentials } from '../../config/url-redaction.js';
import { PluginNotFoundError } from '../../plugins.js';
import { ConflictError } from '../../store/index.js';
import { RestError, STALE_CONFIG_MESSAGE } from '../errors.js';
import type { ErrorBody, RestReply } from './types.js';

/**
 * The one place an error becomes a reply (Kafka's `ConnectExceptionMapper`): `{error_code, message}`
 * with error_code = the HTTP status. 404 not found, 409 exists or lost race, 400 bad input, the status
 * a RestError carries, 500 for everything else with its message. A password in a URL the message
 * quotes (`http.api.url`, `connection.url`) is hidden.
 */
export function errorReply(error: unknown): RestReply & { body: ErrorBody } {
  const status = statusOf(error);
  const message =
    error instanceof ConflictError
      ? STALE_CONFIG_MESSAGE
      : error instanceof Error
        ? error.message
        : String(error);
  return { status, body: { error_code: status, message: redactUrlCredentials(message) } };
}

function statusOf(error: unknown): number {
  if (error instanceof RestError) return error.status;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof AlreadyExistsError) return 409;
  // A race the store could not retry away; clients retry on 409.
  if (error instanceof ConflictError) return 409;
  // Kafka answers 500 for these; they are the caller's mistake, so 400 (docs/rest-api.md).
  if (error instanceof PluginNotFoundError || error instanceof ConfigError) return 400;
  // The broker refused a topic or partition the caller named (PATCH offsets of topic `a…a`×300, or of a
  // partition that does not exist): 400 as well.
  if (causes(error).some((e) => CALLER_KAFKA_ERRORS.has(String((e as { type?: unknown }).type)))) return 400;
  return 500;
}

/** Kafka protocol errors (kafkajs `type`) that the herder's admin calls get only for a caller's input. */
const CALLER_KAFKA_ERRORS = new Set(['INVALID_TOPIC_EXCEPTION', 'UNKNOWN_TOPIC_OR_PARTITION']);

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e instanceof Error && chain.length < 8; e = e.cause) chain.push(e);
  return chain;
}
