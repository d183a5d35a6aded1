import { consumerSettings } from '../config/client-settings.js';
import { mappedTopic, sinkGroupId } from '../config/sink-routing.js';
import type { ConnectorRecord } from '../store/index.js';
import type { HerderContext } from './context.js';

/** Brings a sink connector's event source mapping in line with its record; sources have none. */
export async function ensureSinkMapping(ctx: HerderContext, record: ConnectorRecord): Promise<void> {
  if (record.type !== 'sink') return;
  // The same rule the dispatcher and the sink function follow: a single-topic sink is fed by a mapping;
  // any other sink gets none and is polled by the dispatcher instead.
  const topic = mappedTopic(record);
  const topics = topic === undefined ? [] : [topic];
  // The consumer overrides a mapping can honour; invalid ones were refused when the config was stored.
  const { options, maxPollRecords } = consumerSettings(record.config);
  await ctx.sinkMappings.ensure(record.name, {
    topics,
    groupId: sinkGroupId(record),
    enabled: record.targetState === 'STARTED',
    ...(maxPollRecords === undefined ? {} : { batchSize: maxPollRecords }),
    ...(options.fromBeginning === false ? { startAtLatest: true } : {}),
  });
}

export async function setSinkMappingEnabled(ctx: HerderContext, record: ConnectorRecord, enabled: boolean) {
  if (record.type === 'sink') await ctx.sinkMappings.setEnabled(record.name, enabled);
}

export async function removeSinkMapping(ctx: HerderContext, name: string): Promise<void> {
  await ctx.sinkMappings.remove(name);
}
