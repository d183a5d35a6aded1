import type { ConfigValue } from './config/config-value.js';
import type { ConfigDef } from './config-def.js';

/** Connector configs as the REST API stores them: every value a string. */
export type ConnectorProps = Readonly<Record<string, string>>;

/** What a connector may ask of the runtime (Kafka's `ConnectorContext`). */
export interface ConnectorContext {
  /** The connector's inputs changed (e.g. a new table): the runtime calls `taskConfigs` again. */
  requestTaskReconfiguration(): void;
  /** Marks the connector FAILED with this error. */
  raiseError(error: Error): void;
}

/**
 * A connector: turns one connector config into task configs (Kafka's `Connector`). It holds no data
 * path itself. Lifecycle, each step at most once per instance: `initialize` → `start(props)` →
 * `taskConfigs(maxTasks)` (any number of times) → `stop()`. `config()` and `validate` may be called on an
 * instance that was never started (by `/config/validate`). In this runtime a connector instance lives
 * only as long as one control-plane request: keep no state that must survive `stop`.
 */
export abstract class Connector {
  protected context?: ConnectorContext;

  initialize(context: ConnectorContext): void {
    this.context = context;
  }

  /** The plugin's version, shown by `GET /connector-plugins`. */
  abstract version(): string;
  abstract start(props: ConnectorProps): void | Promise<void>;
  /** At most `maxTasks` task configs; each task gets one. */
  abstract taskConfigs(maxTasks: number): Record<string, string>[] | Promise<Record<string, string>[]>;
  abstract stop(): void | Promise<void>;
  /** The connector's own config spec; framework keys are added by the runtime. */
  abstract config(): ConfigDef;

  /** Multi-key validation; the default checks each key against `config()` as Kafka's does. */
  validate(props: ConnectorProps): ConfigValue[] {
    return this.config().validate(props);
  }
}

/** Kafka's `ExactlyOnceSupport`. */
export const ExactlyOnceSupport = { SUPPORTED: 'SUPPORTED', UNSUPPORTED: 'UNSUPPORTED' } as const;
export type ExactlyOnceSupport = (typeof ExactlyOnceSupport)[keyof typeof ExactlyOnceSupport];

/** Kafka's `ConnectorTransactionBoundaries`. */
export const ConnectorTransactionBoundaries = { SUPPORTED: 'SUPPORTED', UNSUPPORTED: 'UNSUPPORTED' } as const;
export type ConnectorTransactionBoundaries =
  (typeof ConnectorTransactionBoundaries)[keyof typeof ConnectorTransactionBoundaries];
