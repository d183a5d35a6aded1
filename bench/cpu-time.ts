/**
 * CPU time (user + system) of a process tree, read from the OS (docs/architecture.md, How we measure): far
 * steadier than wall time on a machine whose cores other work shares. From /proc/<pid>/stat: utime and
 * stime (every thread of the process), cutime and cstime (its children that exited and were reaped), in
 * clock ticks (`getconf CLK_TCK`, normally 100 a second), summed over the pid and all its live
 * descendants. So a forked child (a Lambda simulator's execution environment) counts while it lives and,
 * once reaped, through its parent's cutime and cstime; the sum only grows. Linux only.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

interface Stat {
  ppid: number;
  /** utime + stime + cutime + cstime, in clock ticks. */
  ticks: number;
}

function readStat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // gone meanwhile
  }
  // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so fields count from the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): ppid is field 4, utime … cstime are fields 14–17.
  const n = (field: number) => Number(fields[field - 3]);
  return { ppid: n(4), ticks: n(14) + n(15) + n(16) + n(17) };
}

export interface TreeOptions {
  /** Pids left out with all their descendants (e.g. a JVM the bench process started and measures apart). */
  exclude?: number[];
}

/** CPU seconds so far of `pid` and its live descendants (minus the excluded subtrees). */
export function treeCpuSeconds(pid: number, options: TreeOptions = {}): number {
  const excluded = new Set(options.exclude ?? []);
  const children = new Map<number, number[]>();
  const ticks = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const child = Number(name);
    const stat = readStat(child);
    if (!stat) continue;
    ticks.set(child, stat.ticks);
    const siblings = children.get(stat.ppid);
    if (siblings) siblings.push(child);
    else children.set(stat.ppid, [child]);
  }
  if (!ticks.has(pid)) throw new Error(`no process ${pid}`);
  let total = 0;
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.pop()!;
    if (excluded.has(next)) continue;
    total += ticks.get(next) ?? 0;
    queue.push(...(children.get(next) ?? []));
  }
  return total / TICKS_PER_SECOND;
}

/**
 * Snapshots the tree's CPU time now; the answer gives the CPU seconds spent since (resolution: one
 * clock tick, 10 ms at 100 Hz).
 */
export function cpuDelta(pid: number, options: TreeOptions = {}): () => number {
  const before = treeCpuSeconds(pid, options);
  return () => treeCpuSeconds(pid, options) - before;
}
