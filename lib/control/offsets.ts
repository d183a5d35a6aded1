import { ConnectError, NotFoundError } from '../api/errors.js';
import { SinkConnector, type SourceConnector } from '../api/index.js';
import { resolveOrThrow } from '../config/providers/resolve-config.js';
import { sinkGroupId } from '../config/sink-routing.js';
import type { ConnectorRecord } from '../store/index.js';
import type { HerderContext } from './context.js';
import type { ConnectorOffsets, Message } from './entities.js';
import { BadRequestError } from './errors.js';
import { parseSinkOffsets, parseSourceOffsets, type SinkChange, type SourceChange } from './offsets-parse.js';

/** GET /connectors/{c}/offsets, in any state: source offsets from DynamoDB, sink offsets from its group. */
export async function getOffsets(ctx: HerderContext, name: string): Promise<ConnectorOffsets> {
  const record = await existing(ctx, name);
  if (record.type === 'sink') {
    const committed = await (await ctx.admin()).groupOffsets(sinkGroupId(record));
    return {
      offsets: committed.map((o) => ({
        partition: { kafka_topic: o.topic, kafka_partition: o.partition },
        offset: { kafka_offset: o.offset },
      })),
    };
  }
  const stored = await ctx.store.offsets.getAll(name);
  return { offsets: stored.map((o) => ({ partition: { ...o.partition }, offset: { ...o.offset } })) };
}

/** PATCH /connectors/{c}/offsets (KIP-875): only while STOPPED; the connector's `alterOffsets` is asked first. */
export async function alterOffsets(ctx: HerderContext, name: string, body: unknown): Promise<Message> {
  // Kafka's resource checks the body before the herder looks at the connector.
  const list = (body as { offsets?: unknown } | null)?.offsets;
  if (!Array.isArray(list) || list.length === 0) {
    throw new BadRequestError('Partitions / offsets need to be provided for an alter offsets request');
  }
  const record = await stoppedConnector(ctx, name);
  const connector = ctx.plugins.newConnector(record.config['connector.class'] ?? '');
  await noLiveTasks(ctx, record, connector instanceof SinkConnector, 'alter');
  if (connector instanceof SinkConnector) {
    const changes = parseSinkOffsets(list);
    const external = await askConnector(ctx, record, (config) => connector.alterOffsets(config, changes));
    await writeSinkOffsets(ctx, sinkGroupId(record), changes);
    return { message: successMessage(external, 'altered') };
  }
  const changes = parseSourceOffsets(list);
  const external = await askConnector(ctx, record, (config) =>
    (connector as SourceConnector).alterOffsets(config, changes),
  );
  await ctx.store.offsets.commit(name, changes);
  return { message: successMessage(external, 'altered') };
}

/** DELETE /connectors/{c}/offsets: resets every offset the framework keeps, only while STOPPED. */
export async function resetOffsets(ctx: HerderContext, name: string): Promise<Message> {
  const record = await stoppedConnector(ctx, name);
  const connector = ctx.plugins.newConnector(record.config['connector.class'] ?? '');
  await noLiveTasks(ctx, record, connector instanceof SinkConnector, 'reset');
  if (connector instanceof SinkConnector) {
    const admin = await ctx.admin();
    const groupId = sinkGroupId(record);
    const changes: SinkChange[] = (await admin.groupOffsets(groupId)).map((o) => ({
      topic: o.topic,
      partition: o.partition,
      offset: null,
    }));
    const external = await askConnector(ctx, record, (config) => connector.alterOffsets(config, changes));
    await admin.deleteGroup(groupId);
    return { message: successMessage(external, 'reset') };
  }
  const changes: SourceChange[] = (await ctx.store.offsets.getAll(name)).map((o) => ({
    partition: o.partition as SourceChange['partition'],
    offset: null,
  }));
  const external = await askConnector(ctx, record, (config) =>
    (connector as SourceConnector).alterOffsets(config, changes),
  );
  await ctx.store.offsets.deleteAll(name);
  return { message: successMessage(external, 'reset') };
}

async function existing(ctx: HerderContext, name: string): Promise<ConnectorRecord> {
  const record = await ctx.store.configs.get(name);
  if (!record) throw new NotFoundError(`Connector ${name} not found`);
  return record;
}

async function stoppedConnector(ctx: HerderContext, name: string): Promise<ConnectorRecord> {
  const record = await existing(ctx, name);
  if (record.targetState !== 'STOPPED' || record.taskConfigs.length > 0) {
    throw new BadRequestError(
      'Connectors must be in the STOPPED state before their offsets can be modified. This can be done for ' +
        `the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`,
    );
  }
  return record;
}

/**
 * Refuses (500, Kafka's wording for tasks that have not stopped) while a task of the connector holds a
 * live lease: a runner that took its lease after `stop` fenced the others could still commit over the
 * change. Kafka Connect fences zombie tasks before it alters offsets; `stop` fenced ours, and a lease
 * lives at most 30 s, so a retry succeeds.
 */
async function noLiveTasks(
  ctx: HerderContext,
  record: ConnectorRecord,
  sink: boolean,
  verb: 'alter' | 'reset',
): Promise<void> {
  const live = await ctx.store.leases.live(record.name);
  if (live.length === 0) return;
  throw new ConnectError(
    `Failed to ${verb} ${sink ? 'consumer group offsets' : 'offsets'} for connector ${record.name} either ` +
      `because its tasks haven't stopped completely yet or the connector was resumed before the request to ` +
      `${verb} its offsets could be successfully completed. If the connector is in a stopped state, this ` +
      'operation can be safely retried.',
  );
}

/** The connector's hook gets the resolved config; a ConnectError keeps its message (500), anything else is wrapped. */
async function askConnector(
  ctx: HerderContext,
  record: ConnectorRecord,
  hook: (config: Record<string, string>) => boolean | Promise<boolean>,
): Promise<boolean> {
  const { config } = await resolveOrThrow(record.config, ctx.providers);
  try {
    return (await hook(config)) === true;
  } catch (error) {
    if (error instanceof ConnectError) throw error;
    throw new ConnectError(`Failed to alter offsets for connector ${record.name}: ${String(error)}`, {
      cause: error,
    });
  }
}

/** Sets the given committed offsets; a null offset moves that partition back to the start of the log. */
async function writeSinkOffsets(ctx: HerderContext, groupId: string, changes: SinkChange[]): Promise<void> {
  const admin = await ctx.admin();
  const set = changes.filter((c) => c.offset !== null).map((c) => ({ ...c, offset: c.offset as number }));
  const reset = changes.filter((c) => c.offset === null);
  if (set.length > 0) await admin.setGroupOffsets(groupId, set);
  if (reset.length > 0) await admin.resetGroupOffsets(groupId, reset);
}

/** Kafka's exact success messages (`altered` for PATCH, `reset` for DELETE). */
export function successMessage(external: boolean, verb: 'altered' | 'reset'): string {
  return external
    ? `The offsets for this connector have been ${verb} successfully`
    : `The Connect framework-managed offsets for this connector have been ${verb} successfully. However, if ` +
        `this connector manages offsets externally, they will need to be manually ${verb} in the system that ` +
        'the connector uses.';
}
