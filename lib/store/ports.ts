/**
 * The narrow ports through which the control plane (herder), the dispatcher and the task runtime keep
 * state — Kafka Connect's config, status and offset backing stores, plus task leases. Every method may
 * throw a StoreError (see `errors.ts`); none exposes an AWS SDK type. Timestamps shown to people are ISO
 * strings; lease times are epoch milliseconds, because they are compared and added to.
 */
import type { RequestCount } from './requests.js';

export type ConnectorType = 'source' | 'sink' | 'unknown';
/** Kafka's `TargetState`: what the user asked for. */
export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED';
/** Kafka's `AbstractStatus.State` as shown to users. */
export type StatusState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'RESTARTING';

/**
 * A restart the user asked for (`POST /connectors/{c}/restart?includeTasks=&onlyFailed=`). The
 * dispatcher runs a task again — even a FAILED one — while `epoch` is above the task status's
 * `restartEpoch`; the runner writes `restartEpoch = epoch` with its next status, which retires the
 * request for that task.
 */
export interface RestartRequest {
  /** Strictly increasing per connector; the first request is 1. */
  epoch: number;
  includeTasks: boolean;
  onlyFailed: boolean;
  requestedAt: string;
  /**
   * The task ids this request restarts, as chosen when it was accepted (the control plane applies
   * `includeTasks`/`onlyFailed` itself and carries over ids of an earlier request not yet honoured).
   * Absent: every task when `includeTasks`, none otherwise.
   */
  tasks?: number[];
}

/** One connector's entry in the config store (Kafka's connector config + target state + task configs). */
export interface ConnectorRecord {
  name: string;
  /** The config exactly as the user gave it: `${...}` placeholders unresolved, never secrets. */
  config: Record<string, string>;
  type: ConnectorType;
  targetState: TargetState;
  /** 1 on create, +1 on every update; never reused for one incarnation of the name. */
  generation: number;
  /**
   * A new random id on every create of the name, kept by every update: a delete and a re-create of the
   * name restart `generation` at 1, so (name, generation) alone cannot tell the two connectors apart.
   * Assigned by the store; absent on records stored before incarnations existed.
   */
  incarnation?: string;
  /** What `taskConfigs(maxTasks)` returned; task id = index. Empty while STOPPED. */
  taskConfigs: Record<string, string>[];
  createdAt: string;
  updatedAt: string;
  restartRequest?: RestartRequest;
}

/** What `create` takes and what an `update` mutation returns: the record without its bookkeeping. */
export type ConnectorState = Omit<
  ConnectorRecord,
  'name' | 'generation' | 'incarnation' | 'createdAt' | 'updatedAt'
>;
export type NewConnector = Omit<ConnectorState, 'taskConfigs'> & {
  name: string;
  taskConfigs?: Record<string, string>[];
};

/** What an update's mutation returns: the next state, or undefined for no change. */
export type Mutation = ConnectorState | undefined | Promise<ConnectorState | undefined>;

export interface UpdateOptions {
  /** Attempts before a lost race surfaces as ConflictError; 1 (the default) means no retry. */
  maxAttempts?: number;
}

/** Connector configs. Called by the control plane (writes) and the dispatcher (`listAll`). */
export interface ConfigStore {
  /**
   * Stores a new connector at generation 1, with a new `incarnation`. Throws ConflictError (carrying the
   * existing record) when the name is taken.
   */
  create(connector: NewConnector): Promise<ConnectorRecord>;
  /** The record, read strongly consistent, or undefined. */
  get(name: string): Promise<ConnectorRecord | undefined>;
  /** The records of those of `names` that exist, read strongly consistent: one BatchGetItem per 100 names. */
  getMany(names: readonly string[]): Promise<ConnectorRecord[]>;
  /** All connector names, sorted. */
  list(): Promise<string[]>;
  /** All records, for the dispatcher's tick: one Scan page per 1 MB of configs. */
  listAll(): Promise<ConnectorRecord[]>;
  /**
   * Optimistic read-modify-write: reads the record, calls `mutate`, and writes its result at generation
   * + 1 (same incarnation) only if the generation is still the one read. On a lost race it reads again and retries up to
   * `maxAttempts`, then throws ConflictError; so concurrent updates never lose one another's changes.
   * `mutate` may be async and may run more than once (once per attempt), so it must not have effects of
   * its own; returning undefined leaves the record (and its generation) unchanged. Throws MissingError when the connector does not exist.
   * @example
   * await configs.update('jdbc', (c) => ({ ...c, targetState: 'PAUSED' }), { maxAttempts: 5 });
   */
  update(
    name: string,
    mutate: (current: ConnectorRecord) => Mutation,
    options?: UpdateOptions,
  ): Promise<ConnectorRecord>;
  /** Removes the record. Throws MissingError when it does not exist. */
  delete(name: string): Promise<void>;
}

export interface BatchFigures {
  at: string;
  records: number;
  bytes: number;
  durationMs: number;
}

/** A status write: what a connector or task reports. */
export interface StatusUpdate {
  state: StatusState;
  workerId: string;
  /** The stack trace of a FAILED instance; a write without one clears it. */
  trace?: string;
  /** The config generation the instance ran at. */
  generation: number;
  /** The last batch's figures; a write without them keeps the previous ones. Their records add to `totals`. */
  lastBatch?: BatchFigures;
  /** The restart request epoch this instance has honoured (see RestartRequest). */
  restartEpoch?: number;
}

export interface ConnectorStatus extends StatusUpdate {
  updatedAt: string;
}

/** A task's lease as the dispatcher sees it: who holds it, at which epoch, until when. */
export interface LeaseInfo {
  owner: string;
  epoch: number;
  expiresAt: number;
}

export interface TaskStatus extends ConnectorStatus {
  task: number;
  totals?: { records: number };
  /** Present while a runner holds (or held, until expiry) the lease. */
  lease?: LeaseInfo;
}

/** Connector and task status, and the topics a connector has used (`GET /connectors/{c}/topics`). */
export interface StatusStore {
  /**
   * Writes the connector's status. Refused with ConflictError (carrying the stored status) when the stored
   * status is of a newer config generation, so a slow writer cannot put back an older generation's state.
   */
  putConnector(name: string, status: StatusUpdate): Promise<void>;
  /**
   * Writes a task's status without touching its lease. With `epoch` (a runner), the write lands only while
   * that lease epoch is current, else FencedError; without (the control plane), it always lands.
   */
  putTask(name: string, task: number, status: StatusUpdate, options?: { epoch?: number }): Promise<void>;
  getConnector(name: string): Promise<ConnectorStatus | undefined>;
  /** Every task that has a status or a lease, sorted by task id: one Query of the connector's partition. */
  getTasks(name: string): Promise<TaskStatus[]>;
  /**
   * Clears the status of tasks `from` and above (all by default), as a stop or a shrinking task count
   * needs. Their lease epochs are kept — and their leases freed — so no runner of the old tasks can pass
   * a fence once a new runner takes the lease.
   */
  deleteTasks(name: string, options?: { from?: number }): Promise<void>;
  /**
   * Deletes the connector's status, its tasks' status and its topics. Unlike `deleteTasks`, it also bumps
   * their lease epochs: a runner of the deleted connector still alive is fenced, so it cannot commit
   * offsets under a re-created connector of the same name.
   */
  deleteAll(name: string): Promise<void>;
  /** Records topics the connector used; idempotent, one request, no read. */
  addActiveTopics(name: string, topics: readonly string[]): Promise<void>;
  /** The recorded topics, sorted. */
  getActiveTopics(name: string): Promise<string[]>;
  resetActiveTopics(name: string): Promise<void>;
}

/**
 * Task leases (docs/runtime.md), kept on the task status items. The epoch only ever grows for a task;
 * a runner is fenced as soon as someone else holds a higher one. Losing `acquire` is ordinary (returns
 * undefined); every epoch-conditional write by a runner that is no longer current throws FencedError.
 */
export interface LeaseStore {
  /** Takes the lease if it is free or expired at `now`, bumping the epoch by 1. */
  acquire(
    connector: string,
    task: number,
    owner: string,
    ttlMs: number,
    now?: number,
  ): Promise<{ epoch: number; expiresAt: number } | undefined>;
  /** Extends a lease we still hold to `now + ttlMs`; returns the new expiry. FencedError otherwise. */
  renew(connector: string, task: number, epoch: number, ttlMs: number, now?: number): Promise<number>;
  /** Frees a lease we still hold (the epoch stays). FencedError when the epoch moved on. */
  release(connector: string, task: number, epoch: number): Promise<void>;
  /** True while `epoch` is the task's current lease epoch (a strongly consistent read). */
  isCurrent(connector: string, task: number, epoch: number): Promise<boolean>;
  /**
   * Fences every task of the connector (`from` and above; all by default): bumps each task item's epoch
   * and frees its lease, so a runner still alive fails its next epoch-conditioned write (offset commit,
   * status, renewal) with FencedError. One Query of the partition plus one write per task item; returns
   * the tasks fenced. `stop` calls it, as Kafka Connect fences zombie tasks before offsets are altered.
   */
  fence(connector: string, options?: { from?: number }): Promise<number[]>;
  /** The connector's leases still live at `now` (a runner took them and they have not expired): one Query. */
  live(connector: string, now?: number): Promise<(LeaseInfo & { task: number })[]>;
  /**
   * Frees and fences (epoch + 1) every lease, of any connector, whose owner begins with `prefix` but not
   * with `except`: what a restarted local mode calls for the leases of its own earlier, dead, instances.
   * A Scan of the status table's task items; a lease taken or renewed meanwhile is left alone.
   */
  releaseOwnedBy(
    prefix: string,
    options?: { except?: string },
  ): Promise<{ connector: string; task: number; owner: string }[]>;
}

export type SourcePartition = Readonly<Record<string, unknown>>;
export type SourceOffset = Readonly<Record<string, unknown>>;

export interface OffsetEntry {
  partition: SourcePartition;
  /** null deletes the partition's offset (Kafka's tombstone). */
  offset: SourceOffset | null;
}

/** Source offsets per (connector, source partition); partitions compare by value, whatever their key order. */
export interface OffsetStore {
  /** The offsets of `partitions`, aligned with them: null where none is stored. */
  get(connector: string, partitions: readonly SourcePartition[]): Promise<(SourceOffset | null)[]>;
  /** Every stored partition and offset (`GET /connectors/{c}/offsets`). */
  getAll(connector: string): Promise<{ partition: SourcePartition; offset: SourceOffset }[]>;
  /**
   * Writes offsets; a null offset deletes. With `fence` (a runner), nothing is written unless the task's
   * lease epoch is still `fence.epoch` — FencedError otherwise; up to 99 offsets land all-or-nothing, a
   * larger commit in all-or-nothing chunks of 99, each fenced. Without `fence` (the offsets REST API on a
   * STOPPED connector whose tasks were fenced by `stop` and hold no live lease), plain batch writes. When a partition appears twice, the last entry wins.
   */
  commit(
    connector: string,
    offsets: readonly OffsetEntry[],
    fence?: { task: number; epoch: number },
  ): Promise<void>;
  deleteAll(connector: string): Promise<void>;
}

/** The three stores plus leases, and the DynamoDB request count of everything done through them. */
export interface StateStore {
  configs: ConfigStore;
  status: StatusStore;
  leases: LeaseStore;
  offsets: OffsetStore;
  /** A snapshot of DynamoDB requests made so far; subtract two to cost a tick or a batch. */
  requestCount(): RequestCount;
}
