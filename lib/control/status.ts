import { NotFoundError } from '../api/errors.js';
import type { ConnectorRecord } from '../store/index.js';
import type { HerderContext } from './context.js';
import { type ConnectorStateInfo, stateOf, type TaskState } from './entities.js';

/** GET /connectors/{c}/status: 404 `No status found for connector <c>` without a status item. */
export async function connectorStatus(ctx: HerderContext, name: string): Promise<ConnectorStateInfo> {
  const view = await statusView(ctx, name);
  if (!view) throw new NotFoundError(`No status found for connector ${name}`);
  return view;
}

/**
 * The status document, or undefined when the connector has no status item. Only tasks with a state
 * are shown (a stopped connector's cleared tasks keep just their lease epoch), sorted by id.
 */
export async function statusView(
  ctx: HerderContext,
  name: string,
  record?: ConnectorRecord,
): Promise<ConnectorStateInfo | undefined> {
  const [connector, tasks, found] = await Promise.all([
    ctx.store.status.getConnector(name),
    ctx.store.status.getTasks(name),
    record ? Promise.resolve(record) : ctx.store.configs.get(name),
  ]);
  if (!connector) return undefined;
  return {
    name,
    connector: stateOf(connector),
    tasks: tasks
      .filter((t) => t.state !== undefined)
      .map((t): TaskState => ({ id: t.task, ...stateOf(t) }))
      .sort((a, b) => a.id - b.id),
    type: found?.type ?? 'unknown',
  };
}

/** GET /connectors/{c}/tasks/{n}/status. */
export async function taskStatus(ctx: HerderContext, name: string, task: number): Promise<TaskState> {
  const found = (await ctx.store.status.getTasks(name)).find((t) => t.task === task && t.state !== undefined);
  if (!found) throw new NotFoundError(`No status found for task ${name}-${task}`);
  return { id: task, ...stateOf(found) };
}

/** GET /connectors/{c}/topics: no existence check, as Kafka. */
export async function activeTopics(
  ctx: HerderContext,
  name: string,
): Promise<Record<string, { topics: string[] }>> {
  return { [name]: { topics: await ctx.store.status.getActiveTopics(name) } };
}

export async function resetActiveTopics(ctx: HerderContext, name: string): Promise<void> {
  await ctx.store.status.resetActiveTopics(name);
}
