import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsumedRecord } from '../../../../lib/kafka/types.js';
import { debeziumConfig } from '../../../support/cdc.js';
import { MARIADB, POSTGRES_CDC_URL, uniqueName } from '../../../support/services.js';
import { type ConnectFixture, connectFixture, readTopic } from '../support.js';

// Debezium's PostgreSQL connector as a user runs it: created over the REST API, run by the dispatcher
// and task runner, events read back from Kafka as JsonConverter wrote them.

let cf: ConnectFixture;
let db: pg.Client;
let maria: mysql.Connection;
const cleanup: string[] = [];

beforeAll(async () => {
  cf = await connectFixture('cdc', { maxRecords: 50 });
  db = new pg.Client({ connectionString: POSTGRES_CDC_URL });
  await db.connect();
  maria = await mysql.createConnection(MARIADB);
});

afterAll(async () => {
  await cf.dispose();
  for (const sql of cleanup.reverse()) await db.query(sql).catch(() => {});
  await db.end();
  await maria.end();
});

const ident = (prefix: string) => uniqueName(prefix).replace(/-/g, '_');

function cdcConfig(name: string, tables: string): Record<string, string> {
  cleanup.push(
    `SELECT pg_drop_replication_slot('${name}') FROM pg_replication_slots WHERE slot_name = '${name}'`,
  );
  cleanup.push(`DROP PUBLICATION IF EXISTS ${name}`);
  return {
    ...debeziumConfig(name, tables),
    'poll.interval.ms': '100',
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  };
}

// biome-ignore lint/suspicious/noExplicitAny: JSON envelopes
const json = (b: Buffer | null): any => (b === null ? null : JSON.parse(b.toString()));
const payload = (r: ConsumedRecord) => json(r.value)?.payload ?? null;
const ops = (rs: ConsumedRecord[]) => rs.map((r) => payload(r)?.op ?? 'tombstone');

async function topicHas(topic: string, n: number): Promise<ConsumedRecord[] | false> {
  const records = await readTopic(topic);
  return records.length >= n ? records : false;
}

async function waitFor(topic: string, n: number): Promise<ConsumedRecord[]> {
  let got: ConsumedRecord[] | false = false;
  await cf.until(async () => {
    got = await topicHas(topic, n);
    return got !== false;
  }, 90_000);
  return got as unknown as ConsumedRecord[];
}

describe('PostgresConnector through the REST API', () => {
  it('snapshots then streams, shows Debezium offsets, and snapshots again after an offset reset', async () => {
    const table = ident('cdc_rest');
    await db.query(`CREATE TABLE ${table} (id int PRIMARY KEY, name text)`);
    cleanup.push(`DROP TABLE IF EXISTS ${table}`);
    await db.query(`INSERT INTO ${table} SELECT g, 'n' || g FROM generate_series(1, 120) g`);
    const name = ident('cdcrest');
    await cf.create(name, cdcConfig(name, `public\\.${table}`));
    const topic = `${name}.public.${table}`;
    // 120 rows with 50 records per batch: the snapshot spans three batches and continues, never restarts.
    const snapshot = await waitFor(topic, 120);
    expect(snapshot).toHaveLength(120);
    expect(new Set(snapshot.map((r) => payload(r).after.id)).size).toBe(120);
    expect(payload(snapshot[0] as ConsumedRecord).source.snapshot).toBe('first');
    expect(payload(snapshot[119] as ConsumedRecord).source.snapshot).toBe('last');
    const envelope = json((snapshot[0] as ConsumedRecord).value).schema;
    expect(envelope.name).toBe(`${topic}.Envelope`);
    expect(envelope.fields.map((f: { field: string }) => f.field)).toEqual([
      'before',
      'after',
      'source',
      'transaction',
      'op',
      'ts_ms',
      'ts_us',
      'ts_ns',
    ]);
    expect(json((snapshot[0] as ConsumedRecord).key)).toEqual({
      schema: {
        type: 'struct',
        fields: [{ type: 'int32', optional: false, field: 'id' }],
        optional: false,
        name: `${topic}.Key`,
      },
      payload: { id: 1 },
    });

    await db.query(`UPDATE ${table} SET name = 'changed' WHERE id = 7`);
    await db.query(`DELETE FROM ${table} WHERE id = 8`);
    const all = await waitFor(topic, 123);
    expect(ops(all.slice(120))).toEqual(['u', 'd', 'tombstone']);

    // Stop → the offsets Debezium users expect → reset → resume: the snapshot runs again.
    expect((await cf.call('PUT', `/connectors/${name}/stop`)).status).toBe(204);
    await cf.tick();
    const offsets = await cf.call('GET', `/connectors/${name}/offsets`);
    expect(offsets.status).toBe(200);
    expect(offsets.body.offsets).toHaveLength(1);
    expect(offsets.body.offsets[0].partition).toEqual({ server: name });
    expect(offsets.body.offsets[0].offset).toMatchObject({
      lsn: expect.any(Number),
      txId: expect.any(Number),
    });
    expect(offsets.body.offsets[0].offset.lsn_commit).toBeGreaterThan(0);
    expect((await cf.call('DELETE', `/connectors/${name}/offsets`)).status).toBe(200);
    expect((await cf.call('PUT', `/connectors/${name}/resume`)).status).toBe(202);
    const again = await waitFor(topic, 123 + 119);
    expect(ops(again.slice(123, 123 + 119))).toEqual(Array(119).fill('r'));
    // The last transaction comes again only when the batch ended between its last change and its
    // COMMIT (its end was then not yet known to the offset): at-least-once, never more than that.
    expect(['', 'd,tombstone']).toContain(ops(again.slice(123 + 119)).join(','));
  });

  it('picks up a new table the include list matches, and mirrors into MariaDB with ExtractNewRecordState', async () => {
    const base = ident('cdc_mirror');
    const first = `${base}_a`;
    const second = `${base}_b`;
    await db.query(
      `CREATE TABLE ${first} (id int PRIMARY KEY, name text NOT NULL, amount numeric(10,2), seen timestamp(3))`,
    );
    cleanup.push(`DROP TABLE IF EXISTS ${first}`);
    await db.query(
      `INSERT INTO ${first} VALUES (1, 'a', 1.25, '2024-01-02 03:04:05.678'), (2, 'b', NULL, NULL), (3, 'c', -9.99, '1969-12-31 23:59:59.999')`,
    );
    const name = ident('cdcmirror');
    await cf.create(name, {
      ...cdcConfig(name, `public\\.${base}_.*`),
      // FOR ALL TABLES: a table created later is in the publication from its first row on.
      'publication.autocreate.mode': 'all_tables',
      // Connect's own temporal types, which the JDBC sink maps to DATETIME (Debezium's need no sink support).
      'time.precision.mode': 'connect',
      transforms: 'unwrap',
      'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState',
      'transforms.unwrap.delete.tombstone.handling.mode': 'tombstone',
    });
    const dst = ident('mirror_dst');
    await cf.create(`${name}-sink`, {
      'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
      'connection.url': 'jdbc:mariadb://127.0.0.1:3306/test?user=root',
      topics: `${name}.public.${first}`,
      'table.name.format': dst,
      'insert.mode': 'upsert',
      'pk.mode': 'record_key',
      'delete.enabled': 'true',
      'auto.create': 'true',
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    });
    await waitFor(`${name}.public.${first}`, 3);
    await db.query(`INSERT INTO ${first} VALUES (4, 'd', 4.00, now())`);
    await db.query(`UPDATE ${first} SET name = 'B', amount = 2.50 WHERE id = 2`);
    await db.query(`DELETE FROM ${first} WHERE id = 1`);
    // A table created after the connector started, matching the include list: streamed from its creation.
    await db.query(`CREATE TABLE ${second} (id int PRIMARY KEY, v text)`);
    cleanup.push(`DROP TABLE IF EXISTS ${second}`);
    await db.query(`INSERT INTO ${second} VALUES (1, 'late')`);

    const mirrored = async () => {
      const [src] = [
        (
          await db.query(
            `SELECT id, name, amount::text AS amount, to_char(seen, 'YYYY-MM-DD HH24:MI:SS.MS') AS seen FROM ${first} ORDER BY id`,
          )
        ).rows,
      ];
      try {
        const [rows] = await maria.query(
          `SELECT id, name, CAST(amount AS CHAR) AS amount, DATE_FORMAT(seen, '%Y-%m-%d %H:%i:%s.%f') AS seen FROM ${dst} ORDER BY id`,
        );
        const dstRows = (rows as Record<string, unknown>[]).map((r) => ({
          ...r,
          seen: r.seen === null ? null : String(r.seen).slice(0, 23),
        }));
        return JSON.stringify(dstRows) === JSON.stringify(src) ? src : false;
      } catch {
        return false;
      }
    };
    let equal: unknown = false;
    await cf.until(async () => {
      equal = await mirrored();
      return equal !== false;
    }, 90_000);
    expect((equal as unknown[]).length).toBe(3);
    const late = await waitFor(`${name}.public.${second}`, 1);
    expect(json((late[0] as ConsumedRecord).value).payload).toEqual({ id: 1, v: 'late' });
    await maria.query(`DROP TABLE IF EXISTS ${dst}`);
  });
});
