import type { SinkTask, TopicPartition, TopicPartitionOffset } from '../api/index.js';

const keyOf = (tp: TopicPartition) => `${tp.topic}/${tp.partition}`;

/**
 * A sink task's partitions as Kafka's WorkerSinkTask keeps them: which ones the task was opened for, and
 * what it asked through its context — seeks (`context.offset`) and pauses (`context.pause`/`resume`).
 * The runner applies the requests to the consumer between batches; this class only keeps the books.
 */
export class SinkPartitions {
  private readonly opened = new Map<string, TopicPartition>();
  private readonly paused = new Map<string, TopicPartition>();
  private seeks = new Map<string, TopicPartitionOffset>();

  /** `context.offset`: the next offset to read for these partitions; the latest request wins. */
  requestSeek(offsets: readonly TopicPartitionOffset[]): void {
    for (const o of offsets)
      this.seeks.set(keyOf(o), { topic: o.topic, partition: o.partition, offset: o.offset });
  }

  pause(tps: readonly TopicPartition[]): void {
    for (const tp of tps) this.paused.set(keyOf(tp), { topic: tp.topic, partition: tp.partition });
  }

  resume(tps: readonly TopicPartition[]): void {
    for (const tp of tps) this.paused.delete(keyOf(tp));
  }

  isPaused(tp: TopicPartition): boolean {
    return this.paused.has(keyOf(tp));
  }

  pausedPartitions(): TopicPartition[] {
    return [...this.paused.values()];
  }

  /** What the task was opened for (`context.assignment()`). */
  assignment(): TopicPartition[] {
    return [...this.opened.values()];
  }

  /** The seeks asked since the last call, once. */
  takeSeeks(): TopicPartitionOffset[] {
    const seeks = [...this.seeks.values()];
    this.seeks = new Map();
    return seeks;
  }

  /**
   * Brings the task in line with `current`, as Kafka's rebalance listener does: `close` for partitions
   * it lost (their pauses and pending seeks are forgotten), then `open` for partitions it gained.
   */
  async assign(task: SinkTask, current: readonly TopicPartition[]): Promise<void> {
    const now = new Map(current.map((tp) => [keyOf(tp), tp]));
    const lost = [...this.opened.entries()].filter(([k]) => !now.has(k));
    if (lost.length > 0) {
      for (const [k] of lost) {
        this.opened.delete(k);
        this.paused.delete(k);
        this.seeks.delete(k);
      }
      await task.close(lost.map(([, tp]) => tp));
    }
    await this.add(task, current);
  }

  /**
   * `open` for the partitions in `seen` the task was not opened for yet (others stay open). `seen` may
   * be records: each partition is opened once however often it appears.
   */
  async add(task: SinkTask, seen: readonly TopicPartition[]): Promise<void> {
    const gained: TopicPartition[] = [];
    for (const tp of seen) {
      const key = keyOf(tp);
      if (this.opened.has(key)) continue;
      const partition = { topic: tp.topic, partition: tp.partition };
      this.opened.set(key, partition);
      gained.push(partition);
    }
    if (gained.length > 0) await task.open(gained);
  }

  /** `close` for everything open: the task is stopping. */
  async closeAll(task: SinkTask): Promise<void> {
    const all = this.assignment();
    this.opened.clear();
    if (all.length > 0) await task.close(all);
  }
}

/** Per partition, the records held back from this batch: the partition is paused, or the task seeks it. */
export function withheld<R extends TopicPartition & { offset: number }>(
  partitions: SinkPartitions,
  seeks: readonly TopicPartitionOffset[],
  records: readonly R[],
): { deliver: R[]; rewind: TopicPartitionOffset[] } {
  if (seeks.length === 0 && partitions.pausedPartitions().length === 0)
    return { deliver: [...records], rewind: [] };
  const sought = new Set(seeks.map(keyOf));
  const rewind = new Map<string, TopicPartitionOffset>();
  const deliver: R[] = [];
  for (const r of records) {
    const k = keyOf(r);
    if (sought.has(k)) continue;
    if (!partitions.isPaused(r)) {
      deliver.push(r);
      continue;
    }
    // Records come in offset order per partition: the first held back is where reading resumes.
    if (!rewind.has(k)) rewind.set(k, { topic: r.topic, partition: r.partition, offset: r.offset });
  }
  return { deliver, rewind: [...rewind.values()] };
}

/** `commit` with the sought partitions replaced by their seek offsets (Kafka commits a rewind too). */
export function withSeeks(
  commit: readonly TopicPartitionOffset[],
  seeks: readonly TopicPartitionOffset[],
): TopicPartitionOffset[] {
  const merged = new Map(commit.map((o) => [keyOf(o), o]));
  for (const s of seeks) merged.set(keyOf(s), s);
  return [...merged.values()];
}
