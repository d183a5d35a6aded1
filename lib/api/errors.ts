/**
 * The ConnectError family, modelled on `org.apache.kafka.connect.errors.*`.
 *
 * `RetriableError` versus everything else decides retry versus failure; `DataError` marks a record that
 * cannot be converted or transformed (subject to `errors.tolerance`).
 */

/** Base of every Connect error (Kafka's `ConnectException`). */
export class ConnectError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConnectError';
  }
}

/** A transient failure: the operation may succeed if retried (Kafka's `RetriableException`). */
export class RetriableError extends ConnectError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RetriableError';
  }
}

/** Data cannot be converted, validated or transformed (Kafka's `DataException`). */
export class DataError extends ConnectError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DataError';
  }
}

/** A schema builder was misused (Kafka's `SchemaBuilderException`, a `DataException`). */
export class SchemaBuilderError extends DataError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SchemaBuilderError';
  }
}

/** A requested connector, task or resource does not exist (Kafka's `NotFoundException`). */
export class NotFoundError extends ConnectError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotFoundError';
  }
}

/** A resource to create exists already (Kafka's `AlreadyExistsException`). */
export class AlreadyExistsError extends ConnectError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AlreadyExistsError';
  }
}

/** The worker is in a state that does not allow the operation (Kafka's `IllegalWorkerStateException`). */
export class IllegalWorkerStateError extends ConnectError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IllegalWorkerStateError';
  }
}

/**
 * An invalid configuration (Kafka's `ConfigException`).
 *
 * @example
 * new ConfigError('tasks.max', -1, 'Value must be at least 1').message
 * // 'Invalid value -1 for configuration tasks.max: Value must be at least 1'
 * new ConfigError('Missing required configuration "topic" which has no default value.').message
 */
export class ConfigError extends ConnectError {
  /** The configuration key, when the error concerns one. */
  readonly configName: string | undefined;
  /** The rejected value, when the error concerns one. */
  readonly value: unknown;

  constructor(message: string);
  constructor(name: string, value: unknown, reason?: string);
  constructor(nameOrMessage: string, ...rest: unknown[]) {
    if (rest.length === 0) {
      super(nameOrMessage);
      this.configName = undefined;
      this.value = undefined;
    } else {
      const [value, reason] = rest;
      super(
        `Invalid value ${String(value)} for configuration ${nameOrMessage}` +
          (reason === undefined || reason === null ? '' : `: ${String(reason)}`),
      );
      this.configName = nameOrMessage;
      this.value = value;
    }
    this.name = 'ConfigError';
  }
}
