import { setTimeout as sleep } from 'node:timers/promises';
import { RetriableError } from '../api/index.js';
import { FencedError } from '../store/errors.js';
import type { TaskRequest } from './dispatcher.js';
import { isRetriable } from './errors/retriable.js';
import { pollSinkBatch } from './sink-polling.js';
import type { BatchResult } from './source-batch.js';
import { sourceBatch } from './source-wiring.js';
import type { RunResult, RuntimeDeps } from './task-runner.js';
import { reportFailed, reportRetrying, reportRunning } from './task-status.js';
import type { Warm, WarmTasks } from './warm-tasks.js';

const STATUS_EVERY_MS = 5_000;
const CONFIG_CHECK_MS = 1_000;

/**
 * One task invocation under its lease: take the lease (epoch fencing; `owner` names this process) →
 * bounded batch → status → chain the next batch at once while batches end full and time remains →
 * release. A task that failed or was fenced is evicted from the warm tasks. A retriable failure
 * (`errors/retriable.ts`) ends the run early with nothing past what was written committed: the task
 * stays RUNNING with the error in its status and runs again at the next dispatcher tick (docs/runtime.md,
 * Failures).
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
  if (!lease) {
    // Another runner has this task; this container's other warm tasks are still checked for life.
    await tasks.sweep(record, key);
    return { outcome: 'leased', batches: 0, records: 0 };
  }
  const epoch = lease.epoch;
  let expiresAt = lease.expiresAt;
  let batches = 0;
  let records = 0;
  let warm: Warm | undefined;
  try {
    warm = await tasks.get(key, record, taskId);
    if (request.shown !== undefined && request.shown !== 'RUNNING') warm.running = false;
    // Chained batches report together: status at most every STATUS_EVERY_MS and at the end, and the
    // config (pause, stop, reconfiguration) re-read at most every CONFIG_CHECK_MS.
    let pending: BatchResult | undefined;
    let more = false;
    let retriable: unknown;
    let reportedAt = now();
    let checkedAt = now();
    let lastDataAt: number | undefined;
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
        // Empty batches of a lingering run would only repeat zeros in the metrics.
        if (result.read > 0 || batches === 1)
          deps.onBatch?.({ ...result, connector, task: taskId, kind: warm.host.kind });
        pending = pending ? combine(pending, result) : result;
        // A task not yet shown RUNNING is shown so after its first batch, not when a long run reports.
        if (!warm.running || now() - reportedAt >= STATUS_EVERY_MS) {
          await reportRunning(deps, warm, epoch, pending);
          pending = undefined;
          reportedAt = now();
        }
        if (result.retriable !== undefined) {
          retriable = result.retriable;
          break;
        }
        if (result.read > 0) lastDataAt = now();
        if (result.ended === 'dry') {
          // Lingering (worker.batch.idleMs): a task that found data in this run and then nothing is polled
          // again shortly, so more data is seen within idlePollMs instead of at the next dispatcher tick. A
          // run that found nothing at all ends at once: an idle task holds no execution environment. A
          // linger the budget cuts short asks for the next invocation at once.
          const idleEnd = lastDataAt === undefined ? 0 : lastDataAt + worker.batch.idleMs;
          const budgetEnd = deadline - worker.batch.safetyMarginMs;
          if (now() + worker.batch.idlePollMs >= Math.min(idleEnd, budgetEnd)) {
            more = idleEnd > budgetEnd;
            break;
          }
          await sleep(worker.batch.idlePollMs);
        } else if (result.ended !== 'full') {
          break;
        } else if (now() + result.durationMs >= deadline - worker.batch.safetyMarginMs) {
          // Against the batch's own budget: one started past it ends 'deadline' at once and `more` is lost.
          more = true;
          break;
        }
        if (now() - checkedAt >= CONFIG_CHECK_MS) {
          const fresh = await store.configs.get(connector);
          if (
            fresh?.targetState !== 'STARTED' ||
            fresh.generation !== warm.host.generation ||
            fresh.incarnation !== warm.incarnation
          )
            break;
          // A connector that asked for new task configs gets them now, not when a long run ends.
          if (await warm.monitor?.reconfigureIfAsked(store, record)) break;
          checkedAt = now();
        }
      }
      await warm.consumer?.committed();
      // However the loop ended (a config change breaks it after a full batch), no group member outlives
      // the invocation: the container freezes next, and a member that cannot heartbeat stalls the group.
      if (warm.host.kind === 'sink') await warm.consumer?.leave();
    } finally {
      if (pending) await reportRunning(deps, warm, epoch, pending);
    }
    if (retriable !== undefined) {
      // The batch committed what it wrote; the task, kept warm, is polled again at its next run.
      await retryLater(deps, warm, epoch, retriable);
      return { outcome: 'retrying', batches, records };
    }
    // The connector asked for new task configs (e.g. a JDBC table appeared): store them now.
    await warm.monitor?.reconfigureIfAsked(store, record);
    return more ? { outcome: 'ran', batches, records, more } : { outcome: 'ran', batches, records };
  } catch (error) {
    if (error instanceof FencedError) {
      await tasks.evict(key);
      return { outcome: 'fenced', batches, records };
    }
    // A RetriableError from the task's `start` fails it, as in Kafka; one from a batch does not.
    if (isRetriable(error) && (warm || !(error instanceof RetriableError))) {
      await forgetUncommitted(tasks, key, warm);
      if (warm) await retryLater(deps, warm, epoch, error);
      else await reportRetrying(deps, connector, taskId, { generation: record.generation }, epoch, error);
      return { outcome: 'retrying', batches, records };
    }
    await tasks.evict(key);
    await reportFailed(deps, connector, taskId, record, epoch, error);
    return { outcome: 'failed', batches, records };
  } finally {
    await store.leases.release(connector, taskId, epoch).catch(() => {});
  }
}

/**
 * After a batch failed retriably, what it read but did not commit must be read again. A source task has
 * read past it, so it is stopped: its next run starts it afresh from the committed offsets. A sink task
 * is kept (Kafka redelivers to the same task); its consumer leaves the group, dropping what it fetched
 * and clearing a failed commit, and the next batch reads again from the group's committed offsets.
 */
async function forgetUncommitted(tasks: WarmTasks, key: string, warm: Warm | undefined): Promise<void> {
  if (warm?.host.kind === 'sink') await warm.consumer?.stop();
  else await tasks.evict(key);
}

/** Status RUNNING with the error; the next RUNNING write (a warm task writes one at once) clears it. */
async function retryLater(deps: RuntimeDeps, warm: Warm, epoch: number, error: unknown): Promise<void> {
  const { host } = warm;
  await reportRetrying(deps, host.connectorName, host.taskId, host, epoch, error);
  warm.running = false;
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
