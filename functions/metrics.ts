import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS } from '../lib/config/metric-names.js';
import type { BatchFigures } from '../lib/runtime/task-runner.js';

const options = { namespace: METRICS.namespace, serviceName: 'serverless-connect' };

/** The function's own metrics (the dispatcher's), published by the handler. */
export const metrics = new Metrics(options);

/**
 * Publishes one EMF document with these metrics under these dimensions. A fresh instance per document:
 * Powertools' `singleMetric()` flushes at the first metric and drops the dimensions for the rest.
 */
type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

function publish(dimensions: Record<string, string>, values: [string, Unit, number][]): void {
  const m = new Metrics(options);
  m.addDimensions(dimensions);
  for (const [name, unit, value] of values) m.addMetric(name, unit, value);
  m.publishStoredMetrics();
}

/** Per-connector batch figures: one EMF document per batch, dimensions Connector and Kind. */
export function emitBatch(f: BatchFigures): void {
  publish({ [METRICS.dimensions.connector]: f.connector, [METRICS.dimensions.kind]: f.kind }, [
    [METRICS.recordsRead, MetricUnit.Count, f.read],
    [METRICS.recordsWritten, MetricUnit.Count, f.records],
    [METRICS.recordsSkipped, MetricUnit.Count, f.skipped],
    [METRICS.dlqRecords, MetricUnit.Count, f.dlq],
    [METRICS.batchBytes, MetricUnit.Bytes, f.bytes],
    [METRICS.batchDuration, MetricUnit.Milliseconds, f.durationMs],
    ...(f.lag === undefined ? [] : [[METRICS.sinkLag, MetricUnit.Count, f.lag] as [string, Unit, number]]),
    ...(f.backlogBytes === undefined
      ? []
      : [[METRICS.sourceBacklogBytes, MetricUnit.Bytes, f.backlogBytes] as [string, Unit, number]]),
  ]);
}

export function emitTaskFailure(connector: string): void {
  publish({ [METRICS.dimensions.connector]: connector }, [[METRICS.taskFailures, MetricUnit.Count, 1]]);
}
