import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_OWNER_PREFIX, localInstancePrefix } from '../lib/runtime/worker-config.js';
import type { LeaseStore } from '../lib/store/index.js';

/** The file in the data dir naming the local-mode start that last ran on it. */
export const INSTANCE_FILE = 'local-instance.json';

interface InstanceRecord {
  id: string;
  pid: number;
  startedAt: string;
}

export interface LocalInstance {
  /** `<data dir tag>.<random>`: new on every start; goes in front of every lease owner. */
  id: string;
  /** The start that ran on this data dir before, as its file said. */
  previous?: InstanceRecord;
  /** Leases of earlier starts freed at this start. */
  reclaimed: { connector: string; task: number; owner: string }[];
}

/**
 * Starts a local-mode instance on `dataDir` (`npm start`): a new id, written to `<dataDir>/local-instance.json`
 * with this process's pid, and — when the start recorded there is provably dead (its pid is gone) — every
 * lease owned by an earlier instance of this data dir freed and fenced, so a task its killed runner held
 * runs again at the first tick rather than after its lease's expiry (up to 30 s). The whole worker fleet
 * of local mode is this one process tree (the simulated Lambdas exit with it), so a dead process is a
 * dead fleet. On AWS nothing can prove a container dead: there, the lease's expiry is the answer.
 * `reclaim: false` keeps the old behaviour (a benchmark's baseline).
 */
export async function startLocalInstance(options: {
  dataDir: string;
  leases: LeaseStore;
  reclaim?: boolean;
}): Promise<LocalInstance> {
  const { dataDir, leases } = options;
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, INSTANCE_FILE);
  const previous = readInstance(file);
  const tag = dataDirTag(dataDir);
  const id = `${tag}.${randomBytes(6).toString('hex')}`;
  const instance: LocalInstance = { id, reclaimed: [], ...(previous ? { previous } : {}) };
  // Alive (or its pid reused by another process): nothing is proven, the leases expire as on AWS; and
  // the file keeps naming it, so that a start failing here cannot get its leases freed later.
  if (previous && isAlive(previous.pid)) return instance;
  const record: InstanceRecord = { id, pid: process.pid, startedAt: new Date().toISOString() };
  writeFileSync(file, `${JSON.stringify(record)}\n`);
  if (options.reclaim === false) return instance;
  instance.reclaimed = await leases.releaseOwnedBy(`${LOCAL_OWNER_PREFIX}${tag}.`, {
    except: localInstancePrefix(id),
  });
  return instance;
}

/** A short tag of the data dir, so that instances of another data dir sharing the tables are left alone. */
export function dataDirTag(dataDir: string): string {
  return createHash('sha256').update(realpathSync(dataDir)).digest('hex').slice(0, 8);
}

function readInstance(file: string): InstanceRecord | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<InstanceRecord>;
    return typeof parsed.id === 'string' && typeof parsed.pid === 'number'
      ? { id: parsed.id, pid: parsed.pid, startedAt: String(parsed.startedAt ?? '') }
      : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: a process of another user has the pid — alive as far as we can tell.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
