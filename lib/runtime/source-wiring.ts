import type { OffsetStorageReader, SourceOffsetMap } from '../api/index.js';
import { withKafkaDeadline } from '../kafka/deadline.js';
import type { StateStore } from '../store/ports.js';
import { type BatchResult, runSourceBatch } from './source-batch.js';
import type { RuntimeDeps } from './task-runner.js';
import type { Warm } from './warm-tasks.js';

/** The committed source offsets a task reads through its context. */
export function offsetReader(store: StateStore, connector: string): OffsetStorageReader {
  return {
    offset: async (p) => ((await store.offsets.get(connector, [p]))[0] as SourceOffsetMap | null) ?? null,
    offsets: async (ps) => (await store.offsets.get(connector, ps)) as (SourceOffsetMap | null)[],
  };
}

/**
 * One source batch of a warm task: produced through its own producer or the shared one, its offsets
 * committed on condition that the lease is still at `epoch`. Its sends are bounded by the invocation's
 * deadline, half the safety margin before it (a broker outage fails the batch with a retriable
 * KafkaError instead of retrying until Lambda's timeout; no offset is committed for what was not
 * acknowledged).
 */
export function sourceBatch(
  deps: RuntimeDeps,
  warm: Warm,
  epoch: number,
  deadline: number,
): Promise<BatchResult> {
  const { host } = warm;
  const { store, worker } = deps;
  return withKafkaDeadline(deadline - worker.batch.safetyMarginMs / 2, () =>
    runSourceBatch(
      {
        connectorName: host.connectorName,
        taskId: host.taskId,
        task: host.source!,
        taskClass: host.taskClass,
        chain: host.chain,
        converters: host.converters,
        errors: host.errors,
        send: (records) => (warm.producer ? warm.producer.send(records) : deps.send(records)),
        prepareTopics: (topics) => warm.topics.prepare(topics),
        commitOffsets: (offsets) =>
          store.offsets.commit(host.connectorName, offsets, { task: host.taskId, epoch }),
        now: deps.now,
      },
      {
        maxRecords: worker.batch.maxRecords,
        maxBytes: worker.batch.maxBytes,
        deadline: deadline - worker.batch.safetyMarginMs,
      },
    ),
  );
}
