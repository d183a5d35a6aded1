import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceOffsetMap, SourceRecord, Struct } from '../../../../lib/api/index.js';
import { parseLsn } from '../../../../lib/connectors/postgres-cdc/lsn.js';
import { PostgresConnectorTask } from '../../../../lib/connectors/postgres-cdc/postgres-task.js';
import { debeziumConfig } from '../../../support/cdc.js';
import { POSTGRES_CDC_URL, uniqueName } from '../../../support/services.js';

// The task itself against the dev stack's logical PostgreSQL: what it reads, the offsets it writes, and
// when it lets the slot advance. The offset store is the runtime's job; here a map plays it.

let admin: pg.Client;
const cleanup: string[] = [];

beforeAll(async () => {
  admin = new pg.Client({ connectionString: POSTGRES_CDC_URL });
  await admin.connect();
});

afterAll(async () => {
  for (const sql of cleanup.reverse()) await admin.query(sql).catch(() => {});
  await admin.end();
});

const ident = () => uniqueName('cdc').replace(/-/g, '_');

/** A table, its slot and publication, all dropped after the file. */
async function fixture(ddl: (table: string) => string) {
  const name = ident();
  await admin.query(ddl(name));
  cleanup.push(`DROP TABLE IF EXISTS ${name}`);
  cleanup.push(
    `SELECT pg_drop_replication_slot('${name}') FROM pg_replication_slots WHERE slot_name = '${name}'`,
  );
  cleanup.push(`DROP PUBLICATION IF EXISTS ${name}`);
  const config: Record<string, string> = {
    ...debeziumConfig(name, `public.${name}`),
    'poll.interval.ms': '200',
  };
  return { table: name, config };
}

/** A task whose offset store holds `stored` (a function: what the runtime has committed by now). */
function task(
  config: Record<string, string>,
  stored: SourceOffsetMap | null | (() => SourceOffsetMap | null) = null,
) {
  const read = typeof stored === 'function' ? stored : () => stored;
  const t = new PostgresConnectorTask();
  t.initialize({
    configs: () => config,
    offsetStorageReader: () => ({
      offset: async () => read(),
      offsets: async (ps) => ps.map(() => read()),
    }),
  });
  t.start(config);
  return t;
}

/** Polls until `n` records came (or 15 s passed). */
async function take(t: PostgresConnectorTask, n: number): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  const deadline = Date.now() + 15_000;
  while (out.length < n && Date.now() < deadline) out.push(...((await t.poll()) ?? []));
  return out;
}

const value = (r: SourceRecord) => r.value as Struct | null;
const op = (r: SourceRecord) => (value(r)?.get('op') as string | undefined) ?? 'tombstone';
const afterField = (r: SourceRecord, field: string) => (value(r)?.get('after') as Struct | null)?.get(field);
const marker = (r: SourceRecord) => ((value(r) as Struct).get('source') as Struct).get('snapshot');

async function confirmedFlush(slot: string): Promise<bigint> {
  const { rows } = await admin.query(
    'SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1',
    [slot],
  );
  return parseLsn(rows[0].lsn);
}

describe('PostgresConnectorTask on a logical PostgreSQL', () => {
  it('snapshots, then streams inserts, updates and deletes; the slot advances only in commit()', async () => {
    const { table, config } = await fixture(
      (t) => `CREATE TABLE ${t} (id int PRIMARY KEY, name text NOT NULL, amount numeric(10,2))`,
    );
    await admin.query(`INSERT INTO ${table} VALUES (1, 'a', 1.50), (2, 'b', NULL), (3, 'c', -2.25)`);
    const t = task(config);
    try {
      const snapshot = await take(t, 3);
      expect(snapshot.map(op)).toEqual(['r', 'r', 'r']);
      expect(snapshot.map(marker)).toEqual(['first', 'true', 'last']);
      expect(snapshot.map((r) => afterField(r, 'id'))).toEqual([1, 2, 3]);
      expect(snapshot[0]?.topic).toBe(`${table}.public.${table}`);
      expect(snapshot[0]?.sourcePartition).toEqual({ server: table });
      expect(snapshot[2]?.sourceOffset).toMatchObject({ snapshot: 'INITIAL', last_snapshot_record: true });

      await admin.query(`INSERT INTO ${table} VALUES (4, 'd', 4.00)`);
      await admin.query(`UPDATE ${table} SET name = 'A' WHERE id = 1`);
      await admin.query(`DELETE FROM ${table} WHERE id = 2`);
      const stream = await take(t, 4);
      expect(stream.map(op)).toEqual(['c', 'u', 'd', 'tombstone']);
      // REPLICA IDENTITY DEFAULT: no old row on update; the key only on delete.
      expect(value(stream[1] as SourceRecord)?.get('before')).toBeNull();
      const deleted = value(stream[2] as SourceRecord)?.get('before') as Struct;
      expect(deleted.get('id')).toBe(2);
      expect(stream[3]?.key).toEqual(stream[2]?.key);
      const source = value(stream[0] as SourceRecord)?.get('source') as Struct;
      expect(source.get('connector')).toBe('postgresql');
      expect(source.get('name')).toBe(table);
      expect(source.get('db')).toBe(config['database.dbname']);
      expect(source.get('table')).toBe(table);
      expect(typeof source.get('txId')).not.toBe('undefined');
      expect(JSON.parse(source.get('sequence') as string)).toHaveLength(2);
      // Debezium's context headers (extended.headers.enabled, default true since 3.2.1).
      const headers = Object.fromEntries(
        [...(stream[0] as SourceRecord).headers].map((h) => [h.key, h.value]),
      );
      expect(headers).toMatchObject({
        '__debezium.context.connectorLogicalName': table,
        '__debezium.context.taskId': '0',
        '__debezium.context.connectorName': 'postgresql',
      });
      expect(headers['__debezium.context.runId']).toMatch(/^[0-9a-f-]{36}$/);
      expect([...(stream[3] as SourceRecord).headers]).toHaveLength(4); // the tombstone's too

      const before = await confirmedFlush(table);
      for (const r of [...snapshot, ...stream]) t.commitRecord(r);
      // commitRecord alone (Kafka acknowledged) does not release WAL: only commit() after the offsets are stored.
      expect(await confirmedFlush(table)).toBe(before);
      await t.commit();
      const last = stream[3]?.sourceOffset as Record<string, number>;
      await expect
        .poll(() => confirmedFlush(table), { timeout: 5_000 })
        .toBe(BigInt(last.lsn_commit as number));
      expect(await confirmedFlush(table)).toBeGreaterThan(before);
      // What the runtime publishes as SourceBacklogBytes: the WAL the slot still keeps.
      expect(t.backlogBytes()).toBeGreaterThanOrEqual(0);
    } finally {
      await t.stop();
    }
  });

  it('continues an interrupted snapshot after the last committed row, and resumes streaming inside a cut transaction', async () => {
    const { table, config } = await fixture((t) => `CREATE TABLE ${t} (id int PRIMARY KEY, v text)`);
    await admin.query(`INSERT INTO ${table} SELECT g, 'v' || g FROM generate_series(1, 10) g`);
    const small = { ...config, 'snapshot.fetch.size': '3', 'max.batch.size': '4' };
    const first = task(small);
    const part = await first.poll();
    await first.stop(); // a batch end (or a crash) after 4 rows; their offsets were stored
    expect(part?.map((r) => afterField(r, 'id'))).toEqual([1, 2, 3, 4]);
    const stored = part?.[3]?.sourceOffset ?? null;
    expect(stored).toMatchObject({
      snapshot: 'INITIAL',
      snapshot_table: `public.${table}`,
      snapshot_after: '["4"]',
    });

    const second = task(small, stored);
    try {
      const rest = await take(second, 6);
      expect(rest.map((r) => afterField(r, 'id'))).toEqual([5, 6, 7, 8, 9, 10]);
      expect(rest.map(marker)).not.toContain('first');
      expect(marker(rest[5] as SourceRecord)).toBe('last');

      // One transaction of three inserts; the batch stored the offset of the first of them.
      await admin.query(`BEGIN; INSERT INTO ${table} VALUES (11, 'x'), (12, 'y'), (13, 'z'); COMMIT`);
      const tx = await take(second, 3);
      expect(tx.map((r) => afterField(r, 'id'))).toEqual([11, 12, 13]);
      const cut = tx[0]?.sourceOffset ?? null;
      await second.stop();

      const third = task(small, cut);
      try {
        const replay = await take(third, 2);
        expect(replay.map((r) => afterField(r, 'id'))).toEqual([12, 13]);
      } finally {
        await third.stop();
      }
    } finally {
      await second.stop();
    }
  });

  it('sends the whole old row with REPLICA IDENTITY FULL, and a key change as delete, tombstone and create', async () => {
    const { table, config } = await fixture((t) => `CREATE TABLE ${t} (id int PRIMARY KEY, v text)`);
    await admin.query(`ALTER TABLE ${table} REPLICA IDENTITY FULL`);
    await admin.query(`INSERT INTO ${table} VALUES (1, 'one')`);
    const t = task({ ...config, 'snapshot.mode': 'no_data' });
    try {
      expect(await t.poll()).toEqual([]);
      await admin.query(`UPDATE ${table} SET v = 'uno' WHERE id = 1`);
      await admin.query(`UPDATE ${table} SET id = 2 WHERE id = 1`);
      const records = await take(t, 4);
      expect(records.map(op)).toEqual(['u', 'd', 'tombstone', 'c']);
      expect(((value(records[0] as SourceRecord) as Struct).get('before') as Struct).get('v')).toBe('one');
      expect(records[1]?.headers.lastWithName('__debezium.newkey')).toBeDefined();
      expect(records[3]?.headers.lastWithName('__debezium.oldkey')).toBeDefined();
    } finally {
      await t.stop();
    }
  });

  it('takes the slot over from a crashed task (connections left open) and loses nothing, mid-snapshot and mid-stream', async () => {
    const { table, config } = await fixture((t) => `CREATE TABLE ${t} (id int PRIMARY KEY)`);
    await admin.query(`INSERT INTO ${table} SELECT generate_series(1, 12)`);
    const small = { ...config, 'snapshot.fetch.size': '5', 'max.batch.size': '4' };
    const crashed = task(small);
    const committed = await crashed.poll(); // batch 1: stored
    const lost = await crashed.poll(); // batch 2: sent, then the process died before its offsets were stored
    expect(lost).toHaveLength(4);
    // No stop(): a killed Lambda leaves its snapshot transaction and walsender behind.
    const next = task(small, committed?.[3]?.sourceOffset ?? null);
    try {
      const rest = await take(next, 8);
      expect(rest.map((r) => afterField(r, 'id'))).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
      // Mid-stream: the new task streams; it crashes after sending, before storing, two changes.
      await admin.query(`INSERT INTO ${table} VALUES (13), (14)`);
      const sent = await take(next, 2);
      expect(sent.map((r) => afterField(r, 'id'))).toEqual([13, 14]);
      const stored = rest[7]?.sourceOffset ?? null;
      const after = task(small, stored);
      try {
        await admin.query(`INSERT INTO ${table} VALUES (15)`);
        const again = await take(after, 3);
        // Both uncommitted changes come again (at most the crashed batch), then the new one.
        expect(again.map((r) => afterField(r, 'id'))).toEqual([13, 14, 15]);
      } finally {
        await after.stop();
      }
    } finally {
      await next.stop();
      await crashed.stop();
    }
  });

  it('emits the same row from the snapshot and from the stream, for every type it maps', async () => {
    const { table, config } = await fixture(
      (t) => `DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'cdc_mood') THEN CREATE TYPE cdc_mood AS ENUM ('sad', 'ok', 'happy'); END IF;
      END $$;
      CREATE TABLE ${t} (
        id int PRIMARY KEY, i2 smallint, i8 bigint, r real, d double precision, b boolean,
        n numeric(10,3), nv numeric, m money, t text, vc varchar(20), ch char(3), u uuid, j json, jb jsonb,
        ba bytea, dt date, tm time, tm3 time(3), tz timetz, ts timestamp, ts3 timestamp(3), tstz timestamptz,
        iv interval, ia int[], ta text[], e cdc_mood, ip inet, bits bit(4))`,
    );
    const row = `VALUES (ID, -32768, 9007199254740993, 1.5, -2.25e-10, true, -1234567.891, 3.14159265358979, 12.34,
      'zoë', 'v', 'ab', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": 1}', '{"b": [1, 2]}', decode('00ff10', 'hex'), '1969-07-20',
      '23:59:59.999999', '12:34:56.789', '10:00:00+02', '2024-02-29 12:00:00.123456', '1999-12-31 23:59:59.999',
      '2024-01-01 00:00:00.5+01', '1 year 2 mons 3 days 04:05:06.5', '{1,NULL,3}', '{"a b",c}', 'happy', '10.0.0.1/8', B'1010')`;
    await admin.query(`INSERT INTO ${table} ${row.replace('ID', '1')}`);
    const t = task(config);
    try {
      const [snapshotted] = await take(t, 1);
      await admin.query(`INSERT INTO ${table} ${row.replace('ID', '2')}`);
      const [streamed] = await take(t, 1);
      const a = (value(snapshotted as SourceRecord) as Struct).get('after') as Struct;
      const b = (value(streamed as SourceRecord) as Struct).get('after') as Struct;
      const fields = a.schema.fields().map((f) => f.name);
      expect(fields.length).toBeGreaterThan(25);
      for (const f of fields.filter((x) => x !== 'id')) expect([f, b.get(f)]).toEqual([f, a.get(f)]);
      expect(a.get('i8')).toBe(9007199254740993n);
      expect(a.get('e')).toBe('happy');
      expect(a.get('tstz')).toBe('2023-12-31T23:00:00.500000Z');
    } finally {
      await t.stop();
    }
  });

  it('sends heartbeats with the stream position, so the slot advances while captured tables are quiet', async () => {
    const { table, config } = await fixture((t) => `CREATE TABLE ${t} (id int PRIMARY KEY)`);
    const t = task({
      ...config,
      'snapshot.mode': 'no_data',
      'heartbeat.interval.ms': '100',
      // Debezium's remedy for a quiet captured table: write WAL the slot sees, from the heartbeat.
      'heartbeat.action.query': `INSERT INTO ${table} VALUES (-1) ON CONFLICT DO NOTHING`,
    });
    try {
      await t.poll(); // creates the slot
      const before = await confirmedFlush(table);
      const beats: SourceRecord[] = [];
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && beats.length < 2)
        beats.push(...((await t.poll()) ?? []).filter((r) => r.topic === `__debezium-heartbeat.${table}`));
      expect(beats.length).toBeGreaterThanOrEqual(1);
      const beat = beats[beats.length - 1] as SourceRecord;
      expect(beat.kafkaPartition).toBe(0);
      expect((beat.key as Struct).get('serverName')).toBe(table);
      expect(beat.sourceOffset).toMatchObject({ lsn: expect.any(Number), lsn_commit: expect.any(Number) });
      t.commitRecord(beat);
      await t.commit();
      await expect.poll(() => confirmedFlush(table), { timeout: 5_000 }).toBeGreaterThan(before);
    } finally {
      await t.stop();
    }
  });

  it('initial_only snapshots and then streams nothing', async () => {
    const { table, config } = await fixture((t) => `CREATE TABLE ${t} (id int PRIMARY KEY)`);
    await admin.query(`INSERT INTO ${table} VALUES (1), (2)`);
    const t = task({ ...config, 'snapshot.mode': 'initial_only' });
    try {
      expect((await take(t, 2)).map(op)).toEqual(['r', 'r']);
      await admin.query(`INSERT INTO ${table} VALUES (3)`);
      expect(await t.poll()).toBeNull();
    } finally {
      await t.stop();
    }
  });

  it('reconnects within the poll when the server ended its walsender between batches (a frozen Lambda)', async () => {
    const { table, config } = await fixture((t) => `CREATE TABLE ${t} (id int PRIMARY KEY)`);
    let committed: SourceOffsetMap | null = null;
    const t = task({ ...config, 'snapshot.mode': 'no_data' }, () => committed);
    try {
      await admin.query(`INSERT INTO ${table} VALUES (1)`);
      expect(await t.poll()).toEqual([]); // the slot is created after that row
      await admin.query(`INSERT INTO ${table} VALUES (2)`);
      const first = await take(t, 1);
      for (const r of first) t.commitRecord(r);
      committed = first[0]?.sourceOffset ?? null; // what the runtime stored before commit()
      await t.commit();
      // As wal_sender_timeout does to the socket of a container frozen between invocations.
      await admin.query(
        'SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL',
        [table],
      );
      await new Promise((r) => setTimeout(r, 200));
      await admin.query(`INSERT INTO ${table} VALUES (3)`);
      const next = await take(t, 1);
      expect(next.map((r) => afterField(r, 'id'))).toEqual([3]);
    } finally {
      await t.stop();
    }
  });

  it('keeps a key column column.exclude.list drops from the value, and drops the excluded columns', async () => {
    const { table, config } = await fixture(
      (t) => `CREATE TABLE ${t} (id int PRIMARY KEY, secret text, v text)`,
    );
    await admin.query(`INSERT INTO ${table} VALUES (1, 's', 'v')`);
    const t = task({ ...config, 'column.exclude.list': `public\\.${table}\\.(id|secret)` });
    try {
      const [r] = await take(t, 1);
      expect(((r as SourceRecord).key as Struct).get('id')).toBe(1);
      const row = (value(r as SourceRecord) as Struct).get('after') as Struct;
      expect(row.schema.fields().map((f) => f.name)).toEqual(['v']);
    } finally {
      await t.stop();
    }
  });
});
