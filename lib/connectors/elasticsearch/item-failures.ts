import type { FailureBehavior, SinkSettings } from './settings.js';

/** One failed item of a bulk response, as the cluster reported it. */
export interface ItemFailure {
  status: number;
  /** Every error type in the chain (`error.type`, `error.caused_by.type`, …). */
  types: string[];
  /** `type: reason`, with the causes after it. */
  message: string;
}

export type FailureKind = 'malformed' | 'version-conflict' | 'retriable' | 'other';

/** The document's own fault, per Confluent's list (Aiven's is the same less `document_parsing_exception`). */
const MALFORMED = new Set([
  'strict_dynamic_mapping_exception',
  'mapper_parsing_exception',
  'illegal_argument_exception',
  'action_request_validation_exception',
  'document_parsing_exception',
]);

/** An item's error object in a bulk response. */
interface ItemError {
  type?: string;
  reason?: string;
  caused_by?: ItemError;
}

export function itemFailure(status: number, error: ItemError | undefined): ItemFailure {
  const types: string[] = [];
  const parts: string[] = [];
  for (let e = error; e; e = e.caused_by) {
    types.push(e.type ?? '');
    parts.push(`${e.type ?? 'error'}: ${e.reason ?? ''}`);
  }
  return { status, types, message: parts.join('; caused by ') || `status ${status}` };
}

/**
 * What kind of failure an item is. Both connectors match the error types anywhere in the chain; a
 * 429 (the node's queues are full) or 503 (a shard not available yet) item is sent again.
 */
export function failureKind(f: ItemFailure): FailureKind {
  if (f.types.some((t) => MALFORMED.has(t))) return 'malformed';
  if (f.status === 409 || f.types.includes('version_conflict_engine_exception')) return 'version-conflict';
  if (f.status === 429 || f.status === 503) return 'retriable';
  return 'other';
}

/** What to do with a failed item: report it to the errant record reporter, log a warning, fail the task. */
export interface Verdict {
  report: boolean;
  warn: string | null;
  fail: string | null;
}

const NOTHING: Verdict = { report: false, warn: null, fail: null };
const CONFLUENT_FAILURE = 'Indexing record failed. Please check DLQ topic for errors.';

/**
 * Each connector's rule for a failed item that retries cannot fix.
 * - Confluent: every failure is reported (when a reporter exists); malformed documents then follow
 *   `behavior.on.malformed.documents` (`ignore`/`warn` go on, `fail` fails); a version conflict on an
 *   externally versioned write is a replay of an older offset and is dropped silently, others are
 *   reported and passed (not at all for data streams); anything else fails the task.
 *   https://github.com/confluentinc/kafka-connect-elasticsearch/blob/v15.1.3/src/main/java/io/confluent/connect/elasticsearch/ElasticsearchClient.java
 * - Aiven: malformed documents and version conflicts follow `behavior.on.malformed.documents` and
 *   `behavior.on.version.conflict` (`ignore`, `warn`, `report`, `fail`); anything else fails.
 *   https://github.com/Aiven-Open/opensearch-connector-for-apache-kafka/blob/v4.0.1/src/main/java/io/aiven/kafka/connect/opensearch/bulk/BulkProcessor.java
 */
export function verdict(kind: FailureKind, f: ItemFailure, versioned: boolean, s: SinkSettings): Verdict {
  if (s.flavor === 'confluent') {
    if (kind === 'malformed') {
      const b = s.malformedDocuments;
      return {
        report: true,
        warn:
          b === 'warn' ? 'Encountered an illegal document error. Ignoring and will not index record.' : null,
        fail: b === 'fail' ? CONFLUENT_FAILURE : null,
      };
    }
    if (kind === 'version-conflict') {
      if (versioned || s.target.dataStream) return NOTHING;
      return {
        report: true,
        warn: 'Version conflict on a write without external version; reported.',
        fail: null,
      };
    }
    return { report: true, warn: null, fail: CONFLUENT_FAILURE };
  }
  if (kind === 'malformed')
    return byBehavior(
      s.malformedDocuments,
      'Encountered an illegal document error',
      `Bulk request failed: ${f.message}`,
    );
  if (kind === 'version-conflict')
    return byBehavior(
      s.versionConflicts ?? 'fail',
      'Encountered a version conflict',
      `One of the item in the bulk response failed. Reason: ${f.message}`,
    );
  return { ...NOTHING, fail: `One of the item in the bulk response aborted. Reason: ${f.message}` };
}

function byBehavior(b: FailureBehavior, warning: string, failure: string): Verdict {
  if (b === 'report') return { ...NOTHING, report: true };
  if (b === 'warn') return { ...NOTHING, warn: `${warning}; the record is not indexed.` };
  if (b === 'fail') return { ...NOTHING, fail: failure };
  return NOTHING;
}
