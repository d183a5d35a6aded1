import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Struct } from '../../../lib/api/index.js';
import { parseConnectionUrl } from '../../../lib/connectors/jdbc/connection-url.js';
import { connect, type DbClient } from '../../../lib/connectors/jdbc/db-client.js';
import { dialectFor } from '../../../lib/connectors/jdbc/dialect.js';
import { TableQuerier } from '../../../lib/connectors/jdbc/table-querier.js';
import { uniqueName } from '../../support/services.js';

// JDBC bulk mode against PostgreSQL: the table is read a page of batch.max.rows at a time, never whole,
// and every row of it exactly once per poll cycle.
const table = uniqueName('bulk_paging').replace(/-/g, '_');
let admin: pg.Client;
let db: DbClient;
let largestResult = 0;

beforeAll(async () => {
  admin = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
  await admin.connect();
  await admin.query(`CREATE TABLE ${table} (name TEXT, n INT, doc JSON)`);
  // No primary key, duplicate rows and an unorderable column: pages are cut over the other columns.
  await admin.query(
    `INSERT INTO ${table} SELECT 'row ' || (i % 9), i, '{"a":1}' FROM generate_series(1, 95) AS i`,
  );
  await admin.query(`INSERT INTO ${table} VALUES ('row 1', 1, '{"a":1}')`);
  const raw = await connect(parseConnectionUrl('jdbc:postgresql://127.0.0.1:5432/test?user=postgres'), {
    attempts: 1,
    backoffMs: 0,
  });
  db = {
    ...raw,
    query: async (sql, params) => {
      const rows = await raw.query(sql, params);
      largestResult = Math.max(largestResult, rows.length);
      return rows;
    },
  };
});

afterAll(async () => {
  await db?.close();
  await admin.query(`DROP TABLE IF EXISTS ${table}`);
  await admin.end();
});

describe('JDBC bulk mode', () => {
  it('reads a page of batch.max.rows per poll and every row once per cycle', async () => {
    // Prepare
    const conn = {
      spec: parseConnectionUrl('jdbc:postgresql://127.0.0.1:5432/test'),
      db,
      dialect: dialectFor('PostgreSqlDatabaseDialect' as never, 'always', {}),
    };
    const querier = new TableQuerier({
      mode: 'bulk',
      table: { catalog: 'test', schema: 'public', table },
      query: '',
      topic: 't',
      incrementingColumn: '',
      timestampColumns: [],
      batchMaxRows: 10,
      pollIntervalMs: 60_000,
      delayMs: 0,
      numericMapping: 'none',
      validateNonNull: true,
      timestampInitial: null,
    });
    await querier.init(conn, { offset: async () => null, offsets: async (ps) => ps.map(() => null) });
    const cycle = async () => {
      const values: string[] = [];
      const sizes: number[] = [];
      do {
        const records = await querier.poll(conn);
        sizes.push(records.length);
        values.push(
          ...records.map((r) => `${(r.value as Struct).get('name')}|${(r.value as Struct).get('n')}`),
        );
      } while (querier.nextDue === 0);
      return { values: values.sort(), sizes };
    };
    largestResult = 0;
    // Act: two cycles.
    const first = await cycle();
    const second = await cycle();
    // Assess: bounded pages, all 96 rows (duplicates included) in each cycle, none twice.
    expect(largestResult).toBeLessThanOrEqual(10);
    expect(first.sizes).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 6]);
    expect(first.values).toHaveLength(96);
    expect(new Set(first.values.map((v) => v.split('|')[1])).size).toBe(95);
    expect(first.values.filter((v) => v === 'row 1|1')).toHaveLength(2);
    expect(second.values).toEqual(first.values);
  });
});
