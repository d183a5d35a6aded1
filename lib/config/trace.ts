import { redactMessage } from './redaction.js';

/**
 * The `trace` shown in status for a FAILED connector or task: the error and its causes with their stacks,
 * as Kafka Connect shows a Java stack trace with its `Caused by:` sections. Redacted: a status is a reply.
 */
export function trace(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    parts.push(
      current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : String(current),
    );
    current = current instanceof Error ? current.cause : undefined;
    if (current) parts.push('Caused by:');
  }
  return redactMessage(parts.join('\n'));
}
