import { consumerSettings } from '../config/client-settings.js';
import { mappedTopic, sinkGroupId } from '../config/sink-routing.js';
import type { ConnectorRecord } from '../store/index.js';
import type { HerderContext } from './context.js';
import type { SinkMappingSpec } from './sink-mappings.js';

/**
 * What a sink's mapping should be, from its record: the one rule the control plane (on every change)
 * and the dispatcher's reconciler (every tick) both follow. `enabled` defaults to "target STARTED".
 */
export function mappingSpec(
  record: ConnectorRecord,
  enabled = record.targetState === 'STARTED',
): SinkMappingSpec {
  // The same rule the dispatcher and the sink function follow: a single-topic sink is fed by a mapping;
  // any other sink gets none and is polled by the dispatcher instead.
  const topic = mappedTopic(record);
  // The consumer overrides a mapping can honour; invalid ones were refused when the config was stored.
  const { options, maxPollRecords } = consumerSettings(record.config);
  return {
    topics: topic === undefined ? [] : [topic],
    groupId: sinkGroupId(record),
    enabled,
    ...(maxPollRecords === undefined ? {} : { batchSize: maxPollRecords }),
    ...(options.fromBeginning === false ? { startAtLatest: true } : {}),
  };
}

/** Brings a sink connector's event source mapping in line with its record; sources have none. */
export async function ensureSinkMapping(ctx: HerderContext, record: ConnectorRecord): Promise<void> {
  if (record.type !== 'sink') return;
  await ctx.sinkMappings.ensure(record.name, mappingSpec(record));
}

/**
 * `ensureSinkMapping` for a write already stored: the connector exists whatever Lambda answers, as in
 * Kafka Connect, so a mapping that could not be made (throttled, a replaced mapping still Deleting) is
 * logged and left to the dispatcher's reconciler, which makes it within a tick (docs/runtime.md).
 */
export async function syncSinkMapping(ctx: HerderContext, record: ConnectorRecord): Promise<void> {
  try {
    await ensureSinkMapping(ctx, record);
  } catch (error) {
    warnDeferred(record.name, 'ensure', error);
  }
}

/**
 * Enables or disables a sink's mapping after a pause, resume, stop or restart was stored. Lambda refuses
 * to change a mapping still in transition (a FAILED sink's mapping stays `Disabling` until its poller has
 * stopped); the adapter waits a bounded time for it, and beyond that the change is logged and left to the
 * dispatcher's reconciler, as `syncSinkMapping` does: the request succeeded, and meanwhile the sink
 * function refuses the batches of a connector that is not to run (lib/runtime/event-batch.ts).
 */
export async function syncSinkMappingEnabled(ctx: HerderContext, record: ConnectorRecord, enabled: boolean) {
  if (record.type !== 'sink') return;
  try {
    await ctx.sinkMappings.setEnabled(record.name, enabled);
  } catch (error) {
    warnDeferred(record.name, enabled ? 'enable' : 'disable', error);
  }
}

export async function removeSinkMapping(ctx: HerderContext, name: string): Promise<void> {
  await ctx.sinkMappings.remove(name);
}

/** `removeSinkMapping` after the config is deleted: what is left is an orphan the reconciler deletes. */
export async function dropSinkMapping(ctx: HerderContext, name: string): Promise<void> {
  try {
    await removeSinkMapping(ctx, name);
  } catch (error) {
    warnDeferred(name, 'remove', error);
  }
}

function warnDeferred(connector: string, action: string, error: unknown): void {
  console.warn(
    JSON.stringify({
      level: 'WARN',
      message: `sink mapping ${action} deferred to the dispatcher's reconciler`,
      connector,
      error: `${(error as Error)?.name ?? 'Error'}: ${(error as Error)?.message ?? String(error)}`,
    }),
  );
}
