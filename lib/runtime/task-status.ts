import { trace } from '../config/trace.js';
import type { ConnectorRecord } from '../store/ports.js';
import type { BatchResult } from './source-batch.js';
import type { RuntimeDeps } from './task-runner.js';
import type { Warm } from './warm-tasks.js';

/**
 * Writes RUNNING with the figures of `result` and adds the topics it used; conditional on the lease
 * `epoch` when there is one (the event-source-mapping path has none).
 */
export async function reportRunning(
  deps: RuntimeDeps,
  warm: Warm,
  epoch: number | undefined,
  result: BatchResult,
): Promise<void> {
  const { host } = warm;
  const { store, worker } = deps;
  if (result.topics.length > 0) await store.status.addActiveTopics(host.connectorName, result.topics);
  // An idle batch of a task already shown RUNNING writes nothing: idle connectors stay cheap.
  if (result.read === 0 && warm.running) return;
  await store.status.putTask(
    host.connectorName,
    host.taskId,
    {
      state: 'RUNNING',
      workerId: worker.workerId,
      generation: host.generation,
      restartEpoch: host.restartEpoch,
      lastBatch: {
        at: new Date().toISOString(),
        records: result.records,
        bytes: result.bytes,
        durationMs: result.durationMs,
      },
    },
    epoch === undefined ? {} : { epoch },
  );
  warm.running = true;
}

/** Logs the failure and writes FAILED with its trace; a failed write is dropped (the task failed anyway). */
export async function reportFailed(
  deps: RuntimeDeps,
  connector: string,
  taskId: number,
  record: ConnectorRecord,
  epoch: number | undefined,
  error: unknown,
): Promise<void> {
  const { store, worker, log } = deps;
  log.error('task failed', { connector, task: taskId, error: String(error) });
  await store.status
    .putTask(
      connector,
      taskId,
      {
        state: 'FAILED',
        workerId: worker.workerId,
        generation: record.generation,
        restartEpoch: record.restartRequest?.epoch ?? 0,
        trace: trace(error),
      },
      epoch === undefined ? {} : { epoch },
    )
    .catch(() => {});
}

/** The first line of the trace a task's status carries while it retries a retriable failure. */
export const RETRIABLE_NOTE =
  'Retriable failure: the task is still RUNNING and runs again at its next invocation';

/**
 * A retriable failure ended the run (docs/runtime.md, Failures): the task stays RUNNING — the dispatcher
 * invokes it again at its next tick — and its status carries the error after {@link RETRIABLE_NOTE}, so a
 * person can see why it is behind; the next RUNNING write clears it. `restartEpoch` is that of the task
 * that ran, left unchanged when none had started. A failed write is dropped: the task runs again anyway.
 */
export async function reportRetrying(
  deps: RuntimeDeps,
  connector: string,
  taskId: number,
  at: { generation: number; restartEpoch?: number },
  epoch: number | undefined,
  error: unknown,
): Promise<void> {
  const { store, worker, log } = deps;
  log.error('task batch failed with a retriable error; retried at its next run', {
    connector,
    task: taskId,
    error: String(error),
  });
  await store.status
    .putTask(
      connector,
      taskId,
      {
        state: 'RUNNING',
        workerId: worker.workerId,
        generation: at.generation,
        ...(at.restartEpoch === undefined ? {} : { restartEpoch: at.restartEpoch }),
        trace: `${RETRIABLE_NOTE}\n${trace(error)}`,
      },
      { epoch },
    )
    .catch(() => {});
}
