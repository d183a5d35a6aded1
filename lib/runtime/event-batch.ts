import { mappedTopic, sinkAlias } from '../config/sink-routing.js';
import type { ConsumedRecord } from '../kafka/types.js';
import type { ConnectorRecord, StateStore, TaskStatus } from '../store/ports.js';
import { restartCovers } from './restart.js';
import type { TaskRunner } from './task-runner.js';

/**
 * Routes one Kafka event-source-mapping batch (the AWS sink path) to the sink connector whose mapping
 * sent it — named by the alias the mapping invoked (sink-routing.ts) — and answers the records the
 * mapping must deliver again: the first record of each partition that could not be written; the sink
 * function then fails the invocation, so the mapping commits nothing of the batch.
 *
 * A FAILED task stays FAILED, as on the polled path: while task 0's status is FAILED at the connector's
 * generation and no restart covers it, no batch is run, so the task is not rebuilt by the next delivery
 * and nothing is committed past the failure; the dispatcher's reconciler disables the mapping meanwhile.
 * That costs one status Query per batch.
 */
export class EventBatchRouter {
  private cache?: { at: number; byAlias: Promise<Map<string, ConnectorRecord>> };

  constructor(
    private readonly runner: TaskRunner,
    private readonly store: StateStore,
    private readonly now: () => number = Date.now,
  ) {}

  async run(
    consumed: readonly ConsumedRecord[],
    deadline: number,
    alias: string | undefined,
  ): Promise<{ retry: ConsumedRecord[]; connector?: string; failed?: boolean; stillFailed?: boolean }> {
    if (alias === undefined || consumed.length === 0) return { retry: firstPerPartition(consumed) };
    // A connector created since the cached view was read: look once more.
    let owner = (await this.connectors()).get(alias) ?? (await this.connectors(true)).get(alias);
    const topic = owner ? mappedTopic(owner) : undefined;
    if (owner?.targetState !== 'STARTED' || topic === undefined) {
      // No running owner (deleted, paused, or its mapping is being replaced): deliver again later.
      return { retry: firstPerPartition(consumed), connector: owner?.name };
    }
    let task0 = await this.task0(owner);
    // The cached record may predate a restart or a reconfiguration (the status says so, or the task is
    // to be refused): read it once more, so a restart is honoured at once and recorded as honoured.
    const stale = task0?.state === 'RESTARTING' || (task0?.generation ?? 0) > owner.generation;
    if (stale || failedForGood(owner, task0)) {
      const fresh = await this.store.configs.get(owner.name);
      if (!fresh) return { retry: firstPerPartition(consumed), connector: owner.name };
      if (
        fresh.generation !== owner.generation ||
        fresh.restartRequest?.epoch !== owner.restartRequest?.epoch
      ) {
        this.cache = undefined;
        owner = fresh;
        task0 = await this.task0(owner);
      }
      if (owner.targetState !== 'STARTED' || mappedTopic(owner) !== topic) {
        return { retry: firstPerPartition(consumed), connector: owner.name };
      }
      if (failedForGood(owner, task0)) {
        return { retry: firstPerPartition(consumed), connector: owner.name, stillFailed: true };
      }
    }
    // A mapping reads one topic; records of another come from a mapping being replaced after a change.
    const mine = consumed.filter((c) => c.topic === topic);
    const retry = consumed.filter((c) => c.topic !== topic);
    const outcome = mine.length > 0 ? await this.runner.putRecords(owner, mine, deadline) : 'written';
    // Retriable or failed, nothing of it was written: the mapping must deliver it again.
    if (outcome !== 'written') retry.push(...mine);
    const failed = outcome === 'failed';
    return { retry: firstPerPartition(retry), connector: owner.name, ...(failed ? { failed } : {}) };
  }

  private async task0(owner: ConnectorRecord): Promise<TaskStatus | undefined> {
    return (await this.store.status.getTasks(owner.name)).find((t) => t.task === 0);
  }

  /** Connectors by their mapping's alias, cached for 10 s: a warm sink function routes many batches. */
  private connectors(refresh = false): Promise<Map<string, ConnectorRecord>> {
    const now = this.now();
    if (refresh || !this.cache || now - this.cache.at > 10_000) {
      const byAlias = this.store.configs
        .listAll()
        .then((all) => new Map(all.filter((r) => r.type === 'sink').map((r) => [sinkAlias(r.name), r])));
      this.cache = { at: now, byAlias };
    }
    return this.cache.byAlias;
  }
}

/** FAILED at the connector's generation with no restart pending: stays so until restart or reconfiguration. */
function failedForGood(record: ConnectorRecord, status: TaskStatus | undefined): boolean {
  if (status?.state !== 'FAILED' || status.generation !== record.generation) return false;
  const restartPending =
    (record.restartRequest?.epoch ?? 0) > (status.restartEpoch ?? 0) &&
    restartCovers(record.restartRequest, 0);
  return !restartPending;
}

function firstPerPartition(records: readonly ConsumedRecord[]): ConsumedRecord[] {
  const first = new Map<string, ConsumedRecord>();
  for (const r of records) {
    const key = `${r.topic}/${r.partition}`;
    const seen = first.get(key);
    if (!seen || r.offset < seen.offset) first.set(key, r);
  }
  return [...first.values()];
}
