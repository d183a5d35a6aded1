/**
 * Key shapes and table definitions of the three state tables. Kafka Connect keeps configs, status and
 * offsets in three internal topics; we keep them in three DynamoDB tables, each keyed by connector so
 * that every access touches one item or one partition. The CDK construct and DynamoDB Local both
 * create the tables from these definitions.
 */
export const TABLES = {
  /** One item per connector: raw config map, target state, generation, task configs. */
  configs: { partitionKey: 'connector', sortKey: undefined, defaultName: 'connect-configs' },
  /** Items `connector` and `task#<id>` per connector: state, worker id, trace, lease, batch figures. */
  status: { partitionKey: 'connector', sortKey: 'id', defaultName: 'connect-status' },
  /** One item per (connector, source partition): the latest committed source offset. */
  offsets: { partitionKey: 'connector', sortKey: 'partition', defaultName: 'connect-offsets' },
} as const;

export type TableKind = keyof typeof TABLES;

/** Sort key of the connector's own status item. */
export const CONNECTOR_STATUS_ID = 'connector';

/** Sort key of a task's status (and lease) item; zero-padded so items sort by task id. */
export function taskStatusId(task: number): string {
  return `${TASK_STATUS_PREFIX}${String(task).padStart(4, '0')}`;
}

/** Prefix of task status sort keys; `begins_with(id, TASK_STATUS_PREFIX)` selects a connector's tasks. */
export const TASK_STATUS_PREFIX = 'task#';

/** Sort key of the item holding the topics a connector has used (`GET /connectors/{c}/topics`). */
export const TOPICS_STATUS_ID = 'topics';
