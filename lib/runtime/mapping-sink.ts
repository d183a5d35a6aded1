import type { ConsumedRecord } from '../kafka/types.js';
import type { ConnectorRecord } from '../store/ports.js';
import { isRetriable } from './errors/retriable.js';
import { runSinkPipeline } from './sink-pipeline.js';
import type { RuntimeDeps } from './task-runner.js';
import { reportFailed, reportRetrying, reportRunning } from './task-status.js';
import type { Warm, WarmTasks } from './warm-tasks.js';

/**
 * The AWS sink path: records of one event-source-mapping batch that belong to `owner`, run through the
 * same sink pipeline as the local poller, as the connector's task 0 (the mapping, not a lease, owns
 * the partitions). Answers `failed` when the task failed (its status is then FAILED), `retriable` when
 * a retriable error stopped the batch (the task stays RUNNING, the error in its status): neither is
 * written, so the mapping must deliver the batch again.
 */
export type MappedOutcome = 'written' | 'retriable' | 'failed';

export async function putMappedRecords(
  deps: RuntimeDeps,
  tasks: WarmTasks,
  owner: ConnectorRecord,
  records: readonly ConsumedRecord[],
  deadline: number,
): Promise<MappedOutcome> {
  const key = `${owner.name}/0`;
  try {
    const warm = await tasks.get(key, owner, 0);
    const sink = warm.host.sink!;
    // The mapping owns the partitions: the task is opened for each partition as it first appears, and
    // seeks and pauses cannot be applied to a mapping (docs/runtime.md).
    await warm.host.sinkState.partitions.add(sink, records);
    const result = await runSinkPipeline(deps, warm, records, deadline);
    ignoreContextRequests(deps, warm);
    deps.onBatch?.({ ...result, ended: 'dry', connector: owner.name, task: 0, kind: 'sink' });
    // The records are written: a status write that fails now (DynamoDB away) must not make the mapping
    // deliver them again, and write them again, for as long as it lasts.
    await reportRunning(deps, warm, undefined, { ...result, ended: 'dry' }).catch((error: unknown) =>
      deps.log.error('status write failed after a written batch', {
        connector: owner.name,
        error: String(error),
      }),
    );
    return 'written';
  } catch (error) {
    await tasks.evict(key);
    if (isRetriable(error)) {
      await reportRetrying(deps, owner.name, 0, owner, undefined, error);
      return 'retriable';
    }
    await reportFailed(deps, owner.name, 0, owner, undefined, error);
    return 'failed';
  }
}

/** Seeks and pauses asked on the event-source-mapping path are logged, once per task, and dropped. */
function ignoreContextRequests(deps: RuntimeDeps, warm: Warm): void {
  const { partitions } = warm.host.sinkState;
  const asked = partitions.takeSeeks().length > 0 || partitions.pausedPartitions().length > 0;
  if (!asked || warm.warnedContext) return;
  warm.warnedContext = true;
  deps.log.error('context.offset/pause are not applied under an event source mapping', {
    connector: warm.host.connectorName,
  });
}
