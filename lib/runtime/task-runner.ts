import { randomUUID } from 'node:crypto';
import type { SourceOffsetMap } from '../api/index.js';
import { consumerSettings, producerSettings } from '../config/client-settings.js';
import type { ConfigProvider } from '../config/providers/config-provider.js';
import { resolveOrThrow } from '../config/providers/resolve-config.js';
import { redactingLog } from '../config/redaction.js';
import { sinkGroupId } from '../config/sink-routing.js';
import { trace } from '../config/trace.js';
import type { KafkaAdmin } from '../kafka/admin.js';
import type { BoundedConsumer, BoundedConsumerOptions } from '../kafka/bounded-consumer.js';
import type { RecordProducer, RecordProducerOptions } from '../kafka/producer.js';
import type { ConsumedRecord, RecordMetadata, WireRecord } from '../kafka/types.js';
import type { PluginRegistry } from '../plugins.js';
import { FencedError } from '../store/errors.js';
import type { ConnectorRecord, StateStore } from '../store/ports.js';
import { ConnectorMonitor } from './connector-monitor.js';
import type { TaskRequest } from './dispatcher.js';
import { restartCovers } from './restart.js';
import { runSinkBatch } from './sink-batch.js';
import { withheld, withSeeks } from './sink-partitions.js';
import { type BatchResult, runSourceBatch } from './source-batch.js';
import { type HostedTask, startHostedTask } from './task-host.js';
import { TopicPreparer } from './topics.js';
import type { WorkerConfig } from './worker-config.js';

/** What the runner needs from the outside; the same object serves local mode and Lambda. */
export interface RuntimeDeps {
  store: StateStore;
  registry: PluginRegistry;
  worker: WorkerConfig;
  providers: Record<string, ConfigProvider>;
  admin: KafkaAdmin;
  send(records: WireRecord[]): Promise<RecordMetadata[]>;
  newConsumer(options: BoundedConsumerOptions): BoundedConsumer;
  /** A producer of its own, for a source connector with `producer.override.*` settings. */
  newProducer(options: RecordProducerOptions): RecordProducer;
  log: { info(message: string, extra?: object): void; error(message: string, extra?: object): void };
  /** Called after each batch with its figures (metrics). */
  onBatch?(figures: BatchFigures): void;
  now?: () => number;
}

export interface BatchFigures extends Omit<BatchResult, 'topics'> {
  connector: string;
  task: number;
  kind: 'source' | 'sink';
}

export interface RunResult {
  /** `ran`: batches ran; `leased`: another runner holds the lease; `idle`: nothing to run; `failed`; `fenced`. */
  outcome: 'ran' | 'leased' | 'idle' | 'failed' | 'fenced';
  batches: number;
  records: number;
  /** The last batch ended full but the time budget did not allow another: invoke again at once. */
  more?: boolean;
}

interface Warm {
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
 * Runs one task invocation (docs/architecture.md, One bounded batch): take the lease (epoch fencing) → bounded batch → status →
 * chain the next batch at once while batches end full and time remains → release. The started task,
 * its pipeline and its consumer stay warm in this process for the next invocation.
 */
export class TaskRunner {
  private readonly warm = new Map<string, Warm>();
  private readonly owner = `${randomUUID()}`;

  private readonly deps: RuntimeDeps;

  constructor(deps: RuntimeDeps) {
    // Every line the worker logs passes the one redaction rule: no resolved secret reaches a log.
    this.deps = { ...deps, log: redactingLog(deps.log) };
  }

  async run(request: TaskRequest, deadline: number): Promise<RunResult> {
    const { connector, task: taskId } = request;
    const { store, worker } = this.deps;
    const now = this.deps.now ?? Date.now;
    const key = `${connector}/${taskId}`;
    const record = await store.configs.get(connector);
    if (record?.targetState !== 'STARTED' || taskId >= record.taskConfigs.length) {
      await this.evict(key);
      return { outcome: 'idle', batches: 0, records: 0 };
    }
    const lease = await store.leases.acquire(
      connector,
      taskId,
      `${worker.workerId}#${this.owner}`,
      deadline - now() + worker.leaseMarginMs,
    );
    if (!lease) return { outcome: 'leased', batches: 0, records: 0 };
    const epoch = lease.epoch;
    let batches = 0;
    let records = 0;
    try {
      const warm = await this.warmTask(key, record, taskId);
      if (request.shown !== undefined && request.shown !== 'RUNNING') warm.running = false;
      // Chained batches report together: status at most every STATUS_EVERY_MS and at the end, and the
      // config (pause, stop, reconfiguration) re-read at most every CONFIG_CHECK_MS.
      let pending: BatchResult | undefined;
      let more = false;
      let reportedAt = now();
      let checkedAt = now();
      try {
        for (;;) {
          const result =
            warm.host.kind === 'source'
              ? await this.sourceBatch(warm, epoch, deadline)
              : await this.sinkBatch(warm, deadline);
          batches++;
          records += result.records;
          this.deps.onBatch?.({ ...result, connector, task: taskId, kind: warm.host.kind });
          pending = pending ? combine(pending, result) : result;
          if (now() - reportedAt >= STATUS_EVERY_MS) {
            await this.report(warm, epoch, pending);
            pending = undefined;
            reportedAt = now();
          }
          if (result.ended !== 'full') break;
          if (now() + result.durationMs >= deadline) {
            more = true;
            break;
          }
          if (now() - checkedAt >= CONFIG_CHECK_MS) {
            const fresh = await store.configs.get(connector);
            if (fresh?.targetState !== 'STARTED' || fresh.generation !== warm.host.generation) break;
            checkedAt = now();
          }
        }
        await warm.consumer?.committed();
      } finally {
        if (pending) await this.report(warm, epoch, pending);
      }
      // The connector asked for new task configs (e.g. a JDBC table appeared): store them now.
      await warm.monitor?.reconfigureIfAsked(store, record);
      return more ? { outcome: 'ran', batches, records, more } : { outcome: 'ran', batches, records };
    } catch (error) {
      await this.evict(key);
      if (error instanceof FencedError) return { outcome: 'fenced', batches, records };
      await this.fail(connector, taskId, record, epoch, error);
      return { outcome: 'failed', batches, records };
    } finally {
      await store.leases.release(connector, taskId, epoch).catch(() => {});
    }
  }

  /**
   * The AWS sink path: records of one event-source-mapping batch that belong to `owner`, run through the
   * same sink pipeline as the local poller, as the connector's task 0 (the mapping, not a lease, owns
   * the partitions). Answers false when the task failed (its status is then FAILED).
   */
  async putRecords(
    owner: ConnectorRecord,
    records: readonly ConsumedRecord[],
    deadline: number,
  ): Promise<boolean> {
    const key = `${owner.name}/0`;
    try {
      const warm = await this.warmTask(key, owner, 0);
      const sink = warm.host.sink!;
      // The mapping owns the partitions: the task is opened for each partition as it first appears, and
      // seeks and pauses cannot be applied to a mapping (docs/runtime.md).
      await warm.host.sinkState.partitions.add(sink, records);
      const result = await this.sinkPipeline(warm, records, deadline);
      this.ignoreContextRequests(warm);
      this.deps.onBatch?.({ ...result, ended: 'dry', connector: owner.name, task: 0, kind: 'sink' });
      await this.report(warm, undefined, { ...result, ended: 'dry' });
      return true;
    } catch (error) {
      await this.evict(key);
      await this.fail(owner.name, 0, owner, undefined, error);
      return false;
    }
  }

  /** Seeks and pauses asked on the event-source-mapping path are logged, once per task, and dropped. */
  private ignoreContextRequests(warm: Warm): void {
    const { partitions } = warm.host.sinkState;
    const asked = partitions.takeSeeks().length > 0 || partitions.pausedPartitions().length > 0;
    if (!asked || warm.warnedContext) return;
    warm.warnedContext = true;
    this.deps.log.error('context.offset/pause are not applied under an event source mapping', {
      connector: warm.host.connectorName,
    });
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

  private async warmTask(key: string, record: ConnectorRecord, taskId: number): Promise<Warm> {
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
    const { store, registry, worker, providers, log } = this.deps;
    // Config providers are resolved in memory only: never stored, never logged.
    const connectorResolved = await resolveOrThrow(record.config, providers);
    const taskResolved = await resolveOrThrow(record.taskConfigs[taskId] ?? {}, providers);
    const connectorConfig = connectorResolved.config;
    const taskConfig = taskResolved.config;
    const ttl = Math.min(...Object.values(connectorResolved.ttls), ...Object.values(taskResolved.ttls));
    const host = await startHostedTask({
      record,
      taskId,
      connectorConfig,
      taskConfig,
      registry,
      worker,
      offsetReader: {
        offset: async (p) =>
          ((await store.offsets.get(record.name, [p]))[0] as SourceOffsetMap | null) ?? null,
        offsets: async (ps) => (await store.offsets.get(record.name, ps)) as (SourceOffsetMap | null)[],
      },
      log: (message, error) =>
        log.error(message, { connector: record.name, task: taskId, error: String(error) }),
    });
    const settings = host.errors.settings;
    // Client overrides kafkajs can honour are applied; the others are named once, not silently dropped.
    const consumer = host.kind === 'sink' ? consumerSettings(connectorConfig) : undefined;
    const producer = host.kind === 'source' ? producerSettings(connectorConfig) : undefined;
    const ignored = [
      ...(consumer?.ignored.map((k) => `consumer.override.${k}`) ?? []),
      ...(producer?.ignored.map((k) => `producer.override.${k}`) ?? []),
    ];
    if (ignored.length > 0)
      log.info('client overrides without a kafkajs equivalent are not applied', {
        connector: record.name,
        task: taskId,
        keys: ignored,
      });
    const maxRecords = Math.min(
      worker.batch.maxRecords,
      consumer?.maxPollRecords ?? Number.POSITIVE_INFINITY,
    );
    const warm: Warm = {
      host,
      producer: producer?.options ? this.deps.newProducer(producer.options) : undefined,
      maxRecords,
      consumerOptions: consumer && {
        ...consumerOptions(host, consumer.options),
        maxBuffered: 3 * maxRecords,
      },
      topics: new TopicPreparer(this.deps.admin, connectorConfig, {
        topic: settings.dlqTopic,
        replicationFactor: settings.dlqReplicationFactor,
      }),
      running: false,
      ...((connectorConfig['config.action.reload'] ?? 'restart') === 'restart' && Number.isFinite(ttl)
        ? { reloadAt: Date.now() + ttl }
        : {}),
      monitor:
        taskId === 0
          ? await ConnectorMonitor.start({
              connectorConfig,
              registry,
              log: (m, e) => log.error(m, { connector: record.name, error: String(e) }),
            })
          : undefined,
    };
    this.warm.set(key, warm);
    return warm;
  }

  private sourceBatch(warm: Warm, epoch: number, deadline: number): Promise<BatchResult> {
    const { host } = warm;
    const { store, worker } = this.deps;
    return runSourceBatch(
      {
        connectorName: host.connectorName,
        taskId: host.taskId,
        task: host.source!,
        taskClass: host.taskClass,
        chain: host.chain,
        converters: host.converters,
        errors: host.errors,
        send: (records) => (warm.producer ? warm.producer.send(records) : this.deps.send(records)),
        prepareTopics: (topics) => warm.topics.prepare(topics),
        commitOffsets: (offsets) =>
          store.offsets.commit(host.connectorName, offsets, { task: host.taskId, epoch }),
        now: this.deps.now,
      },
      {
        maxRecords: worker.batch.maxRecords,
        maxBytes: worker.batch.maxBytes,
        deadline: deadline - worker.batch.safetyMarginMs,
      },
    );
  }

  private async sinkBatch(warm: Warm, deadline: number): Promise<BatchResult> {
    const { host } = warm;
    const { worker } = this.deps;
    const now = this.deps.now ?? Date.now;
    warm.consumer ??= this.deps.newConsumer(warm.consumerOptions!);
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
    const result = await this.sinkPipeline(warm, deliver, budget);
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
    return { ...result, ended, ...(lag === undefined ? {} : { lag }) };
  }

  /** converters → SMTs → put → preCommit, then the DLQ records produced; answers what may be committed. */
  private async sinkPipeline(warm: Warm, consumed: readonly ConsumedRecord[], budget: number) {
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
        now: this.deps.now,
      },
      consumed,
      budget,
    );
    const dlq = host.errors.drainDlq();
    if (dlq.length > 0) {
      await warm.topics.prepare([...new Set(dlq.map((r) => r.topic))]);
      await this.deps.send(dlq);
    }
    host.inFlight = [];
    return { ...result, dlq: dlq.length };
  }

  private async report(warm: Warm, epoch: number | undefined, result: BatchResult): Promise<void> {
    const { host } = warm;
    const { store, worker } = this.deps;
    if (result.topics.length > 0) await store.status.addActiveTopics(host.connectorName, result.topics);
    // An idle batch of a task already shown RUNNING writes nothing: idle connectors stay cheap.
    if (result.read === 0 && warm.running) return;
    await store.status.putTask(
      host.connectorName,
      host.taskId,
      {
        state: 'RUNNING',
        workerId: worker.workerId,
        generation: host.generation,
        restartEpoch: host.restartEpoch,
        lastBatch: {
          at: new Date().toISOString(),
          records: result.records,
          bytes: result.bytes,
          durationMs: result.durationMs,
        },
      },
      epoch === undefined ? {} : { epoch },
    );
    warm.running = true;
  }

  private async fail(
    connector: string,
    taskId: number,
    record: ConnectorRecord,
    epoch: number | undefined,
    error: unknown,
  ) {
    const { store, worker, log } = this.deps;
    log.error('task failed', { connector, task: taskId, error: String(error) });
    await store.status
      .putTask(
        connector,
        taskId,
        {
          state: 'FAILED',
          workerId: worker.workerId,
          generation: record.generation,
          restartEpoch: record.restartRequest?.epoch ?? 0,
          trace: trace(error),
        },
        epoch === undefined ? {} : { epoch },
      )
      .catch(() => {});
  }

  private async evict(key: string): Promise<void> {
    const warm = this.warm.get(key);
    if (!warm) return;
    this.warm.delete(key);
    await warm.monitor?.stop().catch(() => {});
    await warm.consumer?.stop().catch(() => {});
    await warm.producer?.disconnect().catch(() => {});
    await warm.host.stop().catch(() => {});
  }
}

const STATUS_EVERY_MS = 5_000;
const CONFIG_CHECK_MS = 1_000;

/** Figures of consecutive batches as one. */
function combine(a: BatchResult, b: BatchResult): BatchResult {
  return {
    records: a.records + b.records,
    read: a.read + b.read,
    skipped: a.skipped + b.skipped,
    dlq: a.dlq + b.dlq,
    bytes: a.bytes + b.bytes,
    durationMs: a.durationMs + b.durationMs,
    ended: b.ended,
    topics: [...new Set([...a.topics, ...b.topics])],
    ...(b.lag === undefined ? {} : { lag: b.lag }),
  };
}

function consumerOptions(
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
