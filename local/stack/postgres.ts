import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Launch, Service } from './services.js';
import { StackError, type StackSettings } from './settings.js';
import { type RunAs, reachable, runAs, type SystemUser, serverUser } from './system-user.js';

/** Where Debian's `postgresql-<version>` packages put their binaries: `<root>/<version>/bin`. */
export const DEBIAN_POSTGRES_ROOT = '/usr/lib/postgresql';
/** The system user the cluster runs as when the stack runs as root (PostgreSQL refuses to run as root). */
export const POSTGRES_USER = 'sc-postgres';

const MISSING =
  'PostgreSQL server binaries not found (the CDC tests need a cluster of their own with wal_level=logical): ' +
  'install them (apt-get install postgresql) or set PG_BIN_DIR to a PostgreSQL 12+ bin directory';

export interface PostgresBinaries {
  /** The directory holding `initdb` and `postgres`. */
  binDir: string;
  /** The major version they report, e.g. 15. */
  major: number;
}

/**
 * `pgBinDir` when given, else the highest `<root>/<version>/bin` holding `initdb` and `postgres`;
 * throws a one-line StackError saying what to install when there is none.
 */
export function postgresBinaries(
  pgBinDir: string | undefined,
  root = DEBIAN_POSTGRES_ROOT,
): PostgresBinaries {
  const complete = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'));
  if (pgBinDir !== undefined && !complete(pgBinDir))
    throw new StackError(
      `PG_BIN_DIR=${pgBinDir} holds no initdb and postgres: point it at a PostgreSQL 12+ bin directory, ` +
        'or unset it and install PostgreSQL (apt-get install postgresql)',
    );
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+(\.\d+)?$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const binDir = pgBinDir ?? versions.map((v) => join(root, v, 'bin')).find(complete);
  if (binDir === undefined) throw new StackError(MISSING);
  const version = spawnSync(join(binDir, 'postgres'), ['--version'], { encoding: 'utf8' });
  const major = /\(PostgreSQL\) (\d+)/.exec(version.stdout ?? '')?.[1];
  if (major === undefined) throw new StackError(`${join(binDir, 'postgres')} --version failed: ${MISSING}`);
  return { binDir, major: Number(major) };
}

/**
 * A PostgreSQL cluster of the stack's own with `wal_level=logical` (the CDC tests' logical replication),
 * initialised once in `<dataDir>/postgres` and kept across restarts: superuser `postgres`, trust auth on
 * loopback only, database `test`. As root it runs as the unprivileged `sc-postgres`.
 */
export function postgresService(s: StackSettings): Service {
  const dataDir = join(s.dataDir, 'postgres');
  const connection = (database: string) => ({
    host: '127.0.0.1',
    port: s.pgLogicalPort,
    user: 'postgres',
    database,
    connectionTimeoutMillis: 2_000,
  });
  return {
    name: 'postgres',
    port: s.pgLogicalPort,
    portSetting: 'PG_LOGICAL_PORT',
    // The postmaster keeps its command line (only its children retitle themselves), data dir included.
    marker: `-D ${dataDir}`,
    endpoint: `postgres://postgres@127.0.0.1:${s.pgLogicalPort}/test`,
    launch: () => launch(s, dataDir),
    probe: () => query(connection('postgres'), 'SELECT 1'),
    async provision() {
      const found = await query(connection('postgres'), "SELECT 1 FROM pg_database WHERE datname = 'test'");
      if (found.rows.length > 0) return;
      // 42P04 duplicate_database: a concurrent `up` created it first.
      await query(connection('postgres'), 'CREATE DATABASE test').catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error;
      });
    },
    // Fast shutdown: a smart one (SIGTERM) waits for every client to disconnect, so one connection a
    // test leaked would hold `down` for the whole grace period and end in SIGKILL and crash recovery.
    stopSignal: 'SIGINT',
  };
}

async function query(config: pg.ClientConfig, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

function launch(s: StackSettings, dataDir: string): Launch {
  const { binDir, major } = postgresBinaries(s.pgBinDir);
  const owner = serverUser(POSTGRES_USER, 'PostgreSQL');
  const as = runAs(owner);
  if (owner) reachable(s.dataDir, owner, 'PostgreSQL');
  if (!existsSync(join(dataDir, 'PG_VERSION'))) initdb(binDir, dataDir, owner, as);
  const initialised = readFileSync(join(dataDir, 'PG_VERSION'), 'utf8').trim();
  if (initialised !== String(major))
    throw new StackError(
      `${dataDir} holds a PostgreSQL ${initialised} cluster but ${binDir} is PostgreSQL ${major}: ` +
        `remove it (a test cluster, nothing to keep) or set PG_BIN_DIR=${DEBIAN_POSTGRES_ROOT}/${initialised}/bin`,
    );
  const settings = {
    listen_addresses: '127.0.0.1',
    port: String(s.pgLogicalPort),
    unix_socket_directories: dataDir,
    wal_level: 'logical',
    max_replication_slots: '20',
    max_wal_senders: '20',
    shared_buffers: '32MB',
    // A throwaway test cluster: losing it in an OS crash costs nothing, syncing every commit costs time.
    fsync: 'off',
    cluster_name: 'sc-dev-stack',
  };
  const [command, args] = as(join(binDir, 'postgres'), [
    '-D',
    dataDir,
    ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
  ]);
  return { command, args, cwd: dataDir };
}

/** `initdb` into a scratch directory renamed into place, so a half-initialised cluster is never used. */
function initdb(binDir: string, dataDir: string, owner: SystemUser | undefined, as: RunAs): void {
  const scratch = `${dataDir}.init-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true, mode: 0o700 });
  if (owner) chownSync(scratch, owner.uid, owner.gid);
  const [command, args] = as(join(binDir, 'initdb'), [
    '-D',
    scratch,
    '--username=postgres',
    '--auth=trust',
    '--encoding=UTF8',
    '--no-locale',
    '--no-sync',
  ]);
  const result = spawnSync(command, args, { encoding: 'utf8', cwd: scratch });
  if (result.status !== 0) {
    rmSync(scratch, { recursive: true, force: true });
    const detail = `${result.error?.message ?? ''}${result.stderr ?? ''}`
      .trim()
      .split('\n')
      .slice(-2)
      .join(' | ');
    throw new StackError(`initdb of the dev stack's PostgreSQL failed: ${detail}`);
  }
  // Unix socket and loopback only; initdb's default also trusts ::1, which the server does not listen on.
  const hba = join(scratch, 'pg_hba.conf');
  writeFileSync(hba, HBA);
  if (owner) chownSync(hba, owner.uid, owner.gid);
  chmodSync(hba, 0o600);
  try {
    renameSync(scratch, dataDir);
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    // A concurrent `up` renamed its own cluster into place first: use that one.
    if (!existsSync(join(dataDir, 'PG_VERSION'))) throw error;
  }
}

const HBA = `# Written by the dev stack: trust, for a test cluster reachable from this machine only.
local all all trust
local replication all trust
host all all 127.0.0.1/32 trust
host replication all 127.0.0.1/32 trust
`;
