import type { Stage } from './stage.js';

/**
 * Everything known about one failed operation (Kafka's `ProcessingContext`), handed to each reporter.
 */
export interface ErrorContext {
  connectorName: string;
  taskId: number;
  stage: Stage;
  /** The class (or plugin name) executing the stage, e.g. `org.apache.kafka.connect.json.JsonConverter`. */
  executingClass: string;
  error: unknown;
  /** The consumed record's coordinates (sinks) or the produced one's when known (sources). */
  topic?: string;
  partition?: number;
  offset?: number | bigint | string;
  /** Record details for `errors.log.include.messages`; never logged unless that is on. */
  recordDetails?: string;
  /** Attempts made, for the log line. */
  attempts?: number;
}

/** Reports a failed operation (log, DLQ, ...). Called once per tolerated or fatal error; must not throw. */
export interface ErrorReporter {
  report(context: ErrorContext): Promise<void>;
}

export interface LogReporterOptions {
  /** `errors.log.enable`; when false the reporter does nothing. */
  enabled: boolean;
  /** `errors.log.include.messages`. */
  includeMessages: boolean;
  /** Where lines go (e.g. a Powertools logger's `error`). */
  log: (message: string, error: unknown) => void;
}

/** Kafka's `LogReporter`: one line per error, `Error encountered in task <c>-<id>. Executing stage '…' …`. */
export function logReporter(options: LogReporterOptions): ErrorReporter {
  return {
    async report(context) {
      if (!options.enabled) return;
      options.log(
        `Error encountered in task ${context.connectorName}-${context.taskId}. ${describe(context, options.includeMessages)}`,
        context.error,
      );
    },
  };
}

function describe(c: ErrorContext, includeMessages: boolean): string {
  let text = `Executing stage '${c.stage}' with class '${c.executingClass}'`;
  if (c.topic !== undefined) {
    text +=
      includeMessages && c.recordDetails !== undefined
        ? `, where consumed record is ${c.recordDetails}`
        : `, where consumed record is {topic='${c.topic}', partition=${c.partition}, offset=${String(c.offset)}}`;
  } else if (includeMessages && c.recordDetails !== undefined) {
    text += `, where source record is = ${c.recordDetails}`;
  }
  return `${text}.`;
}

/** Runs every reporter, in order; a reporter that throws does not stop the others. */
export function compositeReporter(reporters: readonly ErrorReporter[]): ErrorReporter {
  return {
    async report(context) {
      for (const r of reporters) {
        try {
          await r.report(context);
        } catch {
          // A broken reporter must not turn a tolerated error into a task failure.
        }
      }
    },
  };
}
