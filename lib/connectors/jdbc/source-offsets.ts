import type { SourceOffsetMap } from '../../api/index.js';
import { fullName, type TableId } from './table-id.js';
import type { PreciseTime } from './timestamps.js';

/** Confluent's offset keys (`TimestampIncrementingOffset`). */
export const INCREMENTING_FIELD = 'incrementing';
export const TIMESTAMP_FIELD = 'timestamp';
export const TIMESTAMP_NANOS_FIELD = 'timestamp_nanos';

/** Where a table (or the query) was read up to. */
export interface QueryOffset {
  incrementing?: number;
  timestamp?: PreciseTime;
}

/** Confluent's offset protocol 1 partition: `{protocol: "1", table: "db.schema.table"}`; query mode `{query: "query"}`. */
export function sourcePartition(table: TableId | null): SourceOffsetMap {
  return table ? { protocol: '1', table: fullName(table) } : { query: 'query' };
}

/** Protocol 0 (older Confluent versions): `{table: "name"}`, read when no protocol 1 offset exists. */
export function legacyPartition(table: TableId): SourceOffsetMap {
  return { table: table.table };
}

export function toOffsetMap(offset: QueryOffset): SourceOffsetMap {
  const map: Record<string, number> = {};
  if (offset.incrementing !== undefined) map[INCREMENTING_FIELD] = offset.incrementing;
  if (offset.timestamp) {
    map[TIMESTAMP_FIELD] = offset.timestamp.millis;
    map[TIMESTAMP_NANOS_FIELD] = offset.timestamp.nanos;
  }
  return map;
}

export function fromOffsetMap(map: SourceOffsetMap | null): QueryOffset {
  if (!map) return {};
  const offset: QueryOffset = {};
  const inc = map[INCREMENTING_FIELD];
  if (inc !== undefined && inc !== null) offset.incrementing = Number(inc);
  const millis = map[TIMESTAMP_FIELD];
  if (millis !== undefined && millis !== null) {
    const ms = Number(millis);
    const nanosField = map[TIMESTAMP_NANOS_FIELD];
    const nanos =
      nanosField === undefined || nanosField === null
        ? (((ms % 1000) + 1000) % 1000) * 1e6
        : Number(nanosField);
    offset.timestamp = { millis: ms, nanos };
  }
  return offset;
}
