import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARIADB, uniqueName } from '../../support/services.js';
import { type ConnectFixture, connectFixture, readTopic } from './support.js';

let cf: ConnectFixture;
let source: pg.Client;
let target: mysql.Connection;
const table = uniqueName('src').replace(/-/g, '_');
const dst = uniqueName('dst').replace(/-/g, '_');
const prefix = `${uniqueName('pg')}-`;
const topic = `${prefix}${table}`;

beforeAll(async () => {
  cf = await connectFixture('jdbc');
  source = new pg.Client({
    host: '127.0.0.1',
    port: 5432,
    user: 'postgres',
    database: 'test',
    options: '-c TimeZone=UTC',
  });
  await source.connect();
  target = await mysql.createConnection({ ...MARIADB, dateStrings: true, timezone: 'Z' });
  await source.query(`CREATE TABLE ${table} (
    id SERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    price NUMERIC(12,4),
    born DATE,
    seen_at TIMESTAMP(3),
    note TEXT,
    updated_at TIMESTAMP(3) NOT NULL DEFAULT clock_timestamp())`);
});

afterAll(async () => {
  await source.query(`DROP TABLE IF EXISTS ${table}`);
  await target.query(`DROP TABLE IF EXISTS ${dst}`);
  await source.end();
  await target.end();
  await cf.dispose();
});

const sourceConfig = () => ({
  'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector',
  'connection.url': 'jdbc:postgresql://127.0.0.1:5432/test',
  'connection.user': 'postgres',
  mode: 'timestamp+incrementing',
  'incrementing.column.name': 'id',
  'timestamp.column.name': 'updated_at',
  'table.whitelist': table,
  'topic.prefix': prefix,
  'poll.interval.ms': '100',
  'tasks.max': '1',
  transforms: 'createKey',
  'transforms.createKey.type': 'org.apache.kafka.connect.transforms.ValueToKey',
  'transforms.createKey.fields': 'id',
});

const sinkConfig = () => ({
  'connector.class': 'JdbcSink',
  'connection.url': 'jdbc:mariadb://127.0.0.1:3306/test?user=root',
  topics: topic,
  'table.name.format': dst,
  'insert.mode': 'upsert',
  'pk.mode': 'record_key',
  'pk.fields': 'id',
  'auto.create': 'true',
  'auto.evolve': 'true',
  'delete.enabled': 'true',
  'tasks.max': '1',
});

async function targetRows(): Promise<Record<string, unknown>[]> {
  try {
    const [rows] = await target.query(`SELECT * FROM ${dst} ORDER BY id`);
    return rows as Record<string, unknown>[];
  } catch {
    return [];
  }
}

const tombstone = (id: number) => ({
  topic,
  partition: null,
  key: Buffer.from(
    JSON.stringify({
      schema: { type: 'struct', fields: [{ type: 'int32', optional: false, field: 'id' }], optional: false },
      payload: { id },
    }),
  ),
  value: null,
  headers: [],
  timestamp: Date.now(),
});

describe('PostgreSQL → Kafka → MariaDB through the REST API', () => {
  it('copies inserts with their types, applies updates as upserts and tombstones as deletes', async () => {
    // Prepare
    await source.query(
      `INSERT INTO ${table} (name, price, born, seen_at, note) VALUES
       ('Zoë 東京 🚀', 1234.5678, '1990-02-28', '2024-05-06 07:08:09.123', NULL),
       ('plain', -0.0001, NULL, NULL, 'n'),
       ('third', 99999999.9999, '2000-01-01', '1970-01-01 00:00:00', '')`,
    );
    // Act
    await cf.create('pg-source', sourceConfig());
    await cf.create('maria-sink', sinkConfig());
    await cf.until(async () => (await targetRows()).length === 3);
    // Assess: type fidelity
    const rows = await targetRows();
    expect(rows.map((r) => ({ ...r, updated_at: undefined }))).toEqual([
      {
        id: 1,
        name: 'Zoë 東京 🚀',
        price: '1234.5678',
        born: '1990-02-28',
        seen_at: '2024-05-06 07:08:09.123',
        note: null,
        updated_at: undefined,
      },
      { id: 2, name: 'plain', price: '-0.0001', born: null, seen_at: null, note: 'n', updated_at: undefined },
      {
        id: 3,
        name: 'third',
        price: '99999999.9999',
        born: '2000-01-01',
        seen_at: '1970-01-01 00:00:00.000',
        note: '',
        updated_at: undefined,
      },
    ]);
    const [columns] = await target.query(
      'SELECT COLUMN_NAME AS c, COLUMN_TYPE AS t, IS_NULLABLE AS n FROM information_schema.columns WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
      [dst],
    );
    expect(columns).toEqual([
      { c: 'id', t: 'int(11)', n: 'NO' },
      { c: 'name', t: 'text', n: 'NO' },
      { c: 'price', t: 'decimal(65,4)', n: 'YES' },
      { c: 'born', t: 'date', n: 'YES' },
      { c: 'seen_at', t: 'datetime(3)', n: 'YES' },
      { c: 'note', t: 'text', n: 'YES' },
      { c: 'updated_at', t: 'datetime(3)', n: 'NO' },
    ]);

    // Act: an update and a delete
    await source.query(
      `UPDATE ${table} SET price = 1.5, note = 'changed', updated_at = clock_timestamp() WHERE id = 1`,
    );
    await cf.env.send([tombstone(2)]);
    await cf.until(async () => {
      const now = await targetRows();
      return now.length === 2 && now[0]?.note === 'changed';
    });
    // Assess
    expect((await targetRows()).map((r) => [r.id, r.price, r.note])).toEqual([
      [1, '1.5000', 'changed'],
      [3, '99999999.9999', ''],
    ]);
    const status = await cf.call('GET', '/connectors/pg-source/status');
    expect(status.body.tasks[0].state).toBe('RUNNING');
  });

  it('resumes after a restart from the committed offsets without re-reading', async () => {
    // Prepare
    const before = (await readTopic(topic)).filter((r) => r.value !== null).length;
    const offsets = await cf.call('GET', '/connectors/pg-source/offsets');
    // Act: a cold worker, then one new row
    await cf.restartWorker();
    await cf.call('POST', '/connectors/pg-source/restart?includeTasks=true');
    for (let i = 0; i < 3; i++) await cf.tick();
    const afterRestart = (await readTopic(topic)).filter((r) => r.value !== null).length;
    await source.query(`INSERT INTO ${table} (name) VALUES ('after restart')`);
    await cf.until(async () => (await targetRows()).length === 3);
    // Assess
    expect(afterRestart).toBe(before);
    expect((await readTopic(topic)).filter((r) => r.value !== null).length).toBe(before + 1);
    expect(offsets.body.offsets).toEqual([
      {
        partition: { protocol: '1', table: `test.public.${table}` },
        offset: { incrementing: 1, timestamp: expect.any(Number), timestamp_nanos: expect.any(Number) },
      },
    ]);
    expect(cf.errors).toEqual([]);
  });
});
