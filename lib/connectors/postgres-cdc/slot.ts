import type pg from 'pg';
import { parseLsn } from './lsn.js';

export interface SlotState {
  plugin: string;
  database: string;
  /** The walsender reading it now, if any. */
  activePid: number | null;
  restartLsn: bigint | null;
  confirmedFlushLsn: bigint | null;
}

export async function slotState(client: pg.ClientBase, name: string): Promise<SlotState | undefined> {
  const { rows } = await client.query<{
    plugin: string;
    database: string;
    active_pid: number | null;
    restart_lsn: string | null;
    confirmed_flush_lsn: string | null;
  }>(
    `SELECT plugin, database, active_pid, restart_lsn::text, confirmed_flush_lsn::text
       FROM pg_replication_slots WHERE slot_name = $1`,
    [name],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    plugin: r.plugin,
    database: r.database,
    activePid: r.active_pid,
    restartLsn: r.restart_lsn ? parseLsn(r.restart_lsn) : null,
    confirmedFlushLsn: r.confirmed_flush_lsn ? parseLsn(r.confirmed_flush_lsn) : null,
  };
}

/** Bytes of WAL the slot keeps on the server (current WAL position minus the slot's restart_lsn). */
export async function retainedWalBytes(client: pg.ClientBase, name: string): Promise<number | undefined> {
  const { rows } = await client.query<{ bytes: string | null }>(
    `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::text AS bytes
       FROM pg_replication_slots WHERE slot_name = $1`,
    [name],
  );
  const bytes = rows[0]?.bytes;
  return bytes === null || bytes === undefined ? undefined : Number(bytes);
}

/**
 * Ends a walsender still holding the slot: a batch that died without closing its connection (a Lambda
 * killed at its timeout) leaves one until TCP notices; the lease guarantees it is not a live owner.
 */
export async function releaseSlot(client: pg.ClientBase, state: SlotState): Promise<void> {
  if (state.activePid !== null) await client.query('SELECT pg_terminate_backend($1)', [state.activePid]);
}

export async function dropSlot(client: pg.ClientBase, name: string): Promise<void> {
  await client.query(
    'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1',
    [name],
  );
}

/** The slot's state once no walsender holds it (a terminated one takes a moment to let go). */
export async function waitInactive(sql: pg.ClientBase, slot: string): Promise<SlotState | undefined> {
  for (let i = 0; i < 50; i++) {
    const state = await slotState(sql, slot);
    if (!state?.activePid) return state;
    await new Promise((r) => setTimeout(r, 100));
  }
  return slotState(sql, slot);
}
