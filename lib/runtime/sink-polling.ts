import { sinkGroupId } from '../config/sink-routing.js';
import type { BoundedConsumerOptions } from '../kafka/bounded-consumer.js';
import { withKafkaDeadline } from '../kafka/deadline.js';
import { withheld, withSeeks } from './sink-partitions.js';
import { runSinkPipeline } from './sink-pipeline.js';
import type { BatchResult } from './source-batch.js';
import type { HostedTask } from './task-host.js';
import type { RuntimeDeps } from './task-runner.js';
import type { Warm } from './warm-tasks.js';

/**
 * One batch of a sink without an event source mapping: a bounded poll of its kafkajs consumer (made on
 * the first batch, kept connected between batches) through the sink pipeline, then its offsets committed.
 * Its Kafka calls (join, commit, DLQ sends, leave) are bounded by the invocation's deadline, half the
 * safety margin before it: one that would pass it fails the batch with a retriable KafkaError, with no
 * offset committed past what was flushed.
 */
export function pollSinkBatch(deps: RuntimeDeps, warm: Warm, deadline: number): Promise<BatchResult> {
  return withKafkaDeadline(deadline - deps.worker.batch.safetyMarginMs / 2, () =>
    pollSinkBatchWithin(deps, warm, deadline),
  );
}

async function pollSinkBatchWithin(deps: RuntimeDeps, warm: Warm, deadline: number): Promise<BatchResult> {
  const { host } = warm;
  const { worker } = deps;
  const now = deps.now ?? Date.now;
  warm.consumer ??= deps.newConsumer(warm.consumerOptions!);
  const { consumer } = warm;
  const { partitions } = host.sinkState;
  const budget = deadline - worker.batch.safetyMarginMs;
  const polled = await consumer.poll({
    maxRecords: warm.maxRecords,
    maxBytes: worker.batch.maxBytes,
    maxWaitMs: Math.max(0, Math.min(1_000, budget - now())),
  });
  // open/close follow the assignment; then what the task asked (there or in earlier batches) applies:
  // records of paused partitions wait, and sought partitions are read again from the asked offset.
  await partitions.assign(host.sink!, consumer.assignment());
  consumer.setPaused(partitions.pausedPartitions());
  const seeks = partitions.takeSeeks();
  const { deliver, rewind } = withheld(partitions, seeks, polled);
  consumer.seek([...rewind, ...seeks]);
  const result = await runSinkPipeline(deps, warm, deliver, budget);
  const late = partitions.takeSeeks();
  consumer.seek(late);
  // Only what the sink flushed (and the DLQ holds) is committed: a crash before this line redelivers.
  // The commit overlaps the next batch; commits stay in order, and a failed one fails the next batch
  // or the end of the run, both of which await `committed()`.
  await consumer.committed();
  consumer.commit(withSeeks(result.commit, [...seeks, ...late])).catch(() => {});
  const lag = consumer.lag();
  const full = polled.length >= warm.maxRecords || result.bytes >= worker.batch.maxBytes;
  const ended = full ? 'full' : polled.length === 0 ? 'dry' : 'deadline';
  // The last batch of the invocation (the runner chains only full batches, and only while another fits
  // the budget) leaves the group once its commit landed: between invocations the container is frozen
  // and a member that cannot heartbeat would hold its partitions, and stall every join of the group,
  // until its session timed out. Seeks asked are in the commit, so the next join starts from them.
  if (ended !== 'full' || now() + result.durationMs >= budget) await consumer.leave();
  return { ...result, ended, ...(lag === undefined ? {} : { lag }) };
}

/** The polled sink's consumer: group `connect-<name>` (or its override), its topics or `topics.regex`. */
export function consumerOptions(
  host: HostedTask,
  overrides: Partial<BoundedConsumerOptions>,
): BoundedConsumerOptions {
  const c = host.connectorConfig;
  const topics = (c.topics ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const regex = (c['topics.regex'] ?? '').trim();
  return {
    ...overrides,
    groupId: sinkGroupId({ name: host.connectorName, config: c }),
    ...(regex ? { topicsRegex: new RegExp(`^(?:${regex})$`) } : { topics }),
  };
}
