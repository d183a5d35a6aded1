import { FencedError } from '../store/errors.js';
import type { TaskRequest } from './dispatcher.js';
import { pollSinkBatch } from './sink-polling.js';
import type { BatchResult } from './source-batch.js';
import { sourceBatch } from './source-wiring.js';
import type { RunResult, RuntimeDeps } from './task-runner.js';
import { reportFailed, reportRunning } from './task-status.js';
import type { WarmTasks } from './warm-tasks.js';

const STATUS_EVERY_MS = 5_000;
const CONFIG_CHECK_MS = 1_000;

/**
 * One task invocation under its lease: take the lease (epoch fencing; `owner` names this process) →
 * bounded batch → status → chain the next batch at once while batches end full and time remains →
 * release. A task that failed or was fenced is evicted from the warm tasks.
 */
export async function runLeased(
  deps: RuntimeDeps,
  tasks: WarmTasks,
  owner: string,
  request: TaskRequest,
  deadline: number,
): Promise<RunResult> {
  const { connector, task: taskId } = request;
  const { store, worker } = deps;
  const now = deps.now ?? Date.now;
  const key = `${connector}/${taskId}`;
  const record = await store.configs.get(connector);
  if (record?.targetState !== 'STARTED' || taskId >= record.taskConfigs.length) {
    await tasks.evict(key);
    return { outcome: 'idle', batches: 0, records: 0 };
  }
  // Never longer than leaseTtlMs: renewed between batches, so a runner killed mid-batch (a crash, a
  // timeout) holds its task no longer than that, however long its budget was.
  const ttl = () => Math.max(0, Math.min(deadline - now(), worker.leaseTtlMs)) + worker.leaseMarginMs;
  const lease = await store.leases.acquire(connector, taskId, `${worker.workerId}#${owner}`, ttl());
  if (!lease) return { outcome: 'leased', batches: 0, records: 0 };
  const epoch = lease.epoch;
  let expiresAt = lease.expiresAt;
  let batches = 0;
  let records = 0;
  try {
    const warm = await tasks.get(key, record, taskId);
    if (request.shown !== undefined && request.shown !== 'RUNNING') warm.running = false;
    // Chained batches report together: status at most every STATUS_EVERY_MS and at the end, and the
    // config (pause, stop, reconfiguration) re-read at most every CONFIG_CHECK_MS.
    let pending: BatchResult | undefined;
    let more = false;
    let reportedAt = now();
    let checkedAt = now();
    try {
      for (;;) {
        if (expiresAt - now() < worker.leaseTtlMs / 2)
          expiresAt = await store.leases.renew(connector, taskId, epoch, ttl());
        const result =
          warm.host.kind === 'source'
            ? await sourceBatch(deps, warm, epoch, deadline)
            : await pollSinkBatch(deps, warm, deadline);
        batches++;
        records += result.records;
        deps.onBatch?.({ ...result, connector, task: taskId, kind: warm.host.kind });
        pending = pending ? combine(pending, result) : result;
        if (now() - reportedAt >= STATUS_EVERY_MS) {
          await reportRunning(deps, warm, epoch, pending);
          pending = undefined;
          reportedAt = now();
        }
        if (result.ended !== 'full') break;
        // Against the batch's own budget: one started past it ends 'deadline' at once and `more` is lost.
        if (now() + result.durationMs >= deadline - worker.batch.safetyMarginMs) {
          more = true;
          break;
        }
        if (now() - checkedAt >= CONFIG_CHECK_MS) {
          const fresh = await store.configs.get(connector);
          if (fresh?.targetState !== 'STARTED' || fresh.generation !== warm.host.generation) break;
          checkedAt = now();
        }
      }
      await warm.consumer?.committed();
    } finally {
      if (pending) await reportRunning(deps, warm, epoch, pending);
    }
    // The connector asked for new task configs (e.g. a JDBC table appeared): store them now.
    await warm.monitor?.reconfigureIfAsked(store, record);
    return more ? { outcome: 'ran', batches, records, more } : { outcome: 'ran', batches, records };
  } catch (error) {
    await tasks.evict(key);
    if (error instanceof FencedError) return { outcome: 'fenced', batches, records };
    await reportFailed(deps, connector, taskId, record, epoch, error);
    return { outcome: 'failed', batches, records };
  } finally {
    await store.leases.release(connector, taskId, epoch).catch(() => {});
  }
}

/** Figures of consecutive batches as one. */
function combine(a: BatchResult, b: BatchResult): BatchResult {
  return {
    records: a.records + b.records,
    read: a.read + b.read,
    skipped: a.skipped + b.skipped,
    dlq: a.dlq + b.dlq,
    bytes: a.bytes + b.bytes,
    durationMs: a.durationMs + b.durationMs,
    ended: b.ended,
    topics: [...new Set([...a.topics, ...b.topics])],
    ...(b.lag === undefined ? {} : { lag: b.lag }),
  };
}
