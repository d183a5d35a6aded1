import type pg from 'pg';
import type { SourceRecord } from '../../api/index.js';
import { type CapturedTable, changeRecords, type EventContext, type Op, tupleValues } from './events.js';
import type { Filters } from './filters.js';
import type { CdcOffset } from './offsets.js';
import { toMap } from './offsets.js';
import type { Relation } from './pgoutput.js';
import type { ReplicationConnection, WalEvent } from './replication-connection.js';
import { describe, type TableInfo } from './tables.js';

/** Builds the captured view of a table the stream announced (schemas, topic), or undefined if not captured. */
export type TableResolver = (relation: Relation, catalogRow: TableInfo) => CapturedTable | undefined;

interface OpenTransaction {
  xid: number;
  commitTimeUs: bigint;
}

const MESSAGE_TYPE: Record<'insert' | 'update' | 'delete' | 'truncate', string> = {
  insert: 'INSERT',
  update: 'UPDATE',
  delete: 'DELETE',
  truncate: 'TRUNCATE',
};

/**
 * Turns the pgoutput stream into Debezium's change records. Each record's offset names its transaction
 * (`txId`), its own LSN (`lsn`, `lsn_proc`) and the end of the last transaction completed before it
 * (`lsn_commit`): streaming resumes from `lsn_commit`, so a transaction a batch end cut in two is sent
 * again by the server, and its changes up to the stored `lsn` are skipped (Debezium's WalPositionLocator).
 */
export class ChangeStream {
  private tables = new Map<number, CapturedTable | null>();
  private tx?: OpenTransaction;
  private lastCommitEnd?: bigint;
  /** The last commit `source.sequence` names: as stored, or none yet after a snapshot (as Debezium's). */
  private lastCommitSeen: bigint | null = null;
  private readonly skipUpTo?: { txId: number; lsn: bigint };
  /** The records of the open transaction's latest change, while they are still in this poll's answer. */
  private lastChange?: { out: SourceRecord[]; from: number };

  constructor(
    private readonly repl: ReplicationConnection,
    private readonly sql: pg.ClientBase,
    private readonly ctx: EventContext,
    private readonly filters: Filters,
    private readonly resolve: TableResolver,
    private readonly skipped: ReadonlySet<Op>,
    resume: CdcOffset | null,
    startLsn: bigint,
  ) {
    this.lastCommitEnd = resume?.lsn_commit !== undefined ? BigInt(resume.lsn_commit) : startLsn;
    if (resume?.lsn_commit !== undefined) this.lastCommitSeen = BigInt(resume.lsn_commit);
    if (resume?.txId !== undefined && resume.lsn !== undefined && resume.snapshot === undefined)
      this.skipUpTo = { txId: resume.txId, lsn: BigInt(resume.lsn) };
  }

  /** Between a BEGIN and its COMMIT: a heartbeat then carries no position. */
  get inTransaction(): boolean {
    return this.tx !== undefined;
  }

  /** The end of the last completed transaction seen (what a heartbeat may carry). */
  get committedPosition(): bigint | undefined {
    return this.lastCommitEnd;
  }

  /** Up to about `max` records; waits at most `waitMs` for the first event and answers what came. */
  async poll(max: number, waitMs: number): Promise<SourceRecord[]> {
    const out: SourceRecord[] = [];
    let wait = waitMs;
    while (out.length < max) {
      const event = await this.repl.next(wait);
      if (!event) break;
      // Once events flow, take what is buffered without waiting again.
      wait = 0;
      await this.handle(event, out);
    }
    return out;
  }

  private async handle(event: WalEvent, out: SourceRecord[]): Promise<void> {
    const m = event.message;
    switch (m.tag) {
      case 'begin':
        this.lastChange = undefined;
        this.tx = { xid: m.xid, commitTimeUs: m.commitTimeUs };
        return;
      case 'commit':
        this.markCompleted(out, m.endLsn);
        this.lastCommitEnd = m.endLsn;
        this.lastCommitSeen = m.endLsn;
        this.tx = undefined;
        return;
      case 'relation':
        this.tables.set(m.relation.oid, await this.capture(m.relation));
        return;
      case 'insert':
      case 'update':
      case 'delete': {
        const t = await this.table(m.relation);
        if (!t || this.alreadyEmitted(event.lsn)) return;
        const op: Op = m.tag === 'insert' ? 'c' : m.tag === 'update' ? 'u' : 'd';
        if (this.skipped.has(op)) return;
        const oldTuple = m.tag === 'insert' ? undefined : (m.old ?? m.key);
        const before = oldTuple ? tupleValues(t, oldTuple) : undefined;
        const after = m.tag === 'delete' ? undefined : tupleValues(t, m.new);
        // An unchanged TOAST datum the old tuple carries (REPLICA IDENTITY FULL) is its value.
        if (after && before)
          for (const [k, v] of after)
            if (typeof v === 'symbol' && typeof before.get(k) === 'string')
              after.set(k, before.get(k) ?? null);
        // With REPLICA IDENTITY DEFAULT a key tuple comes only when the key changed; the update's `before` is null otherwise.
        const rows = m.tag === 'update' && !m.old && !m.key ? { after } : { before, after };
        this.lastChange = { out, from: out.length };
        out.push(
          ...changeRecords(this.ctx, t, op, rows, this.info(event.lsn), this.offset(event.lsn, m.tag)),
        );
        return;
      }
      case 'truncate': {
        if (this.skipped.has('t') || this.alreadyEmitted(event.lsn)) return;
        for (const relation of m.relations) {
          const t = await this.table(relation);
          if (t)
            out.push(
              ...changeRecords(this.ctx, t, 't', {}, this.info(event.lsn), this.offset(event.lsn, m.tag)),
            );
        }
        return;
      }
      default:
        return;
    }
  }

  /**
   * The transaction's last change is still in this answer when its COMMIT arrives: its offset then names
   * the transaction's end as `lsn_commit`, so committing it lets the slot release the whole transaction
   * and a restart does not send it again (otherwise it would be, up to that change, and skipped).
   */
  private markCompleted(out: SourceRecord[], endLsn: bigint): void {
    const last = this.lastChange;
    this.lastChange = undefined;
    if (!last || last.out !== out) return;
    for (let i = last.from; i < out.length; i++) {
      const r = out[i] as SourceRecord;
      out[i] = r.with({ sourceOffset: { ...r.sourceOffset, lsn_commit: Number(endLsn) } });
    }
  }

  /** A change of the transaction a batch end cut, already emitted before the resume point. */
  private alreadyEmitted(lsn: bigint): boolean {
    const skip = this.skipUpTo;
    return skip !== undefined && this.tx?.xid === skip.txId && lsn <= skip.lsn;
  }

  private info(lsn: bigint) {
    return {
      tsUs: this.tx?.commitTimeUs ?? this.ctx.now(),
      txId: this.tx?.xid,
      lsn,
      lastCommitLsn: this.lastCommitSeen,
      sequenceLsn: lsn,
    };
  }

  private offset(lsn: bigint, tag: keyof typeof MESSAGE_TYPE) {
    const o: CdcOffset = {
      ts_usec: this.tx ? Number(this.tx.commitTimeUs) : undefined,
      txId: this.tx?.xid,
      lsn: Number(lsn),
      lsn_proc: Number(lsn),
      lsn_commit: this.lastCommitEnd === undefined ? undefined : Number(this.lastCommitEnd),
      messageType: MESSAGE_TYPE[tag],
    };
    return toMap(o);
  }

  private async table(relation: Relation): Promise<CapturedTable | undefined> {
    if (!this.tables.has(relation.oid)) this.tables.set(relation.oid, await this.capture(relation));
    return this.tables.get(relation.oid) ?? undefined;
  }

  private async capture(relation: Relation): Promise<CapturedTable | null> {
    if (!this.filters.captures({ schema: relation.schema, table: relation.name })) return null;
    const [row] = await describe(this.sql, [relation.oid]);
    return (row && this.resolve(relation, row)) ?? null;
  }
}
