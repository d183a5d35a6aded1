import type { ConnectorRecord, ConnectorType, StatusState } from '../store/index.js';

/** The JSON entities of Kafka's REST API, with Kafka's field names. */

export interface ConnectorTaskId {
  connector: string;
  task: number;
}

export interface ConnectorInfo {
  name: string;
  config: Record<string, string>;
  tasks: ConnectorTaskId[];
  type: ConnectorType;
}

export interface TaskInfo {
  id: ConnectorTaskId;
  config: Record<string, string>;
}

/** `trace` is left out when empty (`@JsonInclude(NON_EMPTY)`). */
export interface ConnectorState {
  state: StatusState;
  worker_id: string;
  trace?: string;
}

export interface TaskState extends ConnectorState {
  id: number;
}

export interface ConnectorStateInfo {
  name: string;
  connector: ConnectorState;
  /** Sorted by id. */
  tasks: TaskState[];
  type: ConnectorType;
}

export interface ServerInfo {
  version: string;
  commit: string;
  kafka_cluster_id: string;
}

export interface ConnectorOffset {
  partition: Record<string, unknown>;
  offset: Record<string, unknown> | null;
}

export interface ConnectorOffsets {
  offsets: ConnectorOffset[];
}

export interface Message {
  message: string;
}

export function connectorInfo(record: ConnectorRecord): ConnectorInfo {
  return {
    name: record.name,
    config: record.config,
    tasks: record.taskConfigs.map((_, task) => ({ connector: record.name, task })),
    type: record.type,
  };
}

export function stateOf(status: { state: StatusState; workerId: string; trace?: string }): ConnectorState {
  return status.trace
    ? { state: status.state, worker_id: status.workerId, trace: status.trace }
    : { state: status.state, worker_id: status.workerId };
}
