import { trace } from '../config/trace.js';
import { ConflictError, type ConnectorRecord, type StatusState } from '../store/index.js';
import type { HerderContext } from './context.js';

export interface StatusWrite {
  /** Why the connector instance failed, if it did: the connector is FAILED with this trace. */
  failure?: Error;
  /** Task count before this change; tasks from here on get a fresh status. @default 0 */
  previousTaskCount?: number;
}

/**
 * The connector state the control plane shows for a record. The connector instance lives only inside
 * a control-plane request (`start` → `taskConfigs` → `stop`), so its outcome is known here: FAILED when
 * it threw, else PAUSED/STOPPED after the target (Kafka §8), else RUNNING ("started successfully").
 * Nothing else writes the connector's status; the runtime writes only task statuses.
 */
export function connectorState(record: ConnectorRecord, write: StatusWrite): StatusState {
  if (write.failure) return 'FAILED';
  if (record.targetState === 'STOPPED') return 'STOPPED';
  if (record.targetState === 'PAUSED') return 'PAUSED';
  return 'RUNNING';
}

/**
 * Writes the statuses that follow a config change, at the record's generation: the connector's, a fresh
 * status for each new task id (UNASSIGNED until the runtime runs it, or PAUSED when paused), and none for task ids that are gone
 * (all of them when STOPPED: Kafka shows a stopped connector with `tasks: []`).
 */
export async function writeStatuses(
  ctx: HerderContext,
  record: ConnectorRecord,
  write: StatusWrite,
): Promise<void> {
  const { name, generation } = record;
  const state = connectorState(record, write);
  const count = record.taskConfigs.length;
  const taskState: StatusState = record.targetState === 'PAUSED' ? 'PAUSED' : 'UNASSIGNED';
  const fresh = [];
  for (let task = write.previousTaskCount ?? 0; task < count; task++) fresh.push(task);
  await Promise.all([
    putConnector(ctx, name, {
      state,
      workerId: ctx.workerId,
      generation,
      ...(write.failure ? { trace: trace(write.failure) } : {}),
    }),
    ...fresh.map((task) =>
      ctx.store.status.putTask(name, task, { state: taskState, workerId: ctx.workerId, generation }),
    ),
    count < (write.previousTaskCount ?? 0) || count === 0
      ? ctx.store.status.deleteTasks(name, { from: count })
      : Promise.resolve(),
  ]);
}

/** A connector status write that yields to a newer generation's status already stored. */
export async function putConnector(
  ctx: HerderContext,
  name: string,
  status: Parameters<HerderContext['store']['status']['putConnector']>[1],
): Promise<void> {
  try {
    await ctx.store.status.putConnector(name, status);
  } catch (error) {
    // A newer config generation's status is there: it describes the connector better than ours.
    if (!(error instanceof ConflictError)) throw error;
  }
}
