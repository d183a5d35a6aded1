import { NotFoundError } from '../api/errors.js';
import {
  ConflictError,
  type ConnectorRecord,
  type ConnectorState,
  MissingError,
  type RestartRequest,
  type StatusState,
} from '../store/index.js';
import type { HerderContext } from './context.js';
import type { ConnectorStateInfo } from './entities.js';
import { RestError, STALE_CONFIG_MESSAGE } from './errors.js';
import { syncSinkMappingEnabled } from './sink-sync.js';
import { statusView } from './status.js';
import { putConnector, writeStatuses } from './statuses.js';
import { computeTaskConfigs } from './task-configs.js';

/** PUT /connectors/{c}/pause: target PAUSED; the connector and its running tasks show PAUSED at once. */
export async function pauseConnector(ctx: HerderContext, name: string): Promise<void> {
  const record = await mutate(ctx, name, `Unknown connector ${name}`, (c) =>
    c.targetState === 'PAUSED' ? undefined : { ...c, targetState: 'PAUSED' },
  );
  await syncSinkMappingEnabled(ctx, record, false);
  await putConnector(ctx, name, { state: 'PAUSED', workerId: ctx.workerId, generation: record.generation });
  await retagTasks(ctx, record, ['RUNNING', 'UNASSIGNED', 'RESTARTING'], 'PAUSED');
}

/**
 * PUT /connectors/{c}/resume: target STARTED. From STOPPED the connector runs again and its task
 * configs are computed anew; from PAUSED its tasks show UNASSIGNED until the dispatcher runs them.
 */
export async function resumeConnector(ctx: HerderContext, name: string): Promise<void> {
  const before = await ctx.store.configs.get(name);
  if (!before) throw new NotFoundError(`Unknown connector ${name}`);
  if (before.targetState === 'STOPPED') {
    await restartInstance(ctx, name, 'STARTED');
  } else {
    const record = await mutate(ctx, name, `Unknown connector ${name}`, (c) =>
      c.targetState === 'STARTED' ? undefined : { ...c, targetState: 'STARTED' },
    );
    await putConnector(ctx, name, {
      state: 'RUNNING',
      workerId: ctx.workerId,
      generation: record.generation,
    });
    await retagTasks(ctx, record, ['PAUSED'], 'UNASSIGNED');
  }
  const record = await ctx.store.configs.get(name);
  if (record) await syncSinkMappingEnabled(ctx, record, record.targetState === 'STARTED');
}

/**
 * PUT /connectors/{c}/stop (KIP-875): no task configs, target STOPPED, no task statuses. Every task's
 * lease epoch moves on, so a runner still in a batch is fenced: its offset commit fails, and an offsets
 * reset made after the stop cannot be undone by it.
 */
export async function stopConnector(ctx: HerderContext, name: string): Promise<void> {
  const record = await mutate(ctx, name, `Unknown connector ${name}`, (c) =>
    c.targetState === 'STOPPED' && c.taskConfigs.length === 0
      ? undefined
      : { ...c, targetState: 'STOPPED', taskConfigs: [] },
  );
  await syncSinkMappingEnabled(ctx, record, false);
  // After the target state: a runner that takes a lease later either sees STOPPED or shows as live.
  await ctx.store.leases.fence(name);
  await ctx.store.status.deleteTasks(name);
  await putConnector(ctx, name, { state: 'STOPPED', workerId: ctx.workerId, generation: record.generation });
}

export interface RestartOptions {
  includeTasks: boolean;
  onlyFailed: boolean;
}

/**
 * POST /connectors/{c}/restart (KIP-745). Both flags false: the connector instance restarts within the
 * request (204, undefined returned). Otherwise the reply (202) is the status with the chosen instances
 * shown RESTARTING; the connector instance restarts within the request, the chosen tasks get status
 * RESTARTING and a `restartRequest` (epoch + 1) that the dispatcher honours.
 */
export async function restartConnector(
  ctx: HerderContext,
  name: string,
  options: RestartOptions,
): Promise<ConnectorStateInfo | undefined> {
  const record = await ctx.store.configs.get(name);
  if (!record) throw new NotFoundError(`Unknown connector: ${name}`);
  const status = await statusView(ctx, name, record);
  if (!status) throw new NotFoundError(`Status for connector ${name} not found`);
  const { includeTasks, onlyFailed } = options;
  if (!includeTasks && !onlyFailed) {
    await restartInstance(ctx, name, undefined);
    return undefined;
  }
  const restartConnectorToo = !onlyFailed || status.connector.state === 'FAILED';
  const chosen = includeTasks
    ? status.tasks.filter((t) => !onlyFailed || t.state === 'FAILED').map((t) => t.id)
    : [];
  const reply: ConnectorStateInfo = {
    ...status,
    connector: restartConnectorToo
      ? { state: 'RESTARTING', worker_id: status.connector.worker_id }
      : status.connector,
    tasks: status.tasks.map((t) =>
      chosen.includes(t.id) ? { id: t.id, state: 'RESTARTING', worker_id: t.worker_id } : t,
    ),
  };
  if (chosen.length > 0) {
    await requestTaskRestart(ctx, name, chosen, options);
    await reenableMapping(ctx, record);
  }
  if (restartConnectorToo) {
    await putConnector(ctx, name, {
      state: 'RESTARTING',
      workerId: ctx.workerId,
      generation: record.generation,
    });
    await restartInstance(ctx, name, undefined);
  }
  return reply;
}

/** POST /connectors/{c}/tasks/{n}/restart: 404 for an unknown connector or task id. */
export async function restartTask(ctx: HerderContext, name: string, task: number): Promise<void> {
  const record = await ctx.store.configs.get(name);
  if (!record) throw new NotFoundError(`Unknown connector: ${name}`);
  if (!Number.isInteger(task) || task < 0 || task >= record.taskConfigs.length) {
    throw new NotFoundError(`Unknown task: ${name}-${task}`);
  }
  await requestTaskRestart(ctx, name, [task], { includeTasks: true, onlyFailed: false });
  await reenableMapping(ctx, record);
}

/**
 * A FAILED mapped sink's mapping was disabled by the dispatcher's reconciliation; a restart enables it
 * at once instead of at the next tick (a minute on AWS). Idempotent; sources have none.
 */
async function reenableMapping(ctx: HerderContext, record: ConnectorRecord): Promise<void> {
  await syncSinkMappingEnabled(ctx, record, record.targetState === 'STARTED');
}

/**
 * Writes `restartRequest` at epoch + 1 for `tasks`, plus the tasks of the previous request that have
 * not honoured it yet (so a second restart does not cancel the first), then shows them RESTARTING.
 */
async function requestTaskRestart(
  ctx: HerderContext,
  name: string,
  tasks: number[],
  options: RestartOptions,
): Promise<void> {
  const statuses = await ctx.store.status.getTasks(name);
  const record = await mutate(ctx, name, `Unknown connector: ${name}`, (c) => {
    const previous = c.restartRequest;
    const pending = previous ? pendingTasks(previous, c, statuses) : [];
    const restartRequest: RestartRequest = {
      epoch: (previous?.epoch ?? 0) + 1,
      includeTasks: options.includeTasks,
      onlyFailed: options.onlyFailed,
      requestedAt: new Date().toISOString(),
      tasks: [...new Set([...tasks, ...pending])].sort((a, b) => a - b),
    };
    return { ...c, restartRequest };
  });
  await Promise.all(
    tasks.map((task) =>
      ctx.store.status.putTask(name, task, {
        state: 'RESTARTING',
        workerId: ctx.workerId,
        generation: record.generation,
      }),
    ),
  );
}

function pendingTasks(
  previous: RestartRequest,
  record: ConnectorRecord,
  statuses: { task: number; restartEpoch?: number }[],
): number[] {
  const ids = previous.tasks ?? (previous.includeTasks ? record.taskConfigs.map((_, i) => i) : []);
  return ids.filter((id) => (statuses.find((s) => s.task === id)?.restartEpoch ?? 0) < previous.epoch);
}

/**
 * Runs the connector instance again (restart, resume from STOPPED): new task configs when they changed
 * (generation + 1), connector RUNNING or FAILED. `target` sets the target state too. A failing
 * connector keeps its previous task configs, as Kafka's tasks keep running when reconfiguration fails.
 */
async function restartInstance(
  ctx: HerderContext,
  name: string,
  target: 'STARTED' | undefined,
): Promise<void> {
  const before = await ctx.store.configs.get(name);
  if (!before) throw new NotFoundError(`Unknown connector ${name}`);
  const targetState = target ?? before.targetState;
  if (targetState === 'STOPPED') return;
  const computed = await computeTaskConfigs(ctx, before.config);
  let previousTaskCount = 0;
  const record = await mutate(ctx, name, `Unknown connector ${name}`, (c) => {
    previousTaskCount = c.taskConfigs.length;
    const next = target ?? c.targetState;
    if (next === 'STOPPED') return undefined;
    const taskConfigs = computed.failure ? c.taskConfigs : computed.taskConfigs;
    if (next === c.targetState && sameConfigs(taskConfigs, c.taskConfigs)) return undefined;
    return { ...c, targetState: next, taskConfigs };
  });
  await writeStatuses(ctx, record, { failure: computed.failure, previousTaskCount });
}

function sameConfigs(a: Record<string, string>[], b: Record<string, string>[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Shows `to` for the connector's tasks currently in one of `from` (a FAILED task stays FAILED). */
async function retagTasks(ctx: HerderContext, record: ConnectorRecord, from: StatusState[], to: StatusState) {
  const tasks = await ctx.store.status.getTasks(record.name);
  await Promise.all(
    tasks
      .filter((t) => from.includes(t.state) && t.task < record.taskConfigs.length)
      .map((t) =>
        ctx.store.status.putTask(record.name, t.task, {
          state: to,
          workerId: ctx.workerId,
          generation: record.generation,
        }),
      ),
  );
}

/** A config read-modify-write with retries; 404 `missing` when absent, 409 when the race is not won. */
async function mutate(
  ctx: HerderContext,
  name: string,
  missing: string,
  change: (current: ConnectorRecord) => ConnectorState | undefined,
): Promise<ConnectorRecord> {
  try {
    return await ctx.store.configs.update(name, change, { maxAttempts: ctx.maxAttempts });
  } catch (error) {
    if (error instanceof MissingError) throw new NotFoundError(missing);
    if (error instanceof ConflictError) throw new RestError(409, STALE_CONFIG_MESSAGE, { cause: error });
    throw error;
  }
}
