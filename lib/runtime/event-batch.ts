import type { ConsumedRecord } from '../kafka/types.js';
import type { ConnectorRecord, StateStore } from '../store/ports.js';
import { sinkForTopic } from './sink-routing.js';
import type { TaskRunner } from './task-runner.js';

/**
 * Routes one Kafka event-source-mapping batch (the AWS sink path) to the sink connectors that own its
 * topics (sink-routing.ts) and answers the records the mapping must deliver again: the first record of
 * each partition that could not be written (a partial batch response); the mapping commits the rest.
 */
export class EventBatchRouter {
  private cache?: { at: number; records: Promise<ConnectorRecord[]> };

  constructor(
    private readonly runner: TaskRunner,
    private readonly store: StateStore,
    private readonly now: () => number = Date.now,
  ) {}

  async run(consumed: readonly ConsumedRecord[], deadline: number): Promise<{ retry: ConsumedRecord[] }> {
    let all = await this.connectors();
    // A topic nobody owns in the cached view may belong to a connector created since: look once more.
    if (consumed.some((c) => !sinkForTopic(all, c.topic))) all = await this.connectors(true);
    const retry: ConsumedRecord[] = [];
    const byOwner = new Map<ConnectorRecord, ConsumedRecord[]>();
    for (const c of consumed) {
      const owner = sinkForTopic(all, c.topic);
      if (owner?.targetState !== 'STARTED') {
        retry.push(c); // no running owner (yet): let the mapping deliver it again
        continue;
      }
      const list = byOwner.get(owner);
      if (list) list.push(c);
      else byOwner.set(owner, [c]);
    }
    for (const [owner, records] of byOwner) {
      if (!(await this.runner.putRecords(owner, records, deadline))) retry.push(...records);
    }
    return { retry: firstPerPartition(retry) };
  }

  /** The configs, cached for 10 s: a warm sink function routes many batches per scan. */
  private connectors(refresh = false): Promise<ConnectorRecord[]> {
    const now = this.now();
    if (refresh || !this.cache || now - this.cache.at > 10_000) {
      this.cache = { at: now, records: this.store.configs.listAll() };
    }
    return this.cache.records;
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
