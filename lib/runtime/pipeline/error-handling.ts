import { ConnectError, type ConnectRecord, RetriableError } from '../../api/index.js';
import type { WireRecord } from '../../kafka/types.js';
import { dlqHeaders } from '../errors/dlq-headers.js';
import {
  compositeReporter,
  type ErrorContext,
  type ErrorReporter,
  logReporter,
} from '../errors/error-reporter.js';
import { executeWithRetry, ToleranceType } from '../errors/retry.js';
import { Stage } from '../errors/stage.js';
import type { TransformationChain } from './transformation-chain.js';

/** `errors.*` of a connector config, parsed. */
export interface ErrorSettings {
  retryTimeoutMs: number;
  maxDelayMs: number;
  tolerance: ToleranceType;
  logEnable: boolean;
  logIncludeMessages: boolean;
  dlqTopic: string;
  dlqReplicationFactor: number;
  dlqContextHeaders: boolean;
}

export function errorSettings(config: Readonly<Record<string, string>>): ErrorSettings {
  const n = (k: string, d: number) => (config[k] !== undefined && config[k] !== '' ? Number(config[k]) : d);
  const b = (k: string) => String(config[k] ?? 'false').toLowerCase() === 'true';
  return {
    retryTimeoutMs: n('errors.retry.timeout', 0),
    maxDelayMs: n('errors.retry.delay.max.ms', 60_000),
    tolerance:
      (config['errors.tolerance'] ?? 'none').toLowerCase() === 'all' ? ToleranceType.ALL : ToleranceType.NONE,
    logEnable: b('errors.log.enable'),
    logIncludeMessages: b('errors.log.include.messages'),
    dlqTopic: (config['errors.deadletterqueue.topic.name'] ?? '').trim(),
    dlqReplicationFactor: n('errors.deadletterqueue.topic.replication.factor', 3),
    dlqContextHeaders: b('errors.deadletterqueue.context.headers.enable'),
  };
}

/** A failure that ends the task: it carries the stage, and the task goes FAILED with its trace. */
export class TaskFailure extends ConnectError {
  override name = 'TaskFailure';
  constructor(
    readonly stage: Stage,
    cause: unknown,
  ) {
    super(`Tolerance exceeded in error handler (stage ${stage}): ${(cause as Error)?.message ?? cause}`, {
      cause,
    });
  }
}

/** What a tolerated failure reports: the context plus the record to write to the DLQ, if there is one. */
export interface Failure extends Omit<ErrorContext, 'error' | 'stage' | 'executingClass'> {
  /** The record as it should land in the DLQ (sinks: the original consumed bytes). */
  dlqRecord?: WireRecord;
}

/**
 * Kafka's `RetryWithToleranceOperator` plus its reporters, for one task. `run` executes one stage of one
 * record: the happy path is a plain synchronous call; a failure is retried (RetriableError), then
 * tolerated (reported to the log and the DLQ, and the record skipped) or turned into a TaskFailure.
 * DLQ records are collected and written by the runner with the batch, before offsets are committed, so
 * a skipped record is never lost.
 */
export class ErrorHandler {
  private readonly reporter: ErrorReporter;
  readonly dlq: WireRecord[] = [];
  tolerated = 0;

  constructor(
    readonly settings: ErrorSettings,
    log: (message: string, error: unknown) => void,
  ) {
    this.reporter = compositeReporter([
      logReporter({ enabled: settings.logEnable, includeMessages: settings.logIncludeMessages, log }),
    ]);
  }

  /** Whether an errant-record reporter exists for sink tasks (KIP-610: DLQ or error logging configured). */
  get reportsErrantRecords(): boolean {
    return this.settings.dlqTopic !== '' || this.settings.logEnable;
  }

  /**
   * Runs a synchronous stage (converter, SMT): answers its value directly on the happy path, so the hot
   * loop allocates no promise; only a failure answers a promise (of the value after a retry, or `SKIP`
   * when tolerated). Throws (or rejects with) TaskFailure when the failure is not tolerated.
   */
  attempt<T>(
    stage: Stage,
    executingClass: string | (() => string),
    fn: () => T,
    failure: () => Failure,
  ): T | Promise<T | typeof SKIP> {
    try {
      return fn();
    } catch (error) {
      return this.recover(stage, executingClass, fn, error, failure);
    }
  }

  /** The SMT chain as one TRANSFORMATION stage; a failure names the SMT that threw. */
  transform<R extends ConnectRecord>(
    chain: TransformationChain,
    record: R,
    failure: () => Failure,
  ): R | null | Promise<R | null | typeof SKIP> {
    if (chain.isEmpty) return record;
    let current = '';
    return this.attempt(
      Stage.TRANSFORMATION,
      () => current,
      () => chain.apply(record, (s) => (current = s.className)),
      failure,
    );
  }

  /** As `attempt`, for asynchronous stages (poll, put, produce). */
  async run<T>(
    stage: Stage,
    executingClass: string,
    fn: () => Promise<T>,
    failure: () => Failure,
  ): Promise<T | typeof SKIP> {
    try {
      return await fn();
    } catch (error) {
      return this.recover(stage, executingClass, fn, error, failure);
    }
  }

  private async recover<T>(
    stage: Stage,
    executing: string | (() => string),
    fn: () => T | Promise<T>,
    first: unknown,
    failure: () => Failure,
  ): Promise<T | typeof SKIP> {
    const result =
      first instanceof RetriableError
        ? await executeWithRetry(stage, fn, this.settings)
        : await executeWithRetry(
            stage,
            () => {
              throw first;
            },
            { ...this.settings, retryTimeoutMs: 0 },
          );
    if (result.status === 'ok') return result.value as T;
    // Resolved only now: for an SMT chain it names the stage that threw.
    const executingClass = typeof executing === 'function' ? executing() : executing;
    if (result.status === 'failed') {
      // The task fails and the record is redelivered after a restart: log it, but no DLQ copy.
      await this.reporter.report({ ...failure(), stage, executingClass, error: result.error });
      throw new TaskFailure(stage, result.error);
    }
    await this.report(stage, executingClass, result.error, failure());
    return SKIP;
  }

  /** Reports a failure (log + DLQ) and counts it as tolerated. Also used by the errant record reporter. */
  async report(stage: Stage, executingClass: string, error: unknown, failure: Failure): Promise<void> {
    const context: ErrorContext = { ...failure, stage, executingClass, error };
    await this.reporter.report(context);
    if (this.settings.dlqTopic && failure.dlqRecord) {
      const headers = [...failure.dlqRecord.headers];
      if (this.settings.dlqContextHeaders) {
        for (const [key, value] of Object.entries(dlqHeaders(context))) headers.push({ key, value });
      }
      this.dlq.push({ ...failure.dlqRecord, topic: this.settings.dlqTopic, partition: null, headers });
    }
    this.tolerated++;
  }

  /** Hands over the DLQ records collected so far. */
  drainDlq(): WireRecord[] {
    return this.dlq.splice(0, this.dlq.length);
  }
}

export const SKIP: unique symbol = Symbol('SKIP');
