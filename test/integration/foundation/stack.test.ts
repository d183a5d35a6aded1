import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { request } from 'node:http';
import { type AddressInfo, connect, createServer, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { OPENSEARCH_USER } from '../../../local/stack/opensearch.js';
import { DEBIAN_POSTGRES_ROOT, postgresBinaries } from '../../../local/stack/postgres.js';
import { s3Service } from '../../../local/stack/s3mock.js';
import { stackSettings } from '../../../local/stack/settings.js';
import { ALL_SERVICES, devStack, down, restart, status, up } from '../../../local/stack/stack.js';

// A second, private stack on other ports and a temporary data dir, so these tests can start and stop
// it without touching the one the other integration tests use. Jars come from the shared cache.
const dataDir = mkdtempSync(join(tmpdir(), 'sc-stack-'));
// mkdtemp makes it 0700; PostgreSQL and OpenSearch, run as sc-postgres and sc-opensearch when the tests
// run as root, must walk into it.
chmodSync(dataDir, 0o755);
const env = {
  ...process.env,
  SC_DATA_DIR: dataDir,
  KAFKA_PORT: '19092',
  KAFKA_CONTROLLER_PORT: '19093',
  DYNAMODB_PORT: '18000',
  // Below the ephemeral range (32768–60999 on Linux): a port picked free at load could be another test's
  // outgoing connection by the time a service binds it, minutes later (an OpenSearch once died so).
  PG_LOGICAL_PORT: '15433',
  S3_PORT: '19090',
  OPENSEARCH_PORT: '19200',
  OPENSEARCH_TRANSPORT_PORT: '19300',
};
const EVERY = ALL_SERVICES.map(() => 'stopped');

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the dev stack', () => {
  it('starts every service, reuses them on a second up, and down leaves no process behind', async () => {
    // Prepare
    const stack = devStack(stackSettings(env), ALL_SERVICES);
    try {
      // Act
      const first = await up(stack);
      const second = await up(stack);
      const pids = first.map((s) => s.pid);
      await down(stack);
      // Assess
      expect(first.map((s) => s.name)).toEqual(['kafka', 'dynamodb', 'postgres', 's3', 'opensearch']);
      expect(first.map((s) => s.state)).toEqual(ALL_SERVICES.map(() => 'started'));
      expect(second.map((s) => s.state)).toEqual(ALL_SERVICES.map(() => 'reused'));
      expect(second.map((s) => s.pid)).toEqual(pids);
      expect(status(stack).map((s) => s.state)).toEqual(EVERY);
      for (const pid of pids) {
        expect(pid).toBeTypeOf('number');
        expect(processState(Number(pid))).toMatch(/^(gone|Z|X)$/);
      }
    } finally {
      await down(stack);
    }
  });

  it('is reachable from this machine only: loopback binds, loopback Host names, no CORS', async (context) => {
    // Prepare
    const outside = nonLoopbackAddresses();
    const stack = devStack(stackSettings(env), ALL_SERVICES);
    const { kafkaPort, kafkaControllerPort, dynamodbPort, pgLogicalPort } = stack.settings;
    const { s3Port, opensearchPort, opensearchTransportPort } = stack.settings;
    try {
      const states = await up(stack);
      // Act
      const seen: Record<string, boolean> = {};
      for (const port of [
        kafkaPort,
        kafkaControllerPort,
        dynamodbPort,
        pgLogicalPort,
        s3Port,
        opensearchPort,
        opensearchTransportPort,
      ]) {
        seen[`127.0.0.1:${port}`] = await reachable('127.0.0.1', port);
        for (const address of outside) seen[`${address}:${port}`] = await reachable(address, port);
      }
      const rebound = await dynamo(dynamodbPort, { Host: 'evil.example' });
      const loopbackName = await dynamo(dynamodbPort, { Host: `localhost:${dynamodbPort}` });
      const preflight = await dynamo(dynamodbPort, {
        Origin: 'http://evil.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,x-amz-target',
      });
      const s3Rebound = await http(s3Port, 'GET', { Host: 'evil.example' });
      const s3LoopbackName = await http(s3Port, 'GET', { Host: `localhost:${s3Port}` });
      // Assess
      expect(states.map((s) => s.warning)).toEqual(ALL_SERVICES.map(() => undefined));
      expect(seen).toEqual(
        Object.fromEntries(Object.keys(seen).map((key) => [key, key.startsWith('127.0.0.1:')])),
      );
      expect(rebound.status).toBe(403);
      expect(JSON.parse(rebound.body)).toMatchObject({
        __type: 'com.amazonaws.dynamodb.v20120810#AccessDeniedException',
      });
      expect(loopbackName.status).toBe(200);
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(s3Rebound.status).toBe(403);
      expect(s3Rebound.body).toContain('<Code>AccessDenied</Code>');
      expect(s3LoopbackName.status).toBe(200);
      expect(s3LoopbackName.body).toContain('<ListAllMyBucketsResult');
      if (outside.length === 0) context.skip('this machine has no non-loopback address to try the ports on');
    } finally {
      await down(stack);
    }
  });

  it('refuses with a one-line hint when a port is taken, and stops what it had started', async () => {
    // Prepare: DynamoDB Local's port is taken; Kafka's is free, so Kafka starts first.
    const squatter = await listen();
    const dynamoPort = String((squatter.address() as AddressInfo).port);
    const stack = devStack(stackSettings({ ...env, DYNAMODB_PORT: dynamoPort }), ALL_SERVICES);
    try {
      // Act
      const attempt = up(stack);
      // Assess
      await expect(attempt).rejects.toThrow(
        `port ${dynamoPort} (dynamodb) is already taken by another process: stop it, or choose another port (DYNAMODB_PORT=...)`,
      );
      expect(status(stack).map((s) => s.state)).toEqual(EVERY);
    } finally {
      squatter.close();
      await down(stack);
    }
  });
});

describe('the dev stack’s PostgreSQL', () => {
  it('runs wal_level=logical, takes a pgoutput slot, keeps its data across restarts, and down ends it', async () => {
    // Prepare
    const stack = devStack(stackSettings(env), ['postgres']);
    const url = stack.services[0]?.endpoint ?? '';
    try {
      // Act
      const [first] = await up(stack);
      const walLevel = await sql(url, 'SHOW wal_level');
      const slot = await sql(
        url,
        "SELECT slot_name FROM pg_create_logical_replication_slot('sc_stack', 'pgoutput')",
      );
      const dropped = await sql(url, "SELECT pg_drop_replication_slot('sc_stack')");
      const slotsLeft = await sql(url, 'SELECT count(*)::int AS n FROM pg_replication_slots');
      await sql(url, 'CREATE TABLE kept (id int)');
      const owner = processUid(Number(first?.pid));
      const commandLine = readFileSync(`/proc/${first?.pid}/cmdline`, 'utf8').split('\0');
      await down(stack);
      const afterDown = processState(Number(first?.pid));
      const [second] = await up(stack);
      const kept = await sql(url, "SELECT to_regclass('kept') IS NOT NULL AS kept");
      await down(stack);
      // Assess
      expect(url).toBe(`postgres://postgres@127.0.0.1:${stack.settings.pgLogicalPort}/test`);
      expect(first?.state).toBe('started');
      expect(walLevel).toEqual([{ wal_level: 'logical' }]);
      expect(slot).toEqual([{ slot_name: 'sc_stack' }]);
      expect(dropped).toHaveLength(1);
      expect(slotsLeft).toEqual([{ n: 0 }]);
      // The recorded pid is the postmaster itself, never root's launcher, so `down` signals exactly it.
      expect(commandLine[0]).toBe(join(postgresBinaries(stack.settings.pgBinDir).binDir, 'postgres'));
      expect(commandLine.slice(1, 3)).toEqual(['-D', join(dataDir, 'postgres')]);
      if (process.getuid?.() === 0) expect(owner).not.toBe(0);
      else expect(owner).toBe(process.getuid?.());
      expect(afterDown).toMatch(/^(gone|Z|X)$/);
      expect(second?.state).toBe('started');
      expect(kept).toEqual([{ kept: true }]);
      expect(status(stack).map((s) => s.state)).toEqual(['stopped']);
    } finally {
      await down(stack);
    }
  });

  it('names PG_LOGICAL_PORT when its port is taken', async () => {
    // Prepare
    const squatter = await listen();
    const port = String((squatter.address() as AddressInfo).port);
    const stack = devStack(stackSettings({ ...env, PG_LOGICAL_PORT: port }), ['postgres']);
    try {
      // Act
      const attempt = up(stack);
      // Assess
      await expect(attempt).rejects.toThrow(
        `port ${port} (postgres) is already taken by another process: stop it, or choose another port (PG_LOGICAL_PORT=...)`,
      );
    } finally {
      squatter.close();
    }
  });

  it('says in one line what to install when there are no PostgreSQL binaries, and starts nothing', async () => {
    // Prepare
    const empty = mkdtempSync(join(tmpdir(), 'sc-no-postgres-'));
    const stack = devStack(stackSettings({ ...env, PG_BIN_DIR: empty }), ['postgres']);
    try {
      // Act
      const attempt = up(stack);
      // Assess
      await expect(attempt).rejects.toThrow(
        `PG_BIN_DIR=${empty} holds no initdb and postgres: point it at a PostgreSQL 12+ bin directory, ` +
          'or unset it and install PostgreSQL (apt-get install postgresql)',
      );
      expect(() => postgresBinaries(undefined, empty)).toThrow(
        'PostgreSQL server binaries not found (the CDC tests need a cluster of their own with wal_level=logical): ' +
          'install them (apt-get install postgresql) or set PG_BIN_DIR to a PostgreSQL 12+ bin directory',
      );
      expect(status(stack).map((s) => s.state)).toEqual(['stopped']);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('takes the highest version that has initdb and postgres, by number', () => {
    // Prepare: 9 sorts after 15 as text; 99 has no binaries.
    const installed = postgresBinaries(undefined);
    const root = mkdtempSync(join(tmpdir(), 'sc-postgres-root-'));
    symlinkSync(join(installed.binDir, '..'), join(root, '9'));
    symlinkSync(join(installed.binDir, '..'), join(root, '15'));
    mkdirSync(join(root, '99', 'bin'), { recursive: true });
    try {
      // Act
      const found = postgresBinaries(undefined, root);
      // Assess
      expect(installed.binDir.startsWith(`${DEBIAN_POSTGRES_ROOT}/`)).toBe(true);
      expect(found).toEqual({ binDir: join(root, '15', 'bin'), major: installed.major });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the dev stack’s S3Mock and OpenSearch', () => {
  it('S3Mock keeps objects across a restart; OpenSearch runs its JVM as the recorded pid, unprivileged, data in the data dir', async () => {
    // Prepare
    const stack = devStack(stackSettings(env), ['s3', 'opensearch']);
    const { s3Port, opensearchPort } = stack.settings;
    const bucket = `http://127.0.0.1:${s3Port}/kept`;
    try {
      // Act
      const [, search] = await up(stack);
      await http(s3Port, 'PUT', {}, '/kept');
      await http(s3Port, 'PUT', { 'Content-Type': 'text/plain' }, '/kept/object.txt', 'kept across restarts');
      const restarted = await restart(stack, 's3');
      const kept = await fetch(`${bucket}/object.txt`).then((r) => r.text());
      const created = await http(opensearchPort, 'PUT', {}, '/sc-stack-kept');
      const pid = Number(search?.pid);
      const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const owner = processUid(pid);
      await down(stack);
      const afterDown = processState(pid);
      // Assess
      expect(restarted.state).toBe('started');
      expect(kept).toBe('kept across restarts');
      expect(created.status).toBe(200);
      // bin/opensearch execs the JVM: the pid `down` signals is OpenSearch itself, never a shell or setpriv.
      expect(commandLine[0]).toMatch(/\/bin\/java$/);
      expect(commandLine).toContain('org.opensearch.bootstrap.OpenSearch');
      expect(commandLine).toContain(`-Epath.data=${join(dataDir, 'opensearch', 'data')}`);
      if (process.getuid?.() === 0) expect(owner).toBe(Number(userId(OPENSEARCH_USER)));
      else expect(owner).toBe(process.getuid?.());
      expect(readdirSync(join(dataDir, 'opensearch', 'data'))).toContain('nodes');
      expect(afterDown).toMatch(/^(gone|Z|X)$/);
      expect(status(stack).map((s) => s.state)).toEqual(['stopped', 'stopped']);
    } finally {
      await down(stack);
    }
  });

  it('names S3_PORT and OPENSEARCH_PORT when their ports are taken', async () => {
    // Prepare
    const squatter = await listen();
    const port = String((squatter.address() as AddressInfo).port);
    const s3 = devStack(stackSettings({ ...env, S3_PORT: port }), ['s3']);
    const search = devStack(stackSettings({ ...env, OPENSEARCH_PORT: port }), ['opensearch']);
    try {
      // Act
      const s3Attempt = up(s3);
      const searchAttempt = up(search);
      // Assess
      await expect(s3Attempt).rejects.toThrow(
        `port ${port} (s3) is already taken by another process: stop it, or choose another port (S3_PORT=...)`,
      );
      await expect(searchAttempt).rejects.toThrow(
        `port ${port} (opensearch) is already taken by another process: stop it, or choose another port (OPENSEARCH_PORT=...)`,
      );
    } finally {
      squatter.close();
    }
  });

  it('does not start S3Mock where java cannot compile its loopback launcher', () => {
    // Prepare
    const service = s3Service(stackSettings(env), { compiles: () => false });
    // Act
    const attempt = () => service.launch();
    // Assess
    expect(attempt).toThrow(
      'this java cannot compile local/stack/LoopbackS3Mock.java (no jdk.compiler module), without which S3Mock ' +
        'would listen on every network interface: install a JDK 17+, not a bare JRE',
    );
  });
});

/** The rows of one statement, on a connection of its own. */
async function sql(url: string, text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

/** A user's uid, from the passwd database. */
function userId(name: string): string | undefined {
  return spawnSync('getent', ['passwd', name], { encoding: 'utf8' }).stdout.split(':')[2];
}

/** The real uid a process runs as, from /proc. */
function processUid(pid: number): number {
  return Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
}

/**
 * The pid's state letter from /proc, or `gone`. An exited JVM may linger as a zombie (Z) until the
 * process that spawned it (this test worker) reaps it, which the CI container does not always do at
 * once; a zombie runs nothing and holds no port, so it counts as stopped.
 */
function processState(pid: number): string {
  try {
    return /^\d+ \(.*\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1] ?? 'gone';
  } catch {
    return 'gone';
  }
}

/** This machine's addresses other than loopback (and link-local IPv6, which needs a scope to dial). */
function nonLoopbackAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && !a.internal && !a.address.startsWith('fe80:'))
    .map((a) => a?.address as string);
}

/** True when a TCP connection to address:port is accepted. */
function reachable(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A ListTables request to DynamoDB Local on 127.0.0.1 with these headers (a preflight when they hold
 * Access-Control-Request-Method). DynamoDB Local does not check signatures, so a dummy one does.
 */
function dynamo(
  port: number,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const preflight = 'Access-Control-Request-Method' in headers;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: preflight ? 'OPTIONS' : 'POST',
        path: '/',
        agent: false,
        headers: preflight
          ? headers
          : {
              'Content-Type': 'application/x-amz-json-1.0',
              'X-Amz-Target': 'DynamoDB_20120810.ListTables',
              Authorization:
                'AWS4-HMAC-SHA256 Credential=local/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
              ...headers,
            },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.once('error', reject);
    req.end(preflight ? undefined : '{}');
  });
}

/** A plain HTTP request to 127.0.0.1:port (the S3 API, OpenSearch's REST API) with these headers. */
function http(
  port: number,
  method: string,
  headers: Record<string, string>,
  path = '/',
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent: false, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.once('error', reject);
    req.end(body);
  });
}

/** A server on a free loopback port, standing in for "something else" on the port. */
function listen(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
