import {
  type ErrantRecordReporter,
  type OffsetStorageReader,
  type SinkConnector,
  type SinkRecord,
  SinkTask,
  type SinkTaskContext,
  type SourceConnector,
  SourceTask,
  type TopicPartition,
  type TopicPartitionOffset,
} from '../api/index.js';
import type { ConsumedRecord } from '../kafka/types.js';
import type { PluginRegistry } from '../plugins.js';
import type { ConnectorRecord } from '../store/ports.js';
import { Stage } from './errors/stage.js';
import { ErrorHandler, errorSettings } from './pipeline/error-handling.js';
import { RecordConverters } from './pipeline/record-converters.js';
import { TransformationChain } from './pipeline/transformation-chain.js';
import { SinkPartitions } from './sink-partitions.js';
import type { WorkerConfig } from './worker-config.js';

/** A started task with its pipeline, kept warm across batches (and across warm Lambda invocations). */
export interface HostedTask {
  kind: 'source' | 'sink';
  connectorName: string;
  taskId: number;
  /** Config generation and restart epoch it was started at; a change means start afresh. */
  generation: number;
  restartEpoch: number;
  /** The connector config (resolved) and the task config (resolved). */
  connectorConfig: Readonly<Record<string, string>>;
  taskConfig: Readonly<Record<string, string>>;
  taskClass: string;
  chain: TransformationChain;
  converters: RecordConverters;
  errors: ErrorHandler;
  source?: SourceTask;
  sink?: SinkTask;
  /** Sinks: the consumed records of the batch in flight, so the errant record reporter can find the bytes. */
  inFlight: readonly ConsumedRecord[];
  /** Sinks: the backoff asked with `context.timeout`, and the partitions with what the task asked of them. */
  sinkState: { backoffMs: number; partitions: SinkPartitions };
  /** Topics already prepared (created if needed) by this host. */
  preparedTopics: Set<string>;
  stop(): Promise<void>;
}

export interface HostOptions {
  record: ConnectorRecord;
  taskId: number;
  /** Resolved configs (providers applied in memory only). */
  connectorConfig: Record<string, string>;
  taskConfig: Record<string, string>;
  registry: PluginRegistry;
  worker: WorkerConfig;
  offsetReader: OffsetStorageReader;
  log: (message: string, error?: unknown) => void;
}

/** Instantiates, initialises and starts one task, with its converters, SMT chain and error handler. */
export async function startHostedTask(o: HostOptions): Promise<HostedTask> {
  const connector = o.registry.newConnector(o.connectorConfig['connector.class'] ?? '') as
    | SourceConnector
    | SinkConnector;
  const TaskClass = connector.taskClass();
  const instance = new TaskClass();
  const chain = new TransformationChain(o.connectorConfig, o.registry);
  const converters = new RecordConverters(o.connectorConfig, o.worker, o.registry);
  const errors = new ErrorHandler(errorSettings(o.connectorConfig), o.log);
  const host: HostedTask = {
    kind: instance instanceof SinkTask ? 'sink' : 'source',
    connectorName: o.record.name,
    taskId: o.taskId,
    generation: o.record.generation,
    restartEpoch: o.record.restartRequest?.epoch ?? 0,
    connectorConfig: o.connectorConfig,
    taskConfig: o.taskConfig,
    taskClass: TaskClass.name,
    chain,
    converters,
    errors,
    inFlight: [],
    sinkState: { backoffMs: 1_000, partitions: new SinkPartitions() },
    preparedTopics: new Set(),
    async stop() {
      // Kafka closes a sink task's partitions before stopping it, so it can flush and release them.
      if (this.sink) await this.sinkState.partitions.closeAll(this.sink);
      await (this.source ?? this.sink)?.stop();
      chain.close();
    },
  };
  if (instance instanceof SourceTask) {
    instance.initialize({ configs: () => o.taskConfig, offsetStorageReader: () => o.offsetReader });
    host.source = instance;
  } else if (instance instanceof SinkTask) {
    instance.initialize(sinkContext(host, o.taskConfig));
    host.sink = instance;
  }
  await (host.source ?? host.sink)?.start(o.taskConfig);
  return host;
}

function sinkContext(host: HostedTask, configs: Readonly<Record<string, string>>): SinkTaskContext {
  const { partitions } = host.sinkState;
  // Indexed on the first report of a batch only: the happy path builds no per-record key.
  let indexed: { of: readonly ConsumedRecord[]; byKey: Map<string, ConsumedRecord> } | undefined;
  const consumed = (topic: string, partition: number | null, offset: number) => {
    if (indexed?.of !== host.inFlight) {
      const byKey = new Map(host.inFlight.map((c) => [`${c.topic}/${c.partition}/${c.offset}`, c]));
      indexed = { of: host.inFlight, byKey };
    }
    return indexed.byKey.get(`${topic}/${partition}/${offset}`);
  };
  const reporter: ErrantRecordReporter = {
    async report(record: SinkRecord, error: Error) {
      const c = consumed(record.originalTopic, record.originalKafkaPartition, record.originalKafkaOffset);
      await host.errors.report(Stage.TASK_PUT, host.taskClass, error, {
        connectorName: host.connectorName,
        taskId: host.taskId,
        topic: record.originalTopic,
        partition: record.originalKafkaPartition,
        offset: record.originalKafkaOffset,
        dlqRecord: c
          ? { topic: c.topic, key: c.key, value: c.value, headers: c.headers, timestamp: c.timestamp }
          : undefined,
      });
    },
  };
  return {
    configs: () => configs,
    offset: (offsets: readonly TopicPartitionOffset[]) => partitions.requestSeek(offsets),
    timeout: (ms: number) => {
      host.sinkState.backoffMs = ms;
    },
    assignment: () => partitions.assignment(),
    pause: (...tps: TopicPartition[]) => partitions.pause(tps),
    resume: (...tps: TopicPartition[]) => partitions.resume(tps),
    // Every bounded batch ends with a commit, so a request to commit soon is always honoured.
    requestCommit: () => {},
    errantRecordReporter: () => (host.errors.reportsErrantRecords ? reporter : null),
  };
}
