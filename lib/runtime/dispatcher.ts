import { mappedTopic } from '../config/sink-routing.js';
import type { ConnectorRecord, StateStore, StatusState, TaskStatus } from '../store/ports.js';
import { restartCovers } from './restart.js';

/** Starts a task runner for one task: Lambda Invoke (Event) on AWS, an in-process call locally. */
export interface TaskInvoker {
  invoke(request: TaskRequest): Promise<void>;
}

/** The payload of one task invocation. */
export interface TaskRequest {
  connector: string;
  task: number;
  /** The task state status currently shows, so the runner knows to write RUNNING without reading it. */
  shown?: StatusState;
}

export interface TickResult {
  connectors: number;
  invoked: TaskRequest[];
  /** `<connector>/<task>` of every task that may run (connector STARTED or PAUSED): a process evicts the rest. */
  live: string[];
  /** DynamoDB requests this tick cost. */
  requests: number;
  /** The configs scanned (the reconciler of event source mappings works from the same view). */
  records: ConnectorRecord[];
  /** `<connector>/<task>` of every task FAILED for good: at the current generation, no restart pending. */
  failed: string[];
  /** `<connector>/<task>` of task statuses removed: ids no longer in the task configs (a smaller tasks.max). */
  removed: string[];
}

/**
 * One dispatcher tick: find the tasks that should run — connector target STARTED, task id within the
 * current task configs, no live lease, not FAILED (unless a restart request covers it) — and invoke a
 * runner for each. Tasks of PAUSED connectors are shown PAUSED here, so a pause is visible within a tick.
 * Status entries of task ids beyond the task configs (left by a runner that reported after a smaller
 * `tasks.max` removed its task) are deleted once no lease is held on them, so only the current task ids
 * exist, as in Kafka Connect. Sinks an event source mapping feeds are read (their FAILED tasks disable
 * their mapping) but never invoked. Cost when idle: one Scan, plus one Query per STARTED or PAUSED
 * connector.
 */
export async function dispatchTick(deps: {
  store: StateStore;
  invoker: TaskInvoker;
  workerId: string;
  /** On AWS, sinks that an event source mapping feeds (see sink-routing.ts) are not invoked. */
  eventSourceMappings?: boolean;
  /**
   * Invoke only this connector's tasks (a run started after it changed). Every connector is still read
   * and reported (`records`, `failed`), which the mappings' reconciler needs whole.
   */
  only?: string;
  now?: () => number;
}): Promise<TickResult> {
  const { store, invoker } = deps;
  const now = (deps.now ?? Date.now)();
  const before = store.requestCount().total;
  const records = await store.configs.listAll();
  const invoked: TaskRequest[] = [];
  const live: string[] = [];
  const failed: string[] = [];
  const removed: string[] = [];
  for (const record of records) {
    if (record.targetState === 'STOPPED') continue;
    const count = record.taskConfigs.length;
    for (let task = 0; task < count; task++) live.push(`${record.name}/${task}`);
    const mapped = deps.eventSourceMappings === true && mappedTopic(record) !== undefined;
    const all = await store.status.getTasks(record.name);
    const stale = all.filter((t) => t.task >= count && t.state !== undefined);
    if (stale.length > 0 && stale.every((t) => !(t.lease !== undefined && t.lease.expiresAt > now))) {
      // A task removed by a reconfiguration whose runner wrote its last status after the control plane
      // had cleared it: gone from the status too, now that no runner holds it.
      await store.status.deleteTasks(record.name, { from: count });
      removed.push(...stale.map((t) => `${record.name}/${t.task}`));
    }
    const statuses = new Map(all.map((t) => [t.task, t]));
    for (let task = 0; task < count; task++) {
      const status = statuses.get(task);
      const leased = status?.lease !== undefined && status.lease.expiresAt > now;
      if (record.targetState === 'PAUSED') {
        if (!leased && status?.state !== 'PAUSED' && status?.state !== 'FAILED') {
          await store.status.putTask(
            record.name,
            task,
            show('PAUSED', deps.workerId, record.generation, status),
          );
        }
        continue;
      }
      const restartPending =
        (record.restartRequest?.epoch ?? 0) > (status?.restartEpoch ?? 0) &&
        restartCovers(record.restartRequest, task);
      // A failed task stays FAILED until restarted or reconfigured (a new generation), as in Kafka Connect.
      const failedForGood =
        status?.state === 'FAILED' && status.generation === record.generation && !restartPending;
      if (failedForGood) failed.push(`${record.name}/${task}`);
      // The mapping, not the dispatcher, runs a mapped sink (sink-routing.ts).
      if (mapped || leased || failedForGood) continue;
      if (deps.only !== undefined && record.name !== deps.only) continue;
      invoked.push({ connector: record.name, task, shown: status?.state });
    }
  }
  await Promise.all(invoked.map((request) => invoker.invoke(request)));
  return {
    connectors: records.length,
    invoked,
    live,
    requests: store.requestCount().total - before,
    records,
    failed,
    removed,
  };
}

function show(state: StatusState, workerId: string, generation: number, previous: TaskStatus | undefined) {
  return {
    state,
    workerId: previous?.workerId ?? workerId,
    generation,
    restartEpoch: previous?.restartEpoch,
  };
}
