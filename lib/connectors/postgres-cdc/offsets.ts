import type { SourceOffsetMap } from '../../api/index.js';

/** Debezium's source partition of a PostgreSQL connector (PostgresPartition). */
export const partitionOf = (topicPrefix: string): SourceOffsetMap => ({ server: topicPrefix });

/**
 * The offset Debezium writes (PostgresOffsetContext.getOffset): LSNs as decimal longs, `snapshot` keys
 * only while a snapshot runs. Two keys are ours, written only during a snapshot so it can resume where a
 * batch ended instead of restarting (Debezium restarts it): `snapshot_table` (schema.table being read)
 * and `snapshot_after` (the ordering key of the last row emitted, as JSON text).
 */
export interface CdcOffset {
  ts_usec?: number;
  txId?: number;
  lsn?: number;
  lsn_proc?: number;
  lsn_commit?: number;
  messageType?: string;
  snapshot?: 'INITIAL';
  snapshot_completed?: boolean;
  last_snapshot_record?: boolean;
  snapshot_table?: string;
  snapshot_after?: string;
}

const num = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
};

/** Reads a stored offset, accepting Debezium 3.0's boolean `snapshot: true` and string booleans. */
export function readOffset(map: SourceOffsetMap | null): CdcOffset | null {
  if (!map) return null;
  const bool = (v: unknown) => v === true || v === 'true';
  const snapshot = map.snapshot === true || map.snapshot === 'true' || map.snapshot === 'INITIAL';
  return {
    ts_usec: num(map.ts_usec),
    txId: num(map.txId),
    lsn: num(map.lsn),
    lsn_proc: num(map.lsn_proc),
    lsn_commit: num(map.lsn_commit),
    messageType: typeof map.messageType === 'string' ? map.messageType : undefined,
    ...(snapshot
      ? {
          snapshot: 'INITIAL' as const,
          snapshot_completed: bool(map.snapshot_completed),
          last_snapshot_record: bool(map.last_snapshot_record),
          snapshot_table: typeof map.snapshot_table === 'string' ? map.snapshot_table : undefined,
          snapshot_after: typeof map.snapshot_after === 'string' ? map.snapshot_after : undefined,
        }
      : {}),
  };
}

/** A snapshot is unfinished when the offset still carries `snapshot` and its last record was not reached. */
export const snapshotUnfinished = (o: CdcOffset | null): boolean =>
  o?.snapshot !== undefined && !o.last_snapshot_record && !o.snapshot_completed;

/** The position streaming resumes from: the last completed transaction, else the last event. */
export function resumeLsn(o: CdcOffset): bigint | undefined {
  const lsn = o.lsn_commit ?? o.lsn_proc ?? o.lsn;
  return lsn === undefined ? undefined : BigInt(lsn);
}

/** What may be confirmed to the slot once this offset is committed: only completed transactions. */
export function flushableLsn(o: CdcOffset): bigint | undefined {
  if (o.snapshot !== undefined && !o.last_snapshot_record) return undefined;
  const lsn = o.lsn_commit ?? (o.snapshot !== undefined ? o.lsn : undefined);
  return lsn === undefined ? undefined : BigInt(lsn);
}

/** Drops undefined keys: offsets are stored as JSON and compared by the REST API. */
export function toMap(o: CdcOffset): SourceOffsetMap {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as SourceOffsetMap;
}
