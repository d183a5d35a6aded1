import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { type AddressInfo, connect, createServer, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stackSettings } from '../../../local/stack/settings.js';
import { devStack, down, status, up } from '../../../local/stack/stack.js';

// A second, private stack on other ports and a temporary data dir, so these tests can start and stop
// it without touching the one the other integration tests use. Jars come from the shared cache.
const dataDir = mkdtempSync(join(tmpdir(), 'sc-stack-'));
const env = {
  ...process.env,
  SC_DATA_DIR: dataDir,
  KAFKA_PORT: '19092',
  KAFKA_CONTROLLER_PORT: '19093',
  DYNAMODB_PORT: '18000',
};

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the dev stack', () => {
  it('starts both services, reuses them on a second up, and down leaves no process behind', async () => {
    // Prepare
    const stack = devStack(stackSettings(env));
    try {
      // Act
      const first = await up(stack);
      const second = await up(stack);
      const pids = first.map((s) => s.pid);
      await down(stack);
      // Assess
      expect(first.map((s) => s.state)).toEqual(['started', 'started']);
      expect(second.map((s) => s.state)).toEqual(['reused', 'reused']);
      expect(second.map((s) => s.pid)).toEqual(pids);
      expect(status(stack).map((s) => s.state)).toEqual(['stopped', 'stopped']);
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
    const stack = devStack(stackSettings(env));
    const { kafkaPort, kafkaControllerPort, dynamodbPort } = stack.settings;
    try {
      const states = await up(stack);
      // Act
      const seen: Record<string, boolean> = {};
      for (const port of [kafkaPort, kafkaControllerPort, dynamodbPort]) {
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
      // Assess
      expect(states.map((s) => s.warning)).toEqual([undefined, undefined]);
      expect(seen).toEqual(
        Object.fromEntries(Object.keys(seen).map((key) => [key, key.startsWith('127.0.0.1:')])),
      );
      expect(rebound.status).toBe(403);
      expect(JSON.parse(rebound.body)).toMatchObject({
        __type: 'com.amazonaws.dynamodb.v20120810#AccessDeniedException',
      });
      expect(loopbackName.status).toBe(200);
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      if (outside.length === 0) context.skip('this machine has no non-loopback address to try the ports on');
    } finally {
      await down(stack);
    }
  });

  it('refuses with a one-line hint when a port is taken, and stops what it had started', async () => {
    // Prepare: DynamoDB Local's port is taken; Kafka's is free, so Kafka starts first.
    const squatter = await listen();
    const dynamoPort = String((squatter.address() as AddressInfo).port);
    const stack = devStack(stackSettings({ ...env, DYNAMODB_PORT: dynamoPort }));
    try {
      // Act
      const attempt = up(stack);
      // Assess
      await expect(attempt).rejects.toThrow(
        `port ${dynamoPort} (dynamodb) is already taken by another process: stop it, or choose another port (DYNAMODB_PORT=...)`,
      );
      expect(status(stack).map((s) => s.state)).toEqual(['stopped', 'stopped']);
    } finally {
      squatter.close();
      await down(stack);
    }
  });
});

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

/** A server on a free loopback port, standing in for "something else" on the port. */
function listen(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
