import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A background process that the stack started, remembered by a pid file. A pid counts as ours only
 * while its command line still carries our marker, so a recycled pid is never signalled.
 */
export interface ManagedProcess {
  pidFile: string;
  /** A string that appears in the process's command line (a JVM's main class, a postmaster's data dir). */
  marker: string;
  /** The signal that asks it to shut down cleanly; SIGTERM unless the service says otherwise. */
  stopSignal?: NodeJS.Signals;
}

export function runningPid(proc: ManagedProcess): number | undefined {
  if (!existsSync(proc.pidFile)) return undefined;
  const pid = Number(readFileSync(proc.pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return commandLine(pid)?.includes(proc.marker) ? pid : undefined;
}

/** The process's command line from /proc, arguments joined by spaces; undefined once it is gone. */
export function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}

export function startDetached(
  proc: ManagedProcess,
  command: string,
  args: string[],
  options: { logFile: string; cwd: string; env?: Record<string, string> },
): number {
  const { logFile, cwd, env } = options;
  mkdirSync(dirname(logFile), { recursive: true });
  const log = openSync(logFile, 'a');
  const child = spawn(command, args, {
    cwd,
    env: env && { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', log, log],
  });
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  writeFileSync(proc.pidFile, String(child.pid));
  return child.pid;
}

/** Sends the stop signal, waits for a clean exit, then SIGKILL. Removes the pid file. */
export async function stopProcess(proc: ManagedProcess, graceMs = 15_000): Promise<boolean> {
  const pid = runningPid(proc);
  rmSync(proc.pidFile, { force: true });
  if (pid === undefined) return false;
  process.kill(pid, proc.stopSignal ?? 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await sleep(100);
  }
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  // SIGKILL is delivered at once but the exit is not: wait so callers can rely on the port being free.
  for (let i = 0; i < 50 && alive(pid); i++) await sleep(100);
  return true;
}

function alive(pid: number): boolean {
  try {
    // A zombie still answers signal 0; /proc's state tells it has exited.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls `probe` until it resolves, or throws the last error after `timeoutMs`. */
export async function waitFor(
  what: string,
  probe: () => Promise<unknown>,
  timeoutMs: number,
  stillAlive: () => boolean,
) {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      await probe();
      return;
    } catch (error) {
      last = error;
    }
    if (!stillAlive()) throw new Error(`${what} exited during startup`);
    await sleep(250);
  }
  throw new Error(`${what} did not answer within ${timeoutMs / 1000}s: ${(last as Error)?.message ?? last}`);
}
