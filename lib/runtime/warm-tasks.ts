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
 * `<connector>/<task>`: one is reused while it runs at the connector's generation and restart epoch and
 * its providers' TTL has not run out; otherwise it is stopped and started afresh.
 */
export class WarmTasks {
  private readonly warm = new Map<string, Warm>();

  constructor(private readonly deps: RuntimeDeps) {}

  async get(key: string, record: ConnectorRecord, taskId: number): Promise<Warm> {
    const existing = this.warm.get(key);
    const restartEpoch = record.restartRequest?.epoch ?? 0;
    const expired = existing?.reloadAt !== undefined && Date.now() >= existing.reloadAt;
    if (existing?.host.generation === record.generation && !expired) {
      if (existing.host.restartEpoch >= restartEpoch) return existing;
      // A restart request the task has not seen: restart it if the request names it, else just note it.
      if (!restartCovers(record.restartRequest, taskId)) {
        existing.host.restartEpoch = restartEpoch;
        return existing;
      }
    }
    await this.evict(key);
    const warm = await startWarmTask(this.deps, record, taskId);
    this.warm.set(key, warm);
    return warm;
  }

  /**
   * Stops the warm tasks that are no longer live (connector stopped, deleted or shrunk): a stopped sink
   * must leave its consumer group, or its offsets could not be altered.
   */
  async retain(live: ReadonlySet<string>): Promise<void> {
    await Promise.all([...this.warm.keys()].filter((k) => !live.has(k)).map((k) => this.evict(k)));
  }

  /** Stops every warm task (process shutdown). */
  async close(): Promise<void> {
    await Promise.all([...this.warm.keys()].map((k) => this.evict(k)));
  }

  async evict(key: string): Promise<void> {
    const warm = this.warm.get(key);
    if (!warm) return;
    this.warm.delete(key);
    await warm.monitor?.stop().catch(() => {});
    await warm.consumer?.stop().catch(() => {});
    await warm.producer?.disconnect().catch(() => {});
    await warm.host.stop().catch(() => {});
  }
}
