import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLocalInstance } from '../../../lib/runtime/worker-config.js';
import { dataDirTag, INSTANCE_FILE, startLocalInstance } from '../../../local/local-instance.js';
import { uniqueName } from '../../support/services.js';
import { type StoreFixture, storeFixture } from '../store/fixture.js';

// A restarted local mode frees the leases of its killed earlier start at once, instead of waiting up to
// 30 s for them to expire; a start that cannot prove the earlier one dead leaves them alone.
let fx: StoreFixture;
let alive: ChildProcess;
beforeAll(async () => {
  fx = await storeFixture('recovery');
  alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
});
afterAll(async () => {
  alive.kill('SIGKILL');
  await fx.dispose();
});

const TTL = 30_000;

/** The lease owner a task runner of local-mode instance `id` writes (leased-run.ts: `<workerId>#<uuid>`). */
const ownerOf = (id: string) =>
  `${withLocalInstance('ServerlessConnect-TaskRunner-X/2026/01/01/[$LATEST]abc', { SC_LOCAL_INSTANCE: id })}#${uniqueName('p')}`;

/** A data dir whose file says that `pid` ran instance `<tag>.old` on it. */
function dataDirOf(pid: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'sc-recovery-'));
  const previous = `${dataDirTag(dataDir)}.old`;
  writeFileSync(join(dataDir, INSTANCE_FILE), JSON.stringify({ id: previous, pid, startedAt: '' }));
  return { dataDir, previous };
}

const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid ?? 1 << 22;

describe('local-mode recovery at start', () => {
  it('frees the live leases of a dead earlier start of the same data dir, and only those', async () => {
    // Prepare: the earlier start was SIGKILLed mid-batch, its task's lease live for 30 s more.
    const { dataDir, previous } = dataDirOf(deadPid());
    const [c1, c2] = [uniqueName('c'), uniqueName('c')];
    const { leases } = fx.store;
    const dead = await leases.acquire(c1, 0, ownerOf(previous), TTL);
    await leases.acquire(c1, 1, ownerOf('0badc0de.other-data-dir'), TTL);
    await leases.acquire(c2, 0, 'ServerlessConnect-TaskRunner-X/aws-stream#1', TTL);
    // Act
    const instance = await startLocalInstance({ dataDir, leases: fx.another().leases });
    const next = await fx.another().leases.acquire(c1, 0, ownerOf(instance.id), TTL);
    // Assess
    expect(instance.previous?.id).toBe(previous);
    expect(instance.id).toMatch(new RegExp(`^${dataDirTag(dataDir)}\\.[0-9a-f]{12}$`));
    expect(instance.reclaimed).toEqual([
      { connector: c1, task: 0, owner: expect.stringContaining(previous) },
    ]);
    expect(next?.epoch).toBe((dead?.epoch ?? 0) + 2); // freed and fenced
    expect(await fx.another().leases.acquire(c1, 1, 'x', TTL)).toBeUndefined();
    expect(await fx.another().leases.acquire(c2, 0, 'x', TTL)).toBeUndefined();
    expect(JSON.parse(readFileSync(join(dataDir, INSTANCE_FILE), 'utf8'))).toMatchObject({
      id: instance.id,
      pid: process.pid,
    });
  });

  it('leaves the leases alone while the earlier start is alive', async () => {
    // Prepare
    const { dataDir, previous } = dataDirOf(alive.pid ?? 0);
    const connector = uniqueName('c');
    await fx.store.leases.acquire(connector, 0, ownerOf(previous), TTL);
    // Act
    const instance = await startLocalInstance({ dataDir, leases: fx.store.leases });
    // Assess
    expect(instance.reclaimed).toEqual([]);
    expect(await fx.another().leases.acquire(connector, 0, 'x', TTL)).toBeUndefined();
    expect(JSON.parse(readFileSync(join(dataDir, INSTANCE_FILE), 'utf8')).id).toBe(previous);
  });
});
