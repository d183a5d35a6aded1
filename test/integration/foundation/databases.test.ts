import mysql from 'mysql2/promise';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { MARIADB, POSTGRES_URL } from '../../support/services.js';

// Later connectors (JDBC source and sink) test against these two services of the machine.
describe('the machine database services', () => {
  it('PostgreSQL on 127.0.0.1:5432 answers a query', async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      const result = await client.query<{ answer: number }>('select 6 * 7 as answer');
      expect(result.rows[0]?.answer).toBe(42);
    } finally {
      await client.end();
    }
  });

  it('MariaDB on 127.0.0.1:3306 answers a query', async () => {
    const connection = await mysql.createConnection(MARIADB);
    try {
      const [rows] = await connection.query<mysql.RowDataPacket[]>('select 6 * 7 as answer');
      expect(rows[0]?.answer).toBe(42);
    } finally {
      await connection.end();
    }
  });
});
