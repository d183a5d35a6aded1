import type { ConsumedRecord } from '../kafka/types.js';
import { runSinkBatch } from './sink-batch.js';
import type { RuntimeDeps } from './task-runner.js';
import type { Warm } from './warm-tasks.js';

/**
 * converters → SMTs → put → preCommit, then the DLQ records produced; answers what may be committed.
 * Shared by the polled sink and the event-source-mapping path.
 */
export async function runSinkPipeline(
  deps: RuntimeDeps,
  warm: Warm,
  consumed: readonly ConsumedRecord[],
  budget: number,
) {
  const { host } = warm;
  host.inFlight = consumed;
  const result = await runSinkBatch(
    {
      connectorName: host.connectorName,
      taskId: host.taskId,
      task: host.sink!,
      taskClass: host.taskClass,
      chain: host.chain,
      converters: host.converters,
      errors: host.errors,
      retryBackoffMs: () => host.sinkState.backoffMs,
      now: deps.now,
    },
    consumed,
    budget,
  );
  const dlq = host.errors.drainDlq();
  if (dlq.length > 0) {
    await warm.topics.prepare([...new Set(dlq.map((r) => r.topic))]);
    await deps.send(dlq);
  }
  host.inFlight = [];
  return { ...result, dlq: dlq.length };
}
