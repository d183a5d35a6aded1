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
