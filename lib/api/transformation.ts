import type { ConfigDef } from './config-def.js';
import type { ConnectRecord } from './record.js';

/**
 * A Single Message Transformation (Kafka's `Transformation`): a small, stateless function applied to each
 * record on its way from a source task to Kafka, or from Kafka to a sink task.
 *
 * Lifecycle, as the runtime drives it:
 * 1. The runtime creates one instance per transform alias of a task and calls {@link configure} once,
 *    with the `transforms.<alias>.*` properties minus their prefix, before any other call.
 * 2. {@link apply} is called once per record, in order. It must not mutate its input (records, headers,
 *    Structs and maps it was given): it returns a new record (`record.with({...})`), the same record when
 *    nothing changes, or `null` to drop the record, which skips the rest of the chain. Failures are
 *    `DataError`s, subject to `errors.tolerance`.
 * 3. {@link close} is called once, when the task stops; the instance is not used afterwards.
 *
 * {@link config} may be called on an unconfigured instance (for validation and docs).
 *
 * @example
 * class DropEmpty implements Transformation {
 *   configure(): void {}
 *   apply(record: ConnectRecord): ConnectRecord | null {
 *     return record.value === '' ? null : record;
 *   }
 *   config(): ConfigDef { return new ConfigDef(); }
 *   close(): void {}
 * }
 */
export interface Transformation<R extends ConnectRecord = ConnectRecord> {
  /** The plugin version reported by `/connector-plugins`. */
  readonly version?: string;
  /** Called once, before {@link apply}, with the transform's own properties (prefix removed). */
  configure(configs: Record<string, unknown>): void;
  /** Transforms one record: a new record, the input unchanged, or `null` to drop it. Never mutates `record`. */
  apply(record: R): R | null;
  /** The config spec of this transform. */
  config(): ConfigDef;
  /** Called once when the transform is no longer needed; releases any resources. */
  close(): void;
}
