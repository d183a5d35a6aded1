import { redactMessage } from '../../config/redaction.js';
import type { ErrorContext } from './error-reporter.js';

export const ERROR_HEADER_PREFIX = '__connect.errors.';

function errorClassName(error: unknown): string {
  if (error instanceof Error) return error.name || error.constructor.name;
  return typeof error;
}

/**
 * The `__connect.errors.*` context headers Kafka's `DeadLetterQueueReporter` adds when
 * `errors.deadletterqueue.context.headers.enable=true`, as UTF-8 strings. The original coordinates are
 * included only when known; the exception headers only when there is an error.
 */
export function dlqHeaders(context: ErrorContext): Record<string, Buffer> {
  const h: Record<string, string> = {};
  if (context.topic !== undefined) h.topic = context.topic;
  if (context.partition !== undefined) h.partition = String(context.partition);
  if (context.offset !== undefined) h.offset = String(context.offset);
  h['connector.name'] = context.connectorName;
  h['task.id'] = String(context.taskId);
  h.stage = context.stage;
  h['class.name'] = context.executingClass;
  if (context.error !== undefined && context.error !== null) {
    h['exception.class.name'] = errorClassName(context.error);
    // A DLQ record is one the system writes on its own account: no resolved secret in its headers.
    h['exception.message'] = redactMessage(
      context.error instanceof Error ? context.error.message : String(context.error),
    );
    h['exception.stacktrace'] = redactMessage(
      context.error instanceof Error ? (context.error.stack ?? String(context.error)) : String(context.error),
    );
  }
  return Object.fromEntries(
    Object.entries(h).map(([k, v]) => [ERROR_HEADER_PREFIX + k, Buffer.from(v, 'utf8')]),
  );
}
