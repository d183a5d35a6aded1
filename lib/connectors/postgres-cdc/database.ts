import type pg from 'pg';
import { ConnectError, type Password } from '../../api/index.js';
import { DBNAME, HOSTNAME, INITIAL_STATEMENTS, PASSWORD, PORT, SSLMODE, USER } from './config.js';
import { SESSION_SETTINGS } from './value-converters.js';

/**
 * Startup options that fix how PostgreSQL prints values (dates ISO, UTC, full float digits, hex bytea),
 * so the snapshot's SELECTs and the walsender's pgoutput text parse the same way.
 */
const sessionOptions = Object.entries(SESSION_SETTINGS)
  .map(([k, v]) => `-c ${k}=${String(v).replace(/ /g, '\\ ')}`)
  .join(' ');

/** libpq's sslmode as node-postgres takes it: prefer/allow/disable connect in plain text here. */
function ssl(mode: string): pg.ClientConfig['ssl'] {
  switch (mode.toLowerCase()) {
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full':
      return { rejectUnauthorized: true };
    default:
      return false;
  }
}

/** The client config of a parsed connector config; `application_name` names the connector in pg_stat_activity. */
export function clientConfig(p: Record<string, unknown>, application: string): pg.ClientConfig {
  return {
    host: p[HOSTNAME] as string,
    port: p[PORT] as number,
    user: p[USER] as string,
    password: (p[PASSWORD] as Password | null)?.value(),
    database: p[DBNAME] as string,
    ssl: ssl(p[SSLMODE] as string),
    application_name: application,
    options: sessionOptions,
    connectionTimeoutMillis: 10_000,
  };
}

/** Every column as PostgreSQL's text output: the value converters parse it, no global type parser runs. */
export const TEXT_TYPES = {
  getTypeParser: () => (value: string) => value,
} as unknown as pg.CustomTypesConfig;

/** A plain SQL connection with database.initial.statements run. */
export async function connectSql(p: Record<string, unknown>, application: string): Promise<pg.Client> {
  // Loaded with the first connection, not with the bundle: other tasks' cold starts do not pay for it.
  const { Client } = (await import('pg')).default;
  const client = new Client(clientConfig(p, application));
  // A server gone mid-batch surfaces on the next query; without a listener it would crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new ConnectError(
      `cannot connect to PostgreSQL at ${p[HOSTNAME]}:${p[PORT]}: ${(error as Error).message}`,
    );
  }
  const initial = p[INITIAL_STATEMENTS] as string | null;
  for (const statement of (initial ?? '').split(';').map((s) => s.trim()))
    if (statement !== '') await client.query(statement);
  return client;
}

/** Double-quoted identifier. */
export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const quoteTable = (t: { schema: string; table: string }) =>
  `${quoteIdent(t.schema)}.${quoteIdent(t.table)}`;

/** Debezium's `checkLoginReplicationRoles`: LOGIN and REPLICATION, a superuser, or an RDS replication role. */
export async function checkReplicationRole(client: pg.ClientBase): Promise<void> {
  const { rows } = await client.query<{ ok: boolean }>(
    `SELECT (r.rolcanlogin AND r.rolreplication) OR r.rolsuper
            OR EXISTS (SELECT 1 FROM pg_roles g WHERE g.rolname IN ('rds_superuser', 'rdsadmin', 'rdsrepladmin', 'rds_replication')
                        AND pg_has_role(r.oid, g.oid, 'member')) AS ok
       FROM pg_roles r WHERE r.rolname = current_user`,
  );
  if (!rows[0]?.ok)
    throw new ConnectError(
      'Postgres roles LOGIN and REPLICATION are not assigned to user: grant them (ALTER ROLE … WITH LOGIN REPLICATION), or rds_replication on Amazon RDS',
    );
}
