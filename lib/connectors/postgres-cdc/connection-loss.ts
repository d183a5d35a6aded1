import { RetriableError } from '../../api/index.js';

/**
 * The connection went while this batch had answered records: the runtime commits those, and the task,
 * reset, resumes from them at its next poll (docs/runtime.md, Failures: a retriable poll error).
 */
export const lost = (error: unknown) =>
  new RetriableError(`PostgreSQL connection lost: ${(error as Error).message}`, { cause: error });

/**
 * A failure a new connection may not meet: the connection itself (SQLSTATE class 08, a socket error),
 * the server going away (57: admin shutdown, a terminated walsender), the slot still held by a
 * walsender that has not noticed its client died (55006), resources, or a serialization failure.
 */
export function transient(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && /^(08|57|53|55006|40001|40P01)/.test(code)) return true;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true; // ECONNRESET, ECONNREFUSED, EPIPE…
  return /Connection terminated|connection closed|Replication connection closed|socket/i.test(
    String((error as Error)?.message),
  );
}
