import { ConnectHeaders, type SourceOffsetMap, SourceRecord, type Struct } from '../../api/index.js';
import { DEBEZIUM_VERSION } from './config.js';
import {
  type ColumnValues,
  envelope,
  HEARTBEAT_KEY_SCHEMA,
  HEARTBEAT_VALUE_SCHEMA,
  heartbeatKey,
  heartbeatValue,
  type SourceInfo,
  sourceStruct,
  type TableSchemas,
  type UNCHANGED,
} from './event-schemas.js';
import type { TupleValue } from './pgoutput.js';

export type Op = 'r' | 'c' | 'u' | 'd' | 't';

/** What every event of one connector shares. */
export interface EventContext {
  topicPrefix: string;
  db: string;
  tombstonesOnDelete: boolean;
  partition: SourceOffsetMap;
  now(): bigint;
  /**
   * Debezium's context headers (extended.headers.enabled, on by default since 3.2.1), added to every
   * change event and tombstone after its own headers; empty when disabled.
   */
  contextHeaders: readonly [string, string][];
}

/** The context headers of one task run (Debezium's DebeziumHeaderProducer). */
export function contextHeaders(topicPrefix: string, runId: string): [string, string][] {
  return [
    ['__debezium.context.connectorLogicalName', topicPrefix],
    ['__debezium.context.taskId', '0'],
    ['__debezium.context.connectorName', 'postgresql'],
    ['__debezium.context.runId', runId],
  ];
}

/** A captured table as events need it: its schemas and topic, and the relation's column order. */
export interface CapturedTable {
  schema: string;
  table: string;
  schemas: TableSchemas;
  topic: string;
  /** Column names in the order pgoutput tuples list them. */
  columns: string[];
  keyColumns: string[];
}

/** A pgoutput tuple as column name → text, an unchanged TOAST datum kept as such. */
export function tupleValues(
  table: CapturedTable,
  tuple: readonly TupleValue[],
): Map<string, string | null | typeof UNCHANGED> {
  const values = new Map<string, string | null | typeof UNCHANGED>();
  table.columns.forEach((name, i) => {
    values.set(name, tuple[i] ?? null);
  });
  return values;
}

function source(ctx: EventContext, t: CapturedTable, info: Partial<SourceInfo>): Struct {
  return sourceStruct({
    version: DEBEZIUM_VERSION,
    name: ctx.topicPrefix,
    db: ctx.db,
    schema: t.schema,
    table: t.table,
    tsUs: info.tsUs ?? ctx.now(),
    ...info,
  });
}

const keyChanged = (t: CapturedTable, before: ColumnValues, after: ColumnValues) =>
  t.keyColumns.some((k) => before.get(k) !== undefined && before.get(k) !== after.get(k));

/**
 * The records of one change as Debezium emits them (RelationalChangeRecordEmitter): the event, a
 * tombstone after a delete, and a key-changing update as delete (+ tombstone) and create, with the
 * `__debezium.newkey` / `__debezium.oldkey` headers.
 */
export function changeRecords(
  ctx: EventContext,
  t: CapturedTable,
  op: Op,
  rows: { before?: ColumnValues; after?: ColumnValues },
  info: Partial<SourceInfo>,
  offset: SourceOffsetMap,
): SourceRecord[] {
  const s = t.schemas;
  const record = (key: Struct | null, value: Struct | null, own = new ConnectHeaders()) => {
    const headers = new ConnectHeaders(own);
    for (const [k, v] of ctx.contextHeaders) headers.addString(k, v);
    return new SourceRecord({
      sourcePartition: ctx.partition,
      sourceOffset: offset,
      topic: t.topic,
      keySchema: s.keySchema,
      key,
      valueSchema: value === null ? null : s.envelopeSchema,
      value,
      headers,
    });
  };
  const src = source(ctx, t, info);
  const now = ctx.now();
  if (op === 't') return [record(null, envelope(s, 't', null, null, src, now))];
  const before = rows.before ? s.row(rows.before) : null;
  const after = rows.after ? s.row(rows.after) : null;
  if (op === 'u' && rows.before && rows.after && keyChanged(t, rows.before, rows.after)) {
    const oldKey = s.key(rows.before);
    const newKey = s.key(rows.after);
    const deleteHeaders = new ConnectHeaders().add('__debezium.newkey', newKey, s.keySchema);
    const createHeaders = new ConnectHeaders().add('__debezium.oldkey', oldKey, s.keySchema);
    const out = [record(oldKey, envelope(s, 'd', before, null, src, now), deleteHeaders)];
    if (ctx.tombstonesOnDelete) out.push(record(oldKey, null, deleteHeaders));
    out.push(record(newKey, envelope(s, 'c', null, after, src, now), createHeaders));
    return out;
  }
  const key = s.key((rows.after ?? rows.before) as ColumnValues);
  const out = [record(key, envelope(s, op, before, after, src, now))];
  if (op === 'd' && ctx.tombstonesOnDelete) out.push(record(key, null));
  return out;
}

/** A heartbeat (Debezium's HeartbeatImpl): key {serverName}, value {ts_ms}, partition 0, the current offset. */
export function heartbeatRecord(ctx: EventContext, topic: string, offset: SourceOffsetMap): SourceRecord {
  return new SourceRecord({
    sourcePartition: ctx.partition,
    sourceOffset: offset,
    topic,
    kafkaPartition: 0,
    keySchema: HEARTBEAT_KEY_SCHEMA,
    key: heartbeatKey(ctx.topicPrefix),
    valueSchema: HEARTBEAT_VALUE_SCHEMA,
    value: heartbeatValue(Number(ctx.now() / 1000n)),
  });
}
