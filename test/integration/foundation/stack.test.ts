import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
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

/** A server on a free loopback port, standing in for "something else" on the port. */
function listen(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
