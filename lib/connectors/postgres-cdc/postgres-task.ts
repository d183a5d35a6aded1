import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { type SourceRecord, SourceTask } from '../../api/index.js';
import { ChangeStream } from './change-stream.js';
import {
  type AutocreateMode,
  BINARY_MODE,
  DBNAME,
  DEBEZIUM_VERSION,
  DECIMAL_MODE,
  EXTENDED_HEADERS,
  FLUSH_LSN_SOURCE,
  HEARTBEAT_ACTION_QUERY,
  HEARTBEAT_INTERVAL,
  HEARTBEAT_PREFIX,
  HSTORE_MODE,
  INCLUDE_UNKNOWN,
  INTERVAL_MODE,
  LSN_FLUSH_MODE,
  MAX_BATCH_SIZE,
  MONEY_FRACTION_DIGITS,
  POLL_INTERVAL,
  PUBLICATION_AUTOCREATE,
  PUBLICATION_NAME,
  postgresConfigDef,
  SKIPPED_OPERATIONS,
  SLOT_NAME,
  SNAPSHOT_FETCH_SIZE,
  SNAPSHOT_MODE,
  type SnapshotMode,
  STATUS_UPDATE_INTERVAL,
  TIME_PRECISION_MODE,
  TOMBSTONES_ON_DELETE,
  TOPIC_DELIMITER,
  TOPIC_PREFIX,
  UNAVAILABLE_PLACEHOLDER,
} from './config.js';
import { lost, transient } from './connection-loss.js';
import { checkReplicationRole, clientConfig, connectSql } from './database.js';
import { tableSchemas, topicName } from './event-schemas.js';
import {
  type CapturedTable,
  changeRecords,
  contextHeaders,
  type EventContext,
  heartbeatRecord,
  type Op,
} from './events.js';
import { type Filters, filters, tableKey } from './filters.js';
import {
  type CdcOffset,
  flushableLsn,
  partitionOf,
  readOffset,
  resumeLsn,
  snapshotUnfinished,
  toMap,
} from './offsets.js';
import { TypeCatalog } from './pg-types.js';
import { ensurePublication } from './publication.js';
import { ReplicationConnection } from './replication-connection.js';
import { releaseSlot, retainedWalBytes, slotState, waitInactive } from './slot.js';
import { SnapshotReader } from './snapshot.js';
import { needsSnapshot } from './snapshot-mode.js';
import { capturedTables, type TableInfo } from './tables.js';
import type { HandlingModes } from './value-converters.js';

type Phase =
  | { name: 'snapshot'; reader: SnapshotReader; tx: pg.Client; txId: number; startLsn: bigint }
  | { name: 'stream'; stream: ChangeStream }
  | { name: 'done' };

/**
 * One bounded batch of Debezium's PostgreSQL task: prepares slot and publication, snapshots or streams
 * (pgoutput) from where the committed offset says, and confirms an LSN to the slot only in `commit()`,
 * after the batch's records are in Kafka and their offsets stored — so the WAL is released only then.
 */
export class PostgresConnectorTask extends SourceTask {
  private p: Record<string, unknown> = {};
  private f!: Filters;
  private modes!: HandlingModes;
  private ctx!: EventContext;
  private catalog?: TypeCatalog;
  private sql?: pg.Client;
  private repl?: ReplicationConnection;
  private phase?: Phase;
  private prepared?: Promise<void>;
  private lastCommittedOffset?: CdcOffset;
  private lastHeartbeat = Date.now();
  /** Records answered since the last commit(): a reconnect must not resume behind them. */
  private answeredSinceCommit = 0;
  private stopped = false;
  private readonly captured = new Map<string, CapturedTable | null>();
  /** Bytes of WAL the slot retains, read at each commit (the runtime publishes it as a metric). */
  retainedWal?: number;

  version = () => DEBEZIUM_VERSION;

  start(props: Readonly<Record<string, string>>): void {
    this.p = postgresConfigDef().parse(props);
    this.f = filters(this.p);
    this.modes = {
      decimal: lower(this.p[DECIMAL_MODE]) as HandlingModes['decimal'],
      time: lower(this.p[TIME_PRECISION_MODE]) as HandlingModes['time'],
      binary: lower(this.p[BINARY_MODE]) as HandlingModes['binary'],
      hstore: lower(this.p[HSTORE_MODE]) as HandlingModes['hstore'],
      interval: lower(this.p[INTERVAL_MODE]) as HandlingModes['interval'],
      moneyFractionDigits: this.p[MONEY_FRACTION_DIGITS] as number,
      includeUnknownDatatypes: this.p[INCLUDE_UNKNOWN] as boolean,
      unavailablePlaceholder: this.p[UNAVAILABLE_PLACEHOLDER] as string,
    };
    this.ctx = {
      topicPrefix: this.p[TOPIC_PREFIX] as string,
      db: this.p[DBNAME] as string,
      tombstonesOnDelete: this.p[TOMBSTONES_ON_DELETE] as boolean,
      partition: partitionOf(this.p[TOPIC_PREFIX] as string),
      now: () => BigInt(Date.now()) * 1000n,
      contextHeaders: this.p[EXTENDED_HEADERS]
        ? contextHeaders(this.p[TOPIC_PREFIX] as string, randomUUID())
        : [],
    };
  }

  async poll(): Promise<SourceRecord[] | null> {
    if (this.stopped) return null;
    try {
      return await this.pollOnce();
    } catch (error) {
      if (!transient(error)) throw error;
      // A warm task outlives its connections: a frozen Lambda's socket, a walsender the server ended
      // after wal_sender_timeout. Everything answered so far is committed, so reconnect now from the
      // committed offsets, once, instead of losing the batch.
      await this.close();
      if (this.answeredSinceCommit > 0) throw lost(error);
      try {
        return await this.pollOnce();
      } catch (again) {
        if (!transient(again)) throw again;
        await this.close();
        throw lost(again);
      }
    }
  }

  private async pollOnce(): Promise<SourceRecord[] | null> {
    this.prepared ??= this.prepare();
    await this.prepared;
    const records = await this.next();
    this.answeredSinceCommit += records?.length ?? 0;
    return records;
  }

  private async next(): Promise<SourceRecord[] | null> {
    const max = this.p[MAX_BATCH_SIZE] as number;
    const phase = this.phase as Phase;
    if (phase.name === 'snapshot') {
      const records = await this.snapshotRecords(phase, max);
      if (phase.reader.done) await this.finishSnapshot(phase);
      return records;
    }
    if (phase.name === 'done') {
      await new Promise((r) => setTimeout(r, Number(this.p[POLL_INTERVAL])));
      return null;
    }
    const records = await phase.stream.poll(max, Number(this.p[POLL_INTERVAL]));
    const heartbeat = await this.heartbeat(phase.stream);
    if (heartbeat) records.push(heartbeat);
    return records;
  }

  override commitRecord(record: SourceRecord): void {
    if (record.sourceOffset) this.lastCommittedOffset = readOffset(record.sourceOffset) ?? undefined;
  }

  /** The batch's offsets are stored: confirm the last completed transaction to the slot. */
  override async commit(): Promise<void> {
    this.answeredSinceCommit = 0;
    const offset = this.lastCommittedOffset;
    const flush = offset ? flushableLsn(offset) : undefined;
    if (flush !== undefined && !this.manualFlush() && this.phase?.name === 'stream')
      await this.repl?.confirm(flush);
    if (this.sql)
      this.retainedWal = await retainedWalBytes(this.sql, this.p[SLOT_NAME] as string).catch(() => undefined);
  }

  override backlogBytes(): number | undefined {
    return this.retainedWal;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.close();
  }

  private async close(): Promise<void> {
    await this.prepared?.catch(() => {});
    if (this.phase?.name === 'snapshot') await this.phase.tx.end().catch(() => {});
    await this.repl?.close();
    await this.sql?.end().catch(() => {});
    this.prepared = undefined;
    this.phase = undefined;
    this.repl = undefined;
    this.sql = undefined;
    this.captured.clear();
  }

  /** lsn.flush.mode=manual (or the deprecated flush.lsn.source=false): someone else advances the slot. */
  private manualFlush(): boolean {
    return lower(this.p[LSN_FLUSH_MODE]) === 'manual' || this.p[FLUSH_LSN_SOURCE] === false;
  }

  private async prepare(): Promise<void> {
    const app = `debezium-compatible ${this.ctx.topicPrefix}`;
    const sql = await connectSql(this.p, app);
    this.sql = sql;
    await checkReplicationRole(sql);
    this.catalog = await TypeCatalog.load(sql);
    const tables = await capturedTables(sql, this.f);
    const publication = this.p[PUBLICATION_NAME] as string;
    await ensurePublication(
      sql,
      publication,
      lower(this.p[PUBLICATION_AUTOCREATE]) as AutocreateMode,
      tables,
    );
    const slotName = this.p[SLOT_NAME] as string;
    const offset = readOffset(await this.context.offsetStorageReader().offset(this.ctx.partition));
    let slot = await slotState(sql, slotName);
    if (slot?.activePid) {
      await releaseSlot(sql, slot);
      slot = await waitInactive(sql, slotName);
    }
    const mode = lower(this.p[SNAPSHOT_MODE]) as SnapshotMode;
    const snapshot = needsSnapshot(mode, offset, slot);
    this.repl = await ReplicationConnection.open(clientConfig(this.p, app), {
      statusIntervalMs: this.p[STATUS_UPDATE_INTERVAL] as number,
    });
    let startLsn: bigint;
    let tx: pg.Client | undefined;
    let resume: { table: string; after: string[] } | undefined;
    if (!slot) {
      const created = await this.repl.createSlot(slotName);
      startLsn = created.consistentPoint;
      // The rows the snapshot reads are exactly those committed before the slot's starting point.
      if (snapshot) tx = await this.snapshotTransaction(created.snapshotName);
    } else if (snapshot) {
      const unfinished = offset !== null && snapshotUnfinished(offset) && offset.lsn !== undefined;
      startLsn = unfinished ? BigInt(offset.lsn as number) : (slot.confirmedFlushLsn ?? 0n);
      if (unfinished && offset.snapshot_table)
        resume = { table: offset.snapshot_table, after: JSON.parse(offset.snapshot_after ?? '[]') };
      tx = await this.snapshotTransaction();
    } else {
      startLsn = (offset && resumeLsn(offset)) ?? slot.confirmedFlushLsn ?? 0n;
    }
    if (tx) {
      const txId = Number((await tx.query('SELECT txid_current()::text AS id')).rows[0].id);
      const reader = new SnapshotReader(
        tx,
        tables.filter((t) => this.f.snapshots(t)),
        this.p[SNAPSHOT_FETCH_SIZE] as number,
        resume,
      );
      this.phase = { name: 'snapshot', reader, tx, txId, startLsn };
      return;
    }
    if (mode === 'initial_only') {
      this.phase = { name: 'done' };
      return;
    }
    await this.startStream(startLsn, offset);
  }

  private async snapshotTransaction(exported?: string): Promise<pg.Client> {
    const tx = await connectSql(this.p, `debezium-compatible ${this.ctx.topicPrefix} snapshot`);
    await tx.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    if (exported) await tx.query(`SET TRANSACTION SNAPSHOT '${exported.replace(/'/g, "''")}'`);
    return tx;
  }

  private async startStream(startLsn: bigint, resume: CdcOffset | null): Promise<void> {
    const repl = this.repl as ReplicationConnection;
    await repl.startStreaming(this.p[SLOT_NAME] as string, startLsn, {
      publications: [this.p[PUBLICATION_NAME] as string],
      messages: false,
    });
    // Offsets stored by a batch that ended before its commit() reached the slot: confirm them now.
    const flush = resume ? flushableLsn(resume) : undefined;
    if (flush !== undefined && !this.manualFlush()) await repl.confirm(flush);
    const skipped = new Set(
      (this.p[SKIPPED_OPERATIONS] as string[]).map((s) => s.trim().toLowerCase()).filter((s) => s !== 'none'),
    ) as Set<Op>;
    const stream = new ChangeStream(
      repl,
      this.sql as pg.Client,
      this.ctx,
      this.f,
      (relation, info) =>
        this.capture(
          {
            ...info,
            // The relation message is what the WAL was written with; the catalog only adds nullability.
            columns: relation.columns.map((c) => ({
              name: c.name,
              typeOid: c.typeOid,
              typeMod: c.typeMod,
              optional: info.columns.find((x) => x.name === c.name)?.optional ?? true,
            })),
          },
          false,
        ),
      skipped,
      resume,
      startLsn,
    );
    this.phase = { name: 'stream', stream };
  }

  private async snapshotRecords(
    phase: Extract<Phase, { name: 'snapshot' }>,
    max: number,
  ): Promise<SourceRecord[]> {
    const rows = await phase.reader.next(max);
    const out: SourceRecord[] = [];
    for (const row of rows) {
      const t = this.capture(row.table, true);
      if (!t) continue;
      const tsUs = this.ctx.now();
      const offset = toMap({
        ts_usec: Number(tsUs),
        txId: phase.txId,
        lsn: Number(phase.startLsn),
        snapshot: 'INITIAL',
        snapshot_completed: row.last,
        last_snapshot_record: row.last,
        snapshot_table: tableKey(row.table),
        snapshot_after: JSON.stringify(row.after),
      });
      const info = {
        tsUs,
        snapshot: row.marker,
        txId: phase.txId,
        lsn: phase.startLsn,
        lastCommitLsn: null,
        sequenceLsn: phase.startLsn,
      };
      out.push(...changeRecords(this.ctx, t, 'r', { after: row.values }, info, offset));
    }
    return out;
  }

  private async finishSnapshot(phase: Extract<Phase, { name: 'snapshot' }>): Promise<void> {
    await phase.tx.query('COMMIT');
    await phase.tx.end();
    if (lower(this.p[SNAPSHOT_MODE]) === 'initial_only') {
      this.phase = { name: 'done' };
      return;
    }
    await this.startStream(phase.startLsn, null);
  }

  /** The captured view of a table, cached by schema.table until a relation message redefines it. */
  private capture(info: TableInfo, cached: boolean): CapturedTable | undefined {
    const key = tableKey(info);
    if (cached && this.captured.has(key)) return this.captured.get(key) ?? undefined;
    const topic = topicName(this.ctx.topicPrefix, info.schema, info.table, this.p[TOPIC_DELIMITER] as string);
    const columns = info.columns.filter((c) => this.f.column(info, c.name));
    const keyColumns = this.f.keyColumns(info) ?? info.primaryKey;
    const schemas = tableSchemas({
      topic,
      table: { schema: info.schema, table: info.table },
      columns,
      // As columns, not names: a key column column.exclude.list drops from the value stays in the key.
      keyColumns: keyColumns.flatMap((name) => info.columns.filter((c) => c.name === name)),
      catalog: this.catalog as TypeCatalog,
      modes: this.modes,
    });
    const t: CapturedTable = {
      schema: info.schema,
      table: info.table,
      schemas,
      topic,
      columns: info.columns.map((c) => c.name),
      keyColumns,
    };
    this.captured.set(key, t);
    return t;
  }

  private async heartbeat(stream: ChangeStream): Promise<SourceRecord | undefined> {
    const interval = this.p[HEARTBEAT_INTERVAL] as number;
    if (interval <= 0 || Date.now() - this.lastHeartbeat < interval) return undefined;
    this.lastHeartbeat = Date.now();
    const query = this.p[HEARTBEAT_ACTION_QUERY] as string | null;
    if (query) await this.sql?.query(query);
    const position = stream.committedPosition;
    if (stream.inTransaction || position === undefined) return undefined;
    const lsn = Number(position);
    const offset = toMap({ ts_usec: Number(this.ctx.now()), lsn, lsn_proc: lsn, lsn_commit: lsn });
    const topic = `${this.p[HEARTBEAT_PREFIX]}${this.p[TOPIC_DELIMITER]}${this.ctx.topicPrefix}`;
    return heartbeatRecord(this.ctx, topic, offset);
  }
}

const lower = (v: unknown) => String(v).trim().toLowerCase();
