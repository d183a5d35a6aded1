import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { StackError } from './settings.js';

/** A system user a server of the stack runs as when the stack runs as root (PostgreSQL and OpenSearch refuse root). */
export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
}

/** Rewrites a command so it runs as the server's user. */
export type RunAs = (command: string, args: string[]) => [string, string[]];

/**
 * When the stack runs as root, the system user `name` (created the first time: no home, no login shell);
 * otherwise undefined: the server runs as whoever runs the stack. `server` names it in the error.
 */
export function serverUser(name: string, server: string): SystemUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = () => {
    const entry = spawnSync('getent', ['passwd', name], { encoding: 'utf8' }).stdout?.split(':');
    return entry?.[2] && entry[3] ? { name, uid: Number(entry[2]), gid: Number(entry[3]) } : undefined;
  };
  const existing = lookup();
  if (existing) return existing;
  const created = spawnSync(
    'useradd',
    [
      '--system',
      '--user-group',
      '--no-create-home',
      '--home-dir',
      '/nonexistent',
      '--shell',
      '/usr/sbin/nologin',
      name,
    ],
    { encoding: 'utf8' },
  );
  // Looked up again either way: a concurrent `up` may have created the user first.
  const user = lookup();
  if (user) return user;
  throw new StackError(
    `creating the system user ${name} for ${server} failed (${created.error?.message ?? created.stderr.trim()}): ` +
      `${server} refuses to run as root; run the stack as a normal user or create ${name} yourself`,
  );
}

/** `setpriv` for a user, the command itself otherwise. setpriv execs, so the pid the stack records is the server's own. */
export function runAs(user: SystemUser | undefined): RunAs {
  return (command, args) =>
    user
      ? ['setpriv', [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', '--', command, ...args]]
      : [command, args];
}

/** The server's files live under the stack's data dir, so its user must be able to walk down to it. */
export function reachable(dir: string, user: SystemUser, server: string): void {
  mkdirSync(dir, { recursive: true });
  const [command, args] = runAs(user)('test', ['-x', dir]);
  const result = spawnSync(command, args);
  if (result.error)
    throw new StackError(
      `${command} not found: install util-linux (it runs ${server} as ${user.name}, ${server} refuses root)`,
    );
  if (result.status !== 0)
    throw new StackError(
      `${user.name} cannot reach ${dir}: let other users traverse it and its parents (chmod o+x), or set SC_DATA_DIR elsewhere`,
    );
}
