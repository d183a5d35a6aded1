import { randomUUID } from 'node:crypto';
import type { ConfigProvider } from '../config/providers/config-provider.js';
import { redactingLog } from '../config/redaction.js';
import type { KafkaAdmin } from '../kafka/admin.js';
import type { BoundedConsumer, BoundedConsumerOptions } from '../kafka/bounded-consumer.js';
import type { RecordProducer, RecordProducerOptions } from '../kafka/producer.js';
import type { ConsumedRecord, RecordMetadata, WireRecord } from '../kafka/types.js';
import type { PluginRegistry } from '../plugins.js';
import type { ConnectorRecord, StateStore } from '../store/ports.js';
import type { TaskRequest } from './dispatcher.js';
import { runLeased } from './leased-run.js';
import { type MappedOutcome, putMappedRecords } from './mapping-sink.js';
import type { BatchResult } from './source-batch.js';
import { WarmTasks } from './warm-tasks.js';
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
  /**
   * `ran`: batches ran; `leased`: another runner holds the lease; `idle`: nothing to run; `failed`;
   * `fenced`; `retrying`: a retriable failure ended the run, the task stays RUNNING and runs again at
   * the next dispatcher tick (docs/runtime.md, Failures).
   */
  outcome: 'ran' | 'leased' | 'idle' | 'failed' | 'fenced' | 'retrying';
  batches: number;
  records: number;
  /**
   * Invoke again at once: the last batch ended full but the time budget did not allow another, or the
   * budget ended a linger (`worker.batch.idleMs`) that was to last longer.
   */
  more?: boolean;
}

/**
 * Runs task invocations (docs/architecture.md, One bounded batch): leased bounded batches driven by the
 * dispatcher (`leased-run.ts`) and event-source-mapping batches of sinks (`mapping-sink.ts`). The started
 * task, its pipeline and its consumer stay warm in this process for the next invocation (`warm-tasks.ts`).
 */
export class TaskRunner {
  private readonly owner = randomUUID();
  private readonly deps: RuntimeDeps;
  private readonly tasks: WarmTasks;

  constructor(deps: RuntimeDeps) {
    // Every line the worker logs passes the one redaction rule: no resolved secret reaches a log.
    this.deps = { ...deps, log: redactingLog(deps.log) };
    this.tasks = new WarmTasks(this.deps);
  }

  run(request: TaskRequest, deadline: number): Promise<RunResult> {
    return runLeased(this.deps, this.tasks, this.owner, request, deadline);
  }

  /** One event-source-mapping batch for `owner`; false when the task failed (see `putMappedRecords`). */
  putRecords(
    owner: ConnectorRecord,
    records: readonly ConsumedRecord[],
    deadline: number,
  ): Promise<MappedOutcome> {
    return putMappedRecords(this.deps, this.tasks, owner, records, deadline);
  }

  /** Stops the warm tasks whose `<connector>/<task>` key is not in `live` (connector stopped, deleted or shrunk). */
  retain(live: ReadonlySet<string>): Promise<void> {
    return this.tasks.retain(live);
  }

  /** Stops every warm task (process shutdown). */
  close(): Promise<void> {
    return this.tasks.close();
  }
}
