/**
 * Runs one Kafka poller per enabled mapping and keeps it in step with the mapping: started on create or
 * enable, restarted when its settings change, stopped on disable, delete and close. A mapping settles
 * (`Disabled`, gone) only once its poller has stopped. docs/simulator/kafka-pollers.md.
 */
import type { Mapping, MappingPollers } from './event-source-mappings.js';
import type { Invocations } from './invoke.js';
import { KafkaPoller, type PollerSettings, type PollerStats } from './kafka-poller.js';
import { parseFunctionName } from './lambda-names.js';

export interface KafkaOptions {
  /**
   * The brokers of each MSK cluster a mapping may name by `EventSourceArn` (there is no MSK here to ask).
   * A mapping of a cluster not listed polls nothing and reports a connection problem.
   */
  mskClusters?: Record<string, string[]>;
  /** Between retries of a failed batch, after throttles and before reconnecting. @default {initial: 500, max: 10000} */
  backoffMs?: { initial: number; max: number };
}

/** Kafka's default batching window when `MaximumBatchingWindowInSeconds` is not set (msk-esm-parameters.html). */
const DEFAULT_WINDOW_MS = 500;
/** "When you configure both infinite retries and an on-failure destination, Lambda automatically applies a maximum of 10 retry attempts" (kafka-on-failure-destination.html). */
const RETRIES_WITH_DESTINATION = 10;

export class EsmPollers implements MappingPollers {
  readonly #mappings = new Map<string, Mapping>();
  readonly #running = new Map<string, { poller: KafkaPoller; key: string }>();
  readonly #stopping = new Map<string, Promise<void>>();
  readonly #stats = new Map<string, PollerStats>();
  readonly #problems = new Map<string, string>();
  #closed = false;

  constructor(
    readonly invocations: Invocations,
    readonly options: KafkaOptions = {},
  ) {}

  apply(mapping: Mapping): void {
    this.#mappings.set(mapping.uuid, mapping);
    this.#reconcile(mapping.uuid);
  }

  remove(uuid: string): void {
    this.#mappings.delete(uuid);
    this.#reconcile(uuid);
  }

  /** A function got its pool: the mappings that invoke it can start. */
  functionRegistered(name: string): void {
    for (const m of this.#mappings.values()) {
      if (parseFunctionName(m.functionArn).name === name) this.#reconcile(m.uuid);
    }
  }

  isRunning(uuid: string): boolean {
    return this.#running.has(uuid) || this.#stopping.has(uuid);
  }

  lastProcessingResult(uuid: string): string | undefined {
    return this.#problems.get(uuid) ?? this.#stats.get(uuid)?.lastProcessingResult;
  }

  /** What the mapping's poller has done so far, across restarts; undefined if it never ran. */
  stats(uuid: string): PollerStats | undefined {
    const stats = this.#stats.get(uuid);
    return stats === undefined ? undefined : structuredClone(stats);
  }

  /** Stops every poller; resolves once each has committed what succeeded and left its group. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const uuid of [...this.#running.keys()]) this.#reconcile(uuid);
    await Promise.all([...this.#stopping.values()]);
  }

  /** One poller per mapping at a time: a restart waits for the old consumer to leave the group. */
  #reconcile(uuid: string): void {
    if (this.#stopping.has(uuid)) return; // reconciled again once the stop is done
    const mapping = this.#mappings.get(uuid);
    const wanted = mapping?.enabled && !this.#closed ? this.#settingsFor(mapping) : undefined;
    const key = wanted === undefined ? undefined : JSON.stringify(wanted);
    const current = this.#running.get(uuid);
    if (current !== undefined && current.key === key) return;
    if (current !== undefined) {
      this.#running.delete(uuid);
      const stopped = current.poller.stop().finally(() => {
        this.#stopping.delete(uuid);
        this.#reconcile(uuid);
      });
      this.#stopping.set(uuid, stopped);
      return;
    }
    if (wanted === undefined || key === undefined) return;
    const stats = this.#stats.get(uuid);
    const poller = new KafkaPoller(
      wanted,
      {
        invoke: (arn, event) => this.invocations.invokeSync(arn, event),
        backoffMs: this.options.backoffMs ?? { initial: 500, max: 10_000 },
      },
      stats,
    );
    this.#stats.set(uuid, poller.stats);
    this.#running.set(uuid, { poller, key });
  }

  /** The poller's settings, or undefined when nothing can run: no code for the function, no brokers known. */
  #settingsFor(m: Mapping): PollerSettings | undefined {
    this.#problems.delete(m.uuid);
    // A function registered without a pool has no code: its mappings are configuration only.
    if (!this.invocations.hasPool(parseFunctionName(m.functionArn).name)) return undefined;
    const arn = 'mskClusterArn' in m.source ? m.source.mskClusterArn : undefined;
    const brokers =
      arn === undefined
        ? (m.source as { bootstrapServers: string[] }).bootstrapServers
        : this.options.mskClusters?.[arn];
    if (brokers === undefined) {
      this.#problems.set(
        m.uuid,
        `PROBLEM: Connection error. No brokers are known for the MSK cluster ${arn}.`,
      );
      return undefined;
    }
    const provisioned = m.provisionedPollerConfig !== undefined && m.provisionedPollerConfig !== null;
    const destination = m.onFailureDestination ? m.onFailureDestination.slice('kafka://'.length) : undefined;
    const retries = m.maximumRetryAttempts ?? -1;
    const age = m.maximumRecordAgeInSeconds ?? -1;
    return {
      uuid: m.uuid,
      functionArn: m.functionArn,
      topic: m.topic,
      groupId: m.groupId,
      fromBeginning: m.startingPosition === 'TRIM_HORIZON',
      brokers,
      source: { eventSourceArn: arn, bootstrapServers: brokers },
      batchSize: m.batchSize,
      windowMs:
        m.maximumBatchingWindowInSeconds === undefined
          ? DEFAULT_WINDOW_MS
          : m.maximumBatchingWindowInSeconds * 1000,
      // The error-handling controls are honoured in provisioned mode only (the harsher reading).
      controls: provisioned
        ? {
            maxRetries: retries === -1 && destination !== undefined ? RETRIES_WITH_DESTINATION : retries,
            maxRecordAgeMs: age === -1 ? -1 : age * 1000,
            bisect: m.bisectBatchOnFunctionError === true,
            reportItemFailures: m.functionResponseTypes?.includes('ReportBatchItemFailures') === true,
            destinationTopic: destination,
          }
        : undefined,
    };
  }
}
