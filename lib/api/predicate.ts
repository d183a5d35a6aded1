import type { ConfigDef } from './config-def.js';
import type { ConnectRecord } from './record.js';

/**
 * A condition on a record that decides whether a transform applies (Kafka's `Predicate`, KIP-585).
 *
 * Lifecycle: the runtime creates one instance per predicate alias, calls {@link configure} once with the
 * `predicates.<alias>.*` properties minus their prefix, then {@link test} once per record a transform
 * using it sees, and {@link close} once at the end. A transform stage applies when there is no predicate,
 * or when `negate XOR predicate.test(record)`. {@link test} must not mutate the record.
 *
 * @example
 * class IsTombstone implements Predicate {
 *   configure(): void {}
 *   test(record: ConnectRecord): boolean { return record.value === null; }
 *   config(): ConfigDef { return new ConfigDef(); }
 *   close(): void {}
 * }
 */
export interface Predicate<R extends ConnectRecord = ConnectRecord> {
  /** The plugin version reported by `/connector-plugins`. */
  readonly version?: string;
  /** Called once, before {@link test}, with the predicate's own properties (prefix removed). */
  configure(configs: Record<string, unknown>): void;
  /** Whether the record satisfies the condition. Never mutates `record`. */
  test(record: R): boolean;
  /** The config spec of this predicate. */
  config(): ConfigDef;
  /** Called once when the predicate is no longer needed. */
  close(): void;
}
