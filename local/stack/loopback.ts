import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StackError } from './settings.js';

/**
 * The Java source of the launcher that runs DynamoDB Local bound to 127.0.0.1, refusing non-loopback
 * Host headers (DynamoDB Local itself has no bind-address option and listens on every interface).
 */
export const LOOPBACK_LAUNCHER = fileURLToPath(new URL('./LoopbackDynamoDB.java', import.meta.url));
/** Its main class, as it appears in the command line of a DynamoDB Local started through it. */
export const LAUNCHER_CLASS = 'LoopbackDynamoDB';

/**
 * A Java source file the stack compiles against a server's jars to lock that server to loopback:
 * LoopbackDynamoDB.java for DynamoDB Local, LoopbackS3Mock.java for S3Mock.
 */
export interface Launcher {
  source: string;
  /** Its top-level class, compiled to `<className>.class`. */
  className: string;
  /** Files written beside the classes, by relative path (S3Mock's `META-INF/spring.factories`). */
  resources?: Record<string, string>;
}

export const DYNAMODB_LAUNCHER: Launcher = { source: LOOPBACK_LAUNCHER, className: LAUNCHER_CLASS };

/** What the dev stack needs to know about the local `java`. */
export interface JavaRuntime {
  /** True when it can compile Java: it has the `jdk.compiler` module (a JDK, not a bare JRE). */
  compiles(): boolean;
}

let compiles: boolean | undefined;

/** The `java` on PATH; the probe runs once per process. */
export const hostJava: JavaRuntime = {
  compiles() {
    if (compiles === undefined) {
      const probe = spawnSync('java', ['--list-modules'], { encoding: 'utf8' });
      compiles = probe.status === 0 && /^jdk\.compiler@/m.test(probe.stdout);
    }
    return compiles;
  },
};

/**
 * Where the launcher compiled against these jars lives: a cache directory named by a hash of its source
 * (and resources) and the jar directory (which carries the server's version), so an edit or an upgrade
 * recompiles.
 */
export function launcherClasses(cacheDir: string, jarDir: string, launcher = DYNAMODB_LAUNCHER): string {
  const hash = createHash('sha256').update(readFileSync(launcher.source)).update(jarDir);
  if (launcher.resources) hash.update(JSON.stringify(launcher.resources));
  return join(cacheDir, 'loopback', hash.digest('hex').slice(0, 16));
}

/**
 * Compiles the launcher into `launcherClasses` unless it is there, and returns that directory.
 * Compiling takes seconds, so it happens once, not on every start (Java's source-file mode would).
 * It uses the `java` that will run it (`--release 17`, the stack's minimum), not whatever `javac` is on
 * PATH, and compiles into a private directory renamed into place, so a concurrent `up` never sees half.
 * A compile error — the server's internals changed in an upgrade — is thrown: the stack fails closed
 * rather than start the server on every interface.
 */
export function compileLauncher(cacheDir: string, jarDir: string, launcher = DYNAMODB_LAUNCHER): string {
  const dir = launcherClasses(cacheDir, jarDir, launcher);
  if (existsSync(join(dir, `${launcher.className}.class`))) return dir;
  const scratch = `${dir}.tmp-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  // javac does not expand `dir/*` itself (only its native launcher does), so the jars are listed, those
  // in subdirectories too (an extracted Spring Boot jar keeps its libraries in lib/).
  const jars = readdirSync(jarDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.jar'))
    .map((f) => join(jarDir, f))
    .join(delimiter);
  const javac = spawnSync(
    'java',
    [
      '-m',
      'jdk.compiler/com.sun.tools.javac.Main',
      '--release',
      '17',
      '-cp',
      jars,
      '-d',
      scratch,
      launcher.source,
    ],
    { encoding: 'utf8' },
  );
  if (javac.status !== 0) {
    rmSync(scratch, { recursive: true, force: true });
    const detail = `${javac.stdout ?? ''}${javac.stderr ?? ''}`.trim().split('\n').slice(0, 3).join(' | ');
    throw new StackError(
      `compiling ${launcher.source} against ${jarDir} failed, so its server is not started (it would listen on every interface): ${detail}`,
    );
  }
  for (const [path, text] of Object.entries(launcher.resources ?? {})) {
    mkdirSync(dirname(join(scratch, path)), { recursive: true });
    writeFileSync(join(scratch, path), text);
  }
  try {
    renameSync(scratch, dir);
  } catch {
    // Another `up` renamed its copy first; theirs is as good as ours.
    rmSync(scratch, { recursive: true, force: true });
  }
  return dir;
}

/**
 * True when this command line is DynamoDB Local started through the launcher (by its class name, so a
 * process that another checkout of the repo started on the same data directory counts too).
 */
export function startedLockedDown(commandLine: string): boolean {
  return commandLine.split(' ').includes(LAUNCHER_CLASS);
}

/**
 * DynamoDB Local's CORS allow-list. Its usage text gives `*` as the default; `none` is no origin a
 * browser ever sends (they send `scheme://host[:port]` or `null`), so a preflight from a web page never
 * gets an `Access-Control-Allow-Origin` and the browser never sends the real request.
 */
export const NO_BROWSER_ORIGIN = 'none';
