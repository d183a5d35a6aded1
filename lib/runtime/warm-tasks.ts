import type { BoundedConsumer, BoundedConsumerOptions } from '../kafka/bounded-consumer.js';
import type { RecordProducer } from '../kafka/producer.js';
import type { ConnectorRecord } from '../store/ports.js';
import type { ConnectorMonitor } from './connector-monitor.js';
import { restartCovers } from './restart.js';
import type { HostedTask } from './task-host.js';
import type { RuntimeDeps } from './task-runner.js';
import { startWarmTask } from './task-start.js';
import type { TopicPreparer } from './topics.js';

export interface Warm {
  host: HostedTask;
  /** The connector incarnation it was started for (`ConnectorRecord.incarnation`). */
  incarnation?: string;
  topics: TopicPreparer;
  consumer?: BoundedConsumer;
  /** Whether the last status this process wrote for the task was RUNNING (avoids idle writes). */
  running: boolean;
  /** Sinks: the options of the consumer, made on the first batch. */
  consumerOptions?: BoundedConsumerOptions;
  /** A source connector's own producer (`producer.override.*`); else the shared one serves. */
  producer?: RecordProducer;
  /** A sink batch's record limit: the worker's, or `consumer.override.max.poll.records` when lower. */
  maxRecords: number;
  /** The event-source-mapping path told once that it cannot seek or pause. */
  warnedContext?: boolean;
  /** Task 0 only: the running connector, which may ask for task reconfiguration. */
  monitor?: ConnectorMonitor;
  /**
   * `config.action.reload=restart`: when a provider's TTL runs out, the task is restarted with the values
   * resolved afresh (Kafka schedules a connector restart after the TTL).
   */
  reloadAt?: number;
}

/**
 * The tasks kept warm in this process (a warm Lambda container, or the local process), by
 * `<connector>/<task>`: one is reused while it runs for the connector's incarnation, at its generation
 * and restart epoch, and its providers' TTL has not run out; otherwise it is stopped and started afresh.
 *
 * Nothing tells a Lambda container that a connector was stopped or deleted, so every invocation that
 * goes through this cache (`get`, `evict`) first closes the warm state that is not live any more
 * (`sweep`): a stopped sink's consumer leaves its group, a deleted connector's task stops.
 */
export class WarmTasks {
  private readonly warm = new Map<string, Warm>();

  constructor(private readonly deps: RuntimeDeps) {}

  async get(key: string, record: ConnectorRecord, taskId: number): Promise<Warm> {
    await this.sweep(record, key);
    const existing = this.warm.get(key);
    const restartEpoch = record.restartRequest?.epoch ?? 0;
    const expired = existing?.reloadAt !== undefined && Date.now() >= existing.reloadAt;
    // The incarnation tells a re-created connector from the deleted one: both start at generation 1.
    const same =
      existing?.incarnation === record.incarnation && existing?.host.generation === record.generation;
    if (existing && same && !expired) {
      if (existing.host.restartEpoch >= restartEpoch) return existing;
      // A restart request the task has not seen: restart it if the request names it, else just note it.
      if (!restartCovers(record.restartRequest, taskId)) {
        existing.host.restartEpoch = restartEpoch;
        return existing;
      }
    }
    await this.#close(key);
    const warm = await startWarmTask(this.deps, record, taskId);
    this.warm.set(key, warm);
    return warm;
  }

  /**
   * Closes the warm tasks that are not live any more: their connector was deleted, stopped or re-created
   * (another incarnation), or their task id is past its connector's task count. `current` is the record
   * the invocation read for its own connector (not read again); `except` is the invocation's own task,
   * which `get` judges itself. One BatchGetItem for the other connectors kept warm, no request when
   * there are none. Best effort: a failed read closes nothing and is logged, it never fails the task.
   */
  async sweep(current?: ConnectorRecord, except?: string): Promise<void> {
    const others = [...this.warm].filter(([key]) => key !== except);
    if (others.length === 0) return;
    const records = new Map<string, ConnectorRecord>();
    if (current) records.set(current.name, current);
    const unread = [...new Set(others.map(([, w]) => w.host.connectorName))].filter((n) => !records.has(n));
    try {
      if (unread.length > 0)
        for (const record of await this.deps.store.configs.getMany(unread)) records.set(record.name, record);
    } catch (error) {
      this.deps.log.error('could not check the warm tasks against their connectors', {
        error: String(error),
      });
      return;
    }
    const dead = others.filter(([, w]) => !isLive(w, records.get(w.host.connectorName)));
    await Promise.all(dead.map(([key]) => this.#close(key)));
  }

  /**
   * Stops the warm tasks that are no longer live (connector stopped, deleted or shrunk): a stopped sink
   * must leave its consumer group, or its offsets could not be altered.
   */
  async retain(live: ReadonlySet<string>): Promise<void> {
    await Promise.all([...this.warm.keys()].filter((k) => !live.has(k)).map((k) => this.#close(k)));
  }

  /** Stops every warm task (process shutdown). */
  async close(): Promise<void> {
    await Promise.all([...this.warm.keys()].map((k) => this.#close(k)));
  }

  /** Stops the task `key` (it failed, was fenced, or its connector does not run), then `sweep`s the others. */
  async evict(key: string): Promise<void> {
    await this.#close(key);
    await this.sweep(undefined, key);
  }

  async #close(key: string): Promise<void> {
    const warm = this.warm.get(key);
    if (!warm) return;
    this.warm.delete(key);
    await warm.monitor?.stop().catch(() => {});
    await warm.consumer?.stop().catch(() => {});
    await warm.producer?.disconnect().catch(() => {});
    await warm.host.stop().catch(() => {});
  }
}

/** Whether a warm task may still run for `record` (undefined: the connector was deleted). PAUSED stays warm. */
function isLive(warm: Warm, record: ConnectorRecord | undefined): boolean {
  return (
    record !== undefined &&
    record.incarnation === warm.incarnation &&
    record.targetState !== 'STOPPED' &&
    warm.host.taskId < record.taskConfigs.length
  );
}
