import { NotFoundError } from '../api/errors.js';
import { BadRequestError, RestError } from './errors.js';

/** Kafka's (log4j's) levels, as `/admin/loggers` accepts and shows them. */
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'OFF'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Kafka's `LoggerLevel` entity. */
export interface LoggerLevel {
  level: LogLevel;
  last_modified: number | null;
}

export const ROOT_LOGGER = 'root';

/**
 * At most this many loggers (`root` included) have a level: every new name set through `PUT` is kept in
 * memory for the life of the process, so an unbounded map lets any caller grow it without end.
 */
export const MAX_LOGGERS = 1_000;

/**
 * The worker's logger levels behind `/admin/loggers` (KIP-495): `root` plus every logger a level was set
 * for. Setting a level applies to the logger and its descendants (`a.b` covers `a.b.c`); `root` covers
 * all. `onChange` lets the process apply a level to its real logger (Powertools on Lambda). Levels live
 * in memory, one registry per process, like a Kafka worker's: on Lambda a PUT reaches one container.
 */
export class LoggerLevels {
  readonly #levels = new Map<string, LoggerLevel>();
  readonly #onChange: (logger: string, level: LogLevel) => void;
  readonly #clock: () => number;

  readonly #max: number;

  constructor(
    options: {
      rootLevel?: LogLevel;
      onChange?: (logger: string, level: LogLevel) => void;
      clock?: () => number;
      /** @default MAX_LOGGERS */
      maxLoggers?: number;
    } = {},
  ) {
    this.#max = options.maxLoggers ?? MAX_LOGGERS;
    this.#levels.set(ROOT_LOGGER, { level: options.rootLevel ?? 'INFO', last_modified: null });
    this.#onChange = options.onChange ?? (() => {});
    this.#clock = options.clock ?? Date.now;
  }

  /** Every logger with a level, `root` included, sorted by name. */
  all(): Record<string, LoggerLevel> {
    const names = [...this.#levels.keys()].sort();
    return Object.fromEntries(names.map((n) => [n, { ...(this.#levels.get(n) as LoggerLevel) }]));
  }

  /** One logger's level; 404 `Logger <l> not found.` for one never set. */
  get(logger: string): LoggerLevel {
    const found = this.#levels.get(logger);
    if (!found) throw new NotFoundError(`Logger ${logger} not found.`);
    return { ...found };
  }

  /**
   * Sets `level` (case-insensitive) on `logger` and its known descendants; answers the affected names,
   * sorted. 400 when the level is missing, 404 `invalid log level 'x'.` when it is not a level (Kafka's
   * deliberate 404). A new name beyond `maxLoggers` is refused with 400 (Kafka's error shape) and nothing
   * changes; names already known can always be set.
   */
  set(logger: string, level: unknown): string[] {
    if (level === undefined || level === null) {
      throw new BadRequestError("Desired 'level' parameter was not specified in request.");
    }
    const normalized = String(level).toUpperCase();
    if (!(LOG_LEVELS as readonly string[]).includes(normalized)) {
      throw new RestError(404, `invalid log level '${String(level)}'.`);
    }
    const now = this.#clock();
    const affected = [...this.#levels.keys()].filter(
      (name) => logger === ROOT_LOGGER || name === logger || name.startsWith(`${logger}.`),
    );
    if (!affected.includes(logger)) {
      if (this.#levels.size >= this.#max) {
        throw new BadRequestError(
          `Cannot set the level of logger ${logger}: this worker already keeps levels for ${this.#max} loggers, its limit. Set the level of an ancestor (or root) instead.`,
        );
      }
      affected.push(logger);
    }
    affected.sort();
    for (const name of affected) {
      this.#levels.set(name, { level: normalized as LogLevel, last_modified: now });
      this.#onChange(name, normalized as LogLevel);
    }
    return affected;
  }
}
