import { mappedTopic } from '../config/sink-routing.js';
import type { ConnectorRecord } from '../store/index.js';
import type { MappingSnapshot, ReconcileReport, SinkMappingSpec, SinkMappings } from './sink-mappings.js';
import { mappingSpec } from './sink-sync.js';

/**
 * What the dispatcher's reconciler wants of the mappings, from the configs it scanned this tick: one
 * mapping per single-topic sink, whatever its target state (STOPPED and PAUSED ones are disabled), with
 * the connector's topic, group and `max.poll.records`; Enabled only while the target is STARTED and its
 * task is not FAILED for good (`failedTasks`, `<connector>/<task>`: FAILED at the current generation and
 * no restart pending). A FAILED task's mapping is disabled, so it stops delivering until a restart or a
 * reconfiguration; the sink function refuses its batches meanwhile (lib/runtime/event-batch.ts).
 */
export function wantedMappings(
  records: readonly ConnectorRecord[],
  failedTasks: ReadonlySet<string>,
): Map<string, SinkMappingSpec> {
  const wanted = new Map<string, SinkMappingSpec>();
  for (const record of records) {
    if (mappedTopic(record) === undefined) continue;
    const failed = failedTasks.has(`${record.name}/0`);
    wanted.set(record.name, mappingSpec(record, record.targetState === 'STARTED' && !failed));
  }
  return wanted;
}

/**
 * One reconcile, split around the configs scan: `begin` lists the mappings and aliases (before the
 * scan, so any mapping it lists belongs to a connector the scan sees, or to none: an orphan), `finish`
 * makes them match the scanned configs. Undefined where nothing is mapped (local in-process mode).
 * Cost: one ListEventSourceMappings and one ListAliases (per 100), plus one call per fix.
 */
export async function beginSinkReconcile(mappings: SinkMappings): Promise<
  | {
      snapshot: MappingSnapshot;
      finish(records: readonly ConnectorRecord[], failedTasks: ReadonlySet<string>): Promise<ReconcileReport>;
    }
  | undefined
> {
  if (!mappings.snapshot || !mappings.reconcile) return undefined;
  const reconcile = mappings.reconcile.bind(mappings);
  const snapshot = await mappings.snapshot();
  return {
    snapshot,
    finish: (records, failedTasks) => reconcile(snapshot, wantedMappings(records, failedTasks)),
  };
}
