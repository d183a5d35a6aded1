import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLsn, parseLsn } from '../../../../lib/connectors/postgres-cdc/lsn.js';
import { type PgOutputMessage, UNCHANGED_TOAST } from '../../../../lib/connectors/postgres-cdc/pgoutput.js';
import {
  ReplicationConnection,
  type ReplicationOptions,
  type WalEvent,
} from '../../../../lib/connectors/postgres-cdc/replication-connection.js';
import { POSTGRES_CDC_URL, uniqueName } from '../../../support/services.js';

// The replication protocol layer against a real PostgreSQL with wal_level=logical (the dev stack's).
const name = (prefix: string) => uniqueName(prefix).replace(/-/g, '_');
const slots: string[] = [];
const publications: string[] = [];
const tables: string[] = [];
const opened: ReplicationConnection[] = [];
let admin: pg.Client;

type Of<T extends PgOutputMessage['tag']> = Extract<PgOutputMessage, { tag: T }>;

async function open(options?: ReplicationOptions, startup?: string): Promise<ReplicationConnection> {
  const rc = await ReplicationConnection.open(
    { connectionString: POSTGRES_CDC_URL, options: startup },
    options,
  );
  opened.push(rc);
  return rc;
}

async function table(prefix: string, columns: string, after = ''): Promise<string> {
  const t = name(prefix);
  tables.push(t);
  await admin.query(`CREATE TABLE ${t} (${columns}); ${after.replaceAll('$t', t)}`);
  return t;
}

async function publication(...forTables: string[]): Promise<string> {
  const p = name('cdc_pub');
  publications.push(p);
  await admin.query(`CREATE PUBLICATION ${p} FOR TABLE ${forTables.join(', ')}`);
  return p;
}

/** A slot created on a connection of its own (then closed), as the task creates it before streaming. */
async function slot(): Promise<{ slot: string; consistentPoint: bigint }> {
  const s = name('cdc_slot');
  slots.push(s);
  const rc = await open();
  const { consistentPoint } = await rc.createSlot(s);
  await rc.close();
  await slotReleased(s);
  return { slot: s, consistentPoint };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A closed walsender releases its slot as it exits, a moment after the socket closed. */
const slotReleased = (s: string) =>
  until(`slot ${s} released`, async () => {
    const { rows } = await admin.query('SELECT active FROM pg_replication_slots WHERE slot_name = $1', [s]);
    return rows[0]?.active === false ? true : undefined;
  });

const slotState = async (s: string) =>
  (
    await admin.query(
      'SELECT confirmed_flush_lsn::text AS confirmed, active_pid FROM pg_replication_slots WHERE slot_name = $1',
      [s],
    )
  ).rows[0] as { confirmed: string; active_pid: number | null };

/** When the walsender of slot `s` last heard from us (pg_stat_replication.reply_time, PostgreSQL 12+). */
async function replyTime(s: string): Promise<Date | undefined> {
  const { rows } = await admin.query(
    'SELECT reply_time FROM pg_stat_replication r JOIN pg_replication_slots s ON s.active_pid = r.pid WHERE slot_name = $1',
    [s],
  );
  return rows[0]?.reply_time ?? undefined;
}

/** Events up to and including the `count`-th commit. */
async function transactions(rc: ReplicationConnection, count: number): Promise<WalEvent[]> {
  const events: WalEvent[] = [];
  let commits = 0;
  while (commits < count) {
    const event = await rc.next(20_000);
    if (!event) throw new Error(`No event within 20 s after ${events.length} events`);
    events.push(event);
    if (event.message.tag === 'commit') commits++;
  }
  return events;
}

const changes = (events: WalEvent[]) =>
  events
    .map((e) => e.message)
    .filter((m) => m.tag === 'insert' || m.tag === 'update' || m.tag === 'delete' || m.tag === 'truncate');

beforeAll(async () => {
  admin = new pg.Client({ connectionString: POSTGRES_CDC_URL });
  await admin.connect();
  const { rows } = await admin.query('SHOW wal_level');
  expect(rows[0].wal_level).toBe('logical');
});

afterAll(async () => {
  await Promise.all(opened.map((rc) => rc.close()));
  if (!admin) return;
  await admin.query(
    'SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = ANY($1) AND active',
    [slots],
  );
  for (const s of slots) {
    await slotReleased(s).catch(() => {});
    await admin.query(
      'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1',
      [s],
    );
  }
  for (const p of publications) await admin.query(`DROP PUBLICATION IF EXISTS ${p}`);
  for (const t of tables) await admin.query(`DROP TABLE IF EXISTS ${t}`);
  await admin.end();
});

describe('ReplicationConnection', () => {
  it('identifies the system and creates a slot whose exported snapshot holds exactly the rows committed before it', async () => {
    // Prepare
    const t = await table('cdc_snap', 'id int PRIMARY KEY');
    await admin.query(`INSERT INTO ${t} SELECT generate_series(1, 3)`);
    const rc = await open();
    const s = name('cdc_slot');
    slots.push(s);
    // Act
    const system = await rc.identifySystem();
    const created = await rc.createSlot(s);
    await admin.query(`INSERT INTO ${t} VALUES (4)`);
    const reader = new pg.Client({ connectionString: POSTGRES_CDC_URL });
    await reader.connect();
    let seen: number[];
    try {
      await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await reader.query(`SET TRANSACTION SNAPSHOT '${created.snapshotName}'`);
      seen = (await reader.query(`SELECT id FROM ${t} ORDER BY id`)).rows.map((r) => r.id);
      await reader.query('COMMIT');
    } finally {
      await reader.end();
    }
    // Assess
    expect(system).toMatchObject({ timeline: expect.any(Number), dbname: expect.any(String) });
    expect(system.systemId).toMatch(/^\d+$/);
    expect(system.xlogpos).toBeGreaterThan(0n);
    expect(seen).toEqual([1, 2, 3]);
    expect(created.snapshotName).toMatch(/^[0-9A-F]+-[0-9A-F]+-\d+$/);
    expect(created.consistentPoint).toBeGreaterThanOrEqual(system.xlogpos);
    expect(parseLsn((await slotState(s)).confirmed)).toBe(created.consistentPoint);
    await rc.close();
  });

  it('streams insert, update, delete and truncate with REPLICA IDENTITY DEFAULT and FULL', async () => {
    // Prepare
    const byDefault = await table('cdc_default', 'id int PRIMARY KEY, v text');
    const full = await table(
      'cdc_full',
      'id int PRIMARY KEY, v text',
      'ALTER TABLE $t REPLICA IDENTITY FULL',
    );
    const pub = await publication(byDefault, full);
    const { slot: s, consistentPoint } = await slot();
    const rc = await open();
    await rc.startStreaming(s, consistentPoint, { publications: [pub], messages: false });
    // Act
    for (const t of [byDefault, full]) {
      await admin.query(`INSERT INTO ${t} VALUES (1, 'a'), (2, NULL)`);
      // Invalidates the table's cache entry, as an autoanalyze may: pgoutput describes it once more.
      await admin.query(`ANALYZE ${t}`);
      await admin.query(`UPDATE ${t} SET v = 'b' WHERE id = 1`);
      await admin.query(`UPDATE ${t} SET id = 3 WHERE id = 1`);
      await admin.query(`DELETE FROM ${t} WHERE id = 2`);
    }
    await admin.query(`TRUNCATE ${byDefault}, ${full} RESTART IDENTITY`);
    const events = await transactions(rc, 9);
    // Assess
    // Each table is described before its first change, and again before the truncate (a new relfilenode).
    // pgoutput may describe a table once more whenever its cache entry is invalidated (an autoanalyze, a
    // catalog change elsewhere in the database), so what is asserted is the order that must hold.
    const messages = events.map((e) => e.message);
    const relations = messages.flatMap((m) => (m.tag === 'relation' ? [m.relation] : []));
    expect(new Set(relations.map((r) => `${r.name}:${r.replicaIdentity}`))).toEqual(
      new Set([`${byDefault}:default`, `${full}:full`]),
    );
    const truncateAt = messages.findIndex((m) => m.tag === 'truncate');
    for (const t of [byDefault, full]) {
      const describedAt = messages.flatMap((m, i) =>
        m.tag === 'relation' && m.relation.name === t ? [i] : [],
      );
      const changedAt = messages.flatMap((m, i) =>
        (m.tag === 'insert' || m.tag === 'update' || m.tag === 'delete') && m.relation.name === t ? [i] : [],
      );
      expect(describedAt[0]).toBeLessThan(changedAt[0]!);
      expect(describedAt.some((i) => i > changedAt.at(-1)! && i < truncateAt)).toBe(true);
    }
    expect(relations.find((r) => r.name === byDefault)!.columns).toEqual([
      { name: 'id', isKey: true, typeOid: 23, typeMod: -1 },
      { name: 'v', isKey: false, typeOid: 25, typeMod: -1 },
    ]);
    // With FULL every column is part of the replica identity, whatever the primary key.
    expect(relations.find((r) => r.name === full)!.columns.map((c) => c.isKey)).toEqual([true, true]);
    const shape = (m: PgOutputMessage) =>
      m.tag === 'truncate'
        ? {
            tag: m.tag,
            tables: m.relations.map((r) => r.name),
            cascade: m.cascade,
            restart: m.restartIdentity,
          }
        : { ...m, relation: (m as Of<'insert'>).relation.name };
    expect(changes(events).map(shape)).toEqual([
      { tag: 'insert', relation: byDefault, new: ['1', 'a'] },
      { tag: 'insert', relation: byDefault, new: ['2', null] },
      { tag: 'update', relation: byDefault, new: ['1', 'b'] },
      { tag: 'update', relation: byDefault, key: ['1', null], new: ['3', 'b'] },
      { tag: 'delete', relation: byDefault, key: ['2', null] },
      { tag: 'insert', relation: full, new: ['1', 'a'] },
      { tag: 'insert', relation: full, new: ['2', null] },
      { tag: 'update', relation: full, old: ['1', 'a'], new: ['1', 'b'] },
      { tag: 'update', relation: full, old: ['1', 'b'], new: ['3', 'b'] },
      { tag: 'delete', relation: full, old: ['2', null] },
      { tag: 'truncate', tables: [byDefault, full], cascade: false, restart: true },
    ]);
  });

  it('marks an unchanged TOAST column of an updated row as UNCHANGED_TOAST', async () => {
    // Prepare: EXTERNAL keeps the value uncompressed, so 3 kB goes out of line for certain.
    const t = await table(
      'cdc_toast',
      'id int PRIMARY KEY, n int, big text',
      'ALTER TABLE $t ALTER big SET STORAGE EXTERNAL',
    );
    const pub = await publication(t);
    const { slot: s, consistentPoint } = await slot();
    const rc = await open();
    await rc.startStreaming(s, consistentPoint, { publications: [pub], messages: false });
    const big = 'ü'.repeat(1_500);
    // Act
    await admin.query(`INSERT INTO ${t} VALUES (1, 0, $1)`, [big]);
    await admin.query(`UPDATE ${t} SET n = 1 WHERE id = 1`);
    const [insert, update] = changes(await transactions(rc, 2)) as [Of<'insert'>, Of<'update'>];
    // Assess
    expect(insert.new).toEqual(['1', '0', big]);
    expect(update.new).toEqual(['1', '1', UNCHANGED_TOAST]);
  });

  it("gives a transaction's begin and commit LSNs, its xid and commit time", async () => {
    // Prepare
    const t = await table('cdc_tx', 'id int PRIMARY KEY');
    const pub = await publication(t);
    const { slot: s, consistentPoint } = await slot();
    const rc = await open();
    await rc.startStreaming(s, consistentPoint, { publications: [pub], messages: true });
    // Act
    await admin.query('BEGIN');
    const { rows } = await admin.query(
      `SELECT (pg_current_xact_id()::text::bigint % 4294967296)::int8 AS xid,
              (extract(epoch FROM now()) * 1000000)::int8 AS now_us`,
    );
    await admin.query(`INSERT INTO ${t} VALUES (1), (2)`);
    await admin.query(`SELECT pg_logical_emit_message(true, 'cdc-test', 'hé')`);
    await admin.query('COMMIT');
    const after = parseLsn((await admin.query('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0].lsn);
    const events = await transactions(rc, 1);
    // Assess
    const begin = events[0]!.message as Of<'begin'>;
    const commit = events.at(-1)!.message as Of<'commit'>;
    const message = events.find((e) => e.message.tag === 'message')!.message as Of<'message'>;
    expect(events.map((e) => e.message.tag)).toEqual([
      'begin',
      'relation',
      'insert',
      'insert',
      'message',
      'commit',
    ]);
    expect(begin.xid).toBe(Number(rows[0].xid));
    expect(begin.finalLsn).toBe(commit.commitLsn);
    expect(commit.commitTimeUs).toBe(begin.commitTimeUs);
    expect(begin.commitTimeUs).toBeGreaterThanOrEqual(BigInt(rows[0].now_us));
    expect(begin.commitTimeUs).toBeLessThan(BigInt(rows[0].now_us) + 60_000_000n);
    expect(commit.endLsn).toBeGreaterThan(commit.commitLsn);
    expect(commit.endLsn).toBeLessThanOrEqual(after);
    // A commit's XLogData starts at the transaction's end: the LSN to confirm once it is stored.
    expect(events.at(-1)!.lsn).toBe(commit.endLsn);
    const changeLsns = events.slice(2, 5).map((e) => e.lsn);
    // In WAL order between the transaction's first record and its commit record (a message reports its end).
    expect(changeLsns).toEqual([...changeLsns].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(changeLsns[0]).toBe(events[0]!.lsn);
    expect(changeLsns[2]).toBeLessThanOrEqual(commit.commitLsn);
    expect(message).toMatchObject({ transactional: true, prefix: 'cdc-test', lsn: changeLsns[2] });
    expect(message.content.toString('utf8')).toBe('hé');
  });

  it('moves confirmed_flush_lsn to the confirmed LSN and no further, while answering keepalives', async () => {
    // Prepare: with a 2 s wal_sender_timeout the server asks for a reply every second and ends a session
    // that does not answer; the interval's own updates are far off, so only the answers keep it alive.
    const t = await table('cdc_confirm', 'id int PRIMARY KEY');
    const pub = await publication(t);
    const { slot: s, consistentPoint } = await slot();
    const rc = await open({ statusIntervalMs: 600_000 }, '-c wal_sender_timeout=2s');
    await rc.startStreaming(s, consistentPoint, { publications: [pub], messages: false });
    await admin.query(`INSERT INTO ${t} VALUES (1)`);
    const first = (await transactions(rc, 1)).at(-1)!;
    // Act
    await rc.confirm(first.lsn);
    await until('confirmed_flush_lsn at the confirmed LSN', async () =>
      (await slotState(s)).confirmed === formatLsn(first.lsn) ? true : undefined,
    );
    await admin.query(`INSERT INTO ${t} VALUES (2)`);
    const second = (await transactions(rc, 1)).at(-1)!;
    const before = await replyTime(s);
    expect(await rc.next(4_000)).toBeNull();
    // Assess
    expect(second.lsn).toBeGreaterThan(first.lsn);
    expect(rc.serverWalEnd()).toBeGreaterThanOrEqual(second.lsn);
    expect((await replyTime(s))!.getTime()).toBeGreaterThan(before!.getTime());
    const state = await slotState(s);
    expect(state.active_pid).not.toBeNull();
    expect(state.confirmed).toBe(formatLsn(first.lsn));
  });

  it('sends a status update on its interval while the caller reads nothing', async () => {
    // Prepare: the default wal_sender_timeout (60 s) asks for no reply within this test.
    const t = await table('cdc_status', 'id int PRIMARY KEY');
    const pub = await publication(t);
    const { slot: s, consistentPoint } = await slot();
    const rc = await open({ statusIntervalMs: 300 });
    await rc.startStreaming(s, consistentPoint, { publications: [pub], messages: false });
    const first = await until('a first status update', () => replyTime(s));
    // Act
    const later = await until('a later status update', async () => {
      const time = await replyTime(s);
      return time && time.getTime() > first.getTime() ? time : undefined;
    });
    // Assess
    expect(later.getTime()).toBeGreaterThan(first.getTime());
    expect(parseLsn((await slotState(s)).confirmed)).toBe(consistentPoint);
  });

  it('restarts from a confirmed LSN without redelivering the transactions before it', async () => {
    // Prepare
    const t = await table('cdc_restart', 'id int PRIMARY KEY');
    const pub = await publication(t);
    const { slot: s, consistentPoint } = await slot();
    await admin.query(`INSERT INTO ${t} VALUES (1)`);
    await admin.query(`INSERT INTO ${t} VALUES (2)`);
    await admin.query(`INSERT INTO ${t} VALUES (3)`);
    const inserted = (events: WalEvent[]) => changes(events).map((m) => (m as Of<'insert'>).new[0]);
    const first = await open();
    await first.startStreaming(s, consistentPoint, { publications: [pub], messages: false });
    const one = await transactions(first, 1);
    const confirmed = one.at(-1)!.lsn;
    await first.confirm(confirmed);
    await first.close();
    await slotReleased(s);
    // Act
    const fromStored = await open();
    await fromStored.startStreaming(s, confirmed, { publications: [pub], messages: false });
    const two = await transactions(fromStored, 1);
    await fromStored.close();
    await slotReleased(s);
    const fromSlot = await open();
    await fromSlot.startStreaming(s, 0n, { publications: [pub], messages: false });
    const again = await transactions(fromSlot, 2);
    // Assess
    expect(inserted(one)).toEqual(['1']);
    expect(inserted(two)).toEqual(['2']);
    expect(inserted(again)).toEqual(['2', '3']);
    expect(parseLsn((await slotState(s)).confirmed)).toBe(confirmed);
  });

  it('reads a backlog of 20,000 rows completely through a 1,000-event buffer', async () => {
    // Prepare
    const t = await table('cdc_backlog', 'id int PRIMARY KEY, pad text');
    const pub = await publication(t);
    const { slot: s, consistentPoint } = await slot();
    await admin.query(`INSERT INTO ${t} SELECT i, repeat('x', 100) FROM generate_series(1, 20000) AS i`);
    const rc = await open({ maxBufferedEvents: 1_000 });
    await rc.startStreaming(s, consistentPoint, { publications: [pub], messages: false });
    await until('a full buffer', async () => (rc.bufferedHighWater === 1_000 ? true : undefined));
    // Act
    const events = await transactions(rc, 1);
    // Assess
    const ids = changes(events).map((m) => Number((m as Of<'insert'>).new[0]));
    expect(ids).toHaveLength(20_000);
    expect(ids.every((id, i) => id === i + 1)).toBe(true);
    expect(rc.bufferedHighWater).toBe(1_000);
    // A paused socket reads nothing more: past the full buffer only the rest of the read in hand
    // (64 KiB per socket read) waits undecoded, not the 3 MB backlog.
    expect(rc.readAheadHighWater).toBeLessThanOrEqual(128 * 1024);
  });

  it('rejects a pending next() and the next one when the walsender is terminated, and still closes', async () => {
    // Prepare
    const t = await table('cdc_kill', 'id int PRIMARY KEY');
    const pub = await publication(t);
    const { slot: s, consistentPoint } = await slot();
    const rc = await open();
    await rc.startStreaming(s, consistentPoint, { publications: [pub], messages: false });
    // Its handler attached at once: the rejection may come before the terminating query returns.
    const pending = expect(rc.next(30_000)).rejects.toThrow(/terminating connection/);
    // Act
    await admin.query(
      'SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1',
      [s],
    );
    // Assess
    await pending;
    await expect(rc.next(1_000)).rejects.toThrow(/terminating connection/);
    await expect(rc.confirm(consistentPoint)).rejects.toThrow(/terminating connection/);
    await expect(rc.close()).resolves.toBeUndefined();
    await expect(rc.close()).resolves.toBeUndefined();
  });

  it('rejects next() when the socket closes without a word from the server', async () => {
    // Prepare: a TCP relay to PostgreSQL whose connections the test cuts, as a network failure would.
    const server = new URL(POSTGRES_CDC_URL);
    const relayed: Socket[] = [];
    const relay = createServer((socket) => {
      const upstream = connect(Number(server.port), server.hostname);
      relayed.push(socket, upstream);
      socket.pipe(upstream).pipe(socket);
      for (const s of [socket, upstream]) s.on('error', () => {});
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const t = await table('cdc_cut', 'id int PRIMARY KEY');
    const pub = await publication(t);
    const { slot: s, consistentPoint } = await slot();
    const rc = await ReplicationConnection.open({
      host: '127.0.0.1',
      port: (relay.address() as AddressInfo).port,
      user: decodeURIComponent(server.username),
      password: decodeURIComponent(server.password) || undefined,
      database: server.pathname.slice(1),
    });
    opened.push(rc);
    await rc.startStreaming(s, consistentPoint, { publications: [pub], messages: false });
    const pending = expect(rc.next(30_000)).rejects.toThrow(/Connection terminated unexpectedly/);
    // Act
    for (const socket of relayed) socket.destroy();
    relay.close();
    // Assess
    await pending;
    await expect(rc.close()).resolves.toBeUndefined();
  });

  it("rejects startStreaming with PostgreSQL's error for a missing and for an active slot", async () => {
    // Prepare
    const t = await table('cdc_refuse', 'id int PRIMARY KEY');
    const pub = await publication(t);
    const { slot: s } = await slot();
    const holder = await open();
    await holder.startStreaming(s, 0n, { publications: [pub], messages: false });
    const missing = await open();
    const busy = await open();
    // Act + Assess
    await expect(
      missing.startStreaming(name('cdc_none'), 0n, { publications: [pub], messages: false }),
    ).rejects.toThrow(/does not exist/);
    await expect(busy.startStreaming(s, 0n, { publications: [pub], messages: false })).rejects.toThrow(
      /is active/,
    );
  });

  it("applies startup options (DateStyle, TimeZone, IntervalStyle, bytea_output) to pgoutput's text", async () => {
    // Prepare
    const t = await table('cdc_styles', 'id int PRIMARY KEY, ts timestamptz, d date, iv interval, b bytea');
    const pub = await publication(t);
    const plain = await slot();
    const styled = await slot();
    await admin.query(
      `INSERT INTO ${t} VALUES (1, '2024-03-05 10:11:12.123456+00', '2024-03-05', '1 day 02:03:04.5', '\\x0102')`,
    );
    const read = async (startup: string, { slot: s, consistentPoint }: typeof plain) => {
      const rc = await open({}, startup);
      await rc.startStreaming(s, consistentPoint, { publications: [pub], messages: false });
      return (changes(await transactions(rc, 1))[0] as Of<'insert'>).new;
    };
    // Act
    const iso = await read('-c DateStyle=ISO -c TimeZone=UTC -c IntervalStyle=postgres', plain);
    const other = await read(
      '-c DateStyle=SQL,DMY -c TimeZone=Asia/Kolkata -c IntervalStyle=iso_8601 -c bytea_output=escape',
      styled,
    );
    // Assess
    expect(iso).toEqual(['1', '2024-03-05 10:11:12.123456+00', '2024-03-05', '1 day 02:03:04.5', '\\x0102']);
    expect(other).toEqual([
      '1',
      '05/03/2024 15:41:12.123456 IST',
      '05/03/2024',
      'P1DT2H3M4.5S',
      '\\001\\002',
    ]);
  });
});
