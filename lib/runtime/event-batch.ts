import { mappedTopic, sinkAlias } from '../config/sink-routing.js';
import type { ConsumedRecord } from '../kafka/types.js';
import type { ConnectorRecord, StateStore } from '../store/ports.js';
import type { TaskRunner } from './task-runner.js';

/**
 * Routes one Kafka event-source-mapping batch (the AWS sink path) to the sink connector whose mapping
 * sent it — named by the alias the mapping invoked (sink-routing.ts) — and answers the records the
 * mapping must deliver again: the first record of each partition that could not be written (a partial
 * batch response); the mapping commits the rest.
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
  ): Promise<{ retry: ConsumedRecord[]; connector?: string; failed?: boolean }> {
    if (alias === undefined || consumed.length === 0) return { retry: firstPerPartition(consumed) };
    // A connector created since the cached view was read: look once more.
    const owner = (await this.connectors()).get(alias) ?? (await this.connectors(true)).get(alias);
    const topic = owner ? mappedTopic(owner) : undefined;
    if (owner?.targetState !== 'STARTED' || topic === undefined) {
      // No running owner (deleted, paused, or its mapping is being replaced): deliver again later.
      return { retry: firstPerPartition(consumed), connector: owner?.name };
    }
    // A mapping reads one topic; records of another come from a mapping being replaced after a change.
    const mine = consumed.filter((c) => c.topic === topic);
    const retry = consumed.filter((c) => c.topic !== topic);
    const failed = mine.length > 0 && !(await this.runner.putRecords(owner, mine, deadline));
    if (failed) retry.push(...mine);
    return { retry: firstPerPartition(retry), connector: owner.name, ...(failed ? { failed } : {}) };
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

function firstPerPartition(records: readonly ConsumedRecord[]): ConsumedRecord[] {
  const first = new Map<string, ConsumedRecord>();
  for (const r of records) {
    const key = `${r.topic}/${r.partition}`;
    const seen = first.get(key);
    if (!seen || r.offset < seen.offset) first.set(key, r);
  }
  return [...first.values()];
}
