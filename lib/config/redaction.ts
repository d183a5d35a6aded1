import { redactUrlCredentials } from './url-redaction.js';

/**
 * The one redaction rule (docs/security.md): every value a config provider resolved is remembered here,
 * in memory only, and {@link redact} replaces it with `[hidden]` wherever a message leaves the process —
 * REST replies and errors, status traces, log lines, DLQ headers. A message built from config values
 * (`Invalid value <secret> for configuration tasks.max`) thus cannot carry a secret, whichever code built it.
 *
 * Values shorter than {@link MIN_SECRET_LENGTH} are not matched: replacing every `ab` in every message
 * would garble them, and a secret that short is no protection anyway.
 */
export const HIDDEN = '[hidden]';
export const MIN_SECRET_LENGTH = 4;
const MAX_SECRETS = 10_000;

const secrets = new Map<string, true>();
let pattern: RegExp | undefined;
let dirty = false;

/** Remembers a resolved value (and its JSON-escaped form) so that {@link redact} hides it. */
export function rememberSecret(value: string): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
  for (const form of new Set([value, JSON.stringify(value).slice(1, -1), ...value.split(/\r?\n/)])) {
    if (form.length < MIN_SECRET_LENGTH) continue;
    if (secrets.has(form)) secrets.delete(form); // re-insert: the newest stay when the cap evicts
    secrets.set(form, true);
    dirty = true;
  }
  while (secrets.size > MAX_SECRETS) secrets.delete(secrets.keys().next().value as string);
}

/** The text with every remembered secret replaced by `[hidden]`. */
export function redact(text: string): string {
  let out = text;
  if (secrets.size > 0) {
    if (dirty || !pattern) {
      const alternatives = [...secrets.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
      pattern = new RegExp(alternatives.join('|'), 'g');
      dirty = false;
    }
    out = out.replace(pattern, HIDDEN);
  }
  return out;
}

/**
 * {@link redact}, and the passwords URLs carry (`url-redaction.ts`), for the messages the system writes
 * on its own account: traces, DLQ headers, log lines, error replies. Not for config values a caller
 * stored and reads back (`GET …/config` answers exactly what was stored, as Kafka does).
 */
export function redactMessage(text: string): string {
  return redactUrlCredentials(redact(text));
}

/** `rule` ({@link redact} by default) applied to every string inside a JSON-like value (a reply body). */
export function redactDeep<T>(value: T, rule: (text: string) => string = redact): T {
  if (typeof value === 'string') return rule(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, rule)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[rule(k)] = redactDeep(v, rule);
    return out as T;
  }
  return value;
}

/** An error's message and stack redacted in place (a copy would lose its class), returned for chaining. */
export function redactError<T>(error: T): T {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    try {
      current.message = redactMessage(current.message);
      if (current.stack) current.stack = redactMessage(current.stack);
    } catch {
      // A frozen error keeps its text; callers still redact what they print.
    }
    current = current.cause;
  }
  return error;
}

/** A `{ info, error }` logger whose messages and extra fields pass {@link redact} (errors as text). */
export function redactingLog<
  L extends { info(m: string, e?: object): void; error(m: string, e?: object): void },
>(log: L): L {
  const clean = (extra?: object) =>
    extra === undefined
      ? undefined
      : (redactDeep(
          Object.fromEntries(
            Object.entries(extra).map(([k, v]) => [k, v instanceof Error ? String(redactError(v)) : v]),
          ),
          redactMessage,
        ) as object);
  return {
    ...log,
    info: (m: string, e?: object) => log.info(redactMessage(m), clean(e)),
    error: (m: string, e?: object) => log.error(redactMessage(m), clean(e)),
  };
}

/** For tests: forget every remembered secret. */
export function forgetSecrets(): void {
  secrets.clear();
  pattern = undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
