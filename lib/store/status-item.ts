import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { json, n, readJson, readN, readS, s } from './codec.js';
import type { RawItem } from './errors.js';
import type { ConnectorStatus, StatusState, StatusUpdate, TaskStatus } from './ports.js';
import { TABLES, TASK_STATUS_PREFIX, taskStatusId } from './tables.js';

// One status item per connector (`id = connector`) and per task (`id = task#0001`); a task's item also
// carries its lease, so taking a lease and writing a fenced status touch one item.

export const STATUS_PK = TABLES.status.partitionKey;
export const STATUS_SK = TABLES.status.sortKey;

/** Attributes of the lease on a task status item. `leaseEpoch` outlives the lease and the status. */
export const LEASE = { owner: 'leaseOwner', epoch: 'leaseEpoch', expiresAt: 'leaseExpiresAt' } as const;

/** Status attributes, which a stop or delete clears while the lease epoch stays. */
export const STATUS_ATTRIBUTES = [
  'state',
  'workerId',
  'trace',
  'generation',
  'updatedAt',
  'lastBatch',
  'restartEpoch',
  'totalRecords',
] as const;

export function statusKey(connector: string, id: string): Record<string, AttributeValue> {
  return { [STATUS_PK]: s(connector), [STATUS_SK]: s(id) };
}

export function taskKey(connector: string, task: number): Record<string, AttributeValue> {
  return statusKey(connector, taskStatusId(task));
}

/** The SET / ADD / REMOVE parts of a status write; `trace` is cleared when absent, `lastBatch` kept. */
export function statusUpdateParts(status: StatusUpdate, updatedAt: string) {
  const set: Record<string, AttributeValue> = {
    state: s(status.state),
    workerId: s(status.workerId),
    generation: n(status.generation),
    updatedAt: s(updatedAt),
  };
  const add: Record<string, AttributeValue> = {};
  if (status.trace !== undefined) set.trace = s(status.trace);
  if (status.restartEpoch !== undefined) set.restartEpoch = n(status.restartEpoch);
  if (status.lastBatch) {
    set.lastBatch = json(status.lastBatch);
    // ADD keeps the running total without a read.
    add.totalRecords = n(status.lastBatch.records);
  }
  return { set, add, remove: status.trace === undefined ? ['trace'] : [] };
}

export function connectorStatusFromItem(item: RawItem): ConnectorStatus {
  const status: ConnectorStatus = {
    state: (readS(item, 'state') ?? 'UNASSIGNED') as StatusState,
    workerId: readS(item, 'workerId') ?? '',
    generation: readN(item, 'generation') ?? 0,
    updatedAt: readS(item, 'updatedAt') ?? '',
  };
  const trace = readS(item, 'trace');
  if (trace !== undefined) status.trace = trace;
  const lastBatch = readJson<ConnectorStatus['lastBatch']>(item, 'lastBatch');
  if (lastBatch) status.lastBatch = lastBatch;
  const restartEpoch = readN(item, 'restartEpoch');
  if (restartEpoch !== undefined) status.restartEpoch = restartEpoch;
  return status;
}

/** A task's status, or undefined for an item that holds only a kept lease epoch. */
export function taskStatusFromItem(item: RawItem): TaskStatus | undefined {
  const owner = readS(item, LEASE.owner);
  if (readS(item, 'state') === undefined && owner === undefined) return undefined;
  const id = readS(item, STATUS_SK) ?? '';
  const status: TaskStatus = {
    task: Number(id.slice(TASK_STATUS_PREFIX.length)),
    ...connectorStatusFromItem(item),
  };
  const totalRecords = readN(item, 'totalRecords');
  if (totalRecords !== undefined) status.totals = { records: totalRecords };
  if (owner !== undefined) {
    status.lease = {
      owner,
      epoch: readN(item, LEASE.epoch) ?? 0,
      expiresAt: readN(item, LEASE.expiresAt) ?? 0,
    };
  }
  return status;
}
