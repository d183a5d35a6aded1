/**
 * What a sink connector needs from the thing that feeds it Kafka batches. On AWS that is one Lambda
 * event source mapping per topic (consumer group `connect-<name>`, as Kafka Connect names it); in local
 * mode a bounded kafkajs consumer in the same group does the job and this port is a no-op.
 *
 * The herder calls it after the connector's config is stored: `ensure` on create and update, `setEnabled`
 * on pause/resume/stop, `remove` on delete. Every method is idempotent, so a retried request is safe.
 */
export interface SinkMappings {
  /** Creates or updates the mappings of `connector` so they consume exactly `topics`. */
  ensure(connector: string, spec: SinkMappingSpec): Promise<void>;
  /** Enables (resume) or disables (pause, stop) every mapping of the connector. */
  setEnabled(connector: string, enabled: boolean): Promise<void>;
  /** Deletes every mapping of the connector; none is fine. */
  remove(connector: string): Promise<void>;
  /**
   * Why a mapping could not consume in `groupId` (Lambda accepts fewer characters than Kafka), checked
   * before a sink's config is stored; `undefined` when it can. @default every group id is fine
   */
  groupIdProblem?(groupId: string): string | undefined;
  /**
   * True where single-topic sinks are fed by mappings (AWS): such a sink then runs as exactly one task,
   * the one the mapping invokes (docs/runtime.md). @default false (every sink is polled)
   */
  readonly feedsSinks?: boolean;
  /**
   * The reconciler's first half: every mapping and connector alias of the sink function, read in one
   * List of each (paginated). Taken before the configs are scanned, so that a mapping it lists belongs
   * to a connector the scan sees, or is an orphan. Absent where there is nothing to reconcile.
   */
  snapshot?(): Promise<MappingSnapshot>;
  /**
   * The reconciler's second half: brings the snapshot in line with `wanted` (connector → spec, every
   * single-topic sink): missing mappings created, orphans (mappings and aliases of no wanted connector)
   * deleted, Enabled and BatchSize set. Each fix is tried once; what fails is reported and tried again
   * next time. Never throws.
   */
  reconcile?(
    snapshot: MappingSnapshot,
    wanted: ReadonlyMap<string, SinkMappingSpec>,
  ): Promise<ReconcileReport>;
}

/** What `snapshot` read: the mappings invoking a connector alias (`sc-…`) and those aliases. */
export interface MappingSnapshot {
  mappings: MappingView[];
  aliases: string[];
  /** Lambda API calls the snapshot cost (List pages). */
  calls: number;
}

export interface MappingView {
  uuid: string;
  /** The alias of the sink function it invokes (`sinkAlias(connector)`). */
  alias: string;
  topic?: string;
  groupId?: string;
  /** Lambda's state: Enabled, Disabled, or a transitional one (Creating, Updating, Deleting, …). */
  state?: string;
  batchSize?: number;
}

export interface ReconcileReport {
  /** Connectors whose mapping was created. */
  created: string[];
  /** Mappings deleted (UUIDs): orphans, or a connector's mappings of another topic or group. */
  deleted: string[];
  /** Orphan aliases deleted. */
  aliasesDeleted: string[];
  /** Mappings updated (UUIDs): Enabled or BatchSize. */
  updated: string[];
  /** What could not be done, to be tried again on the next tick. */
  errors: string[];
  /** Lambda API calls made, the snapshot's included. */
  calls: number;
}

export interface SinkMappingSpec {
  /** Explicit topics (`topics`); a `topics.regex` sink has none and is polled instead. */
  topics: readonly string[];
  /** The connector's consumer group (`sinkGroupId`). */
  groupId: string;
  /** False while the connector is PAUSED or STOPPED. */
  enabled: boolean;
  /** `consumer.override.max.poll.records`: records per batch. @default the mapping's default */
  batchSize?: number;
  /** `consumer.override.auto.offset.reset=latest`: start at the end of the topic. @default false */
  startAtLatest?: boolean;
}

/** Local mode: sinks are driven by a kafkajs poller in the `connect-<name>` group, so nothing to manage. */
export function localSinkMappings(): SinkMappings {
  return {
    ensure: async () => {},
    setEnabled: async () => {},
    remove: async () => {},
  };
}
