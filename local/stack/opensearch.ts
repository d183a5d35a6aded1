import { spawnSync } from 'node:child_process';
import {
  chownSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { ensureJars, pomVersion } from './jars.js';
import type { Launch, Service } from './services.js';
import { StackError, type StackSettings } from './settings.js';
import { reachable, runAs, type SystemUser, serverUser } from './system-user.js';

/** The system user OpenSearch runs as when the stack runs as root (OpenSearch refuses to run as root). */
export const OPENSEARCH_USER = 'sc-opensearch';

/**
 * A single-node OpenSearch 2.x for the Elasticsearch/OpenSearch sink's tests: the integ-test distribution
 * from Maven Central (no plugins, so no security plugin: plain HTTP, no credentials), HTTP and transport on
 * 127.0.0.1 only, indices in `<dataDir>/opensearch/data` kept across restarts. As root it runs as the
 * unprivileged `sc-opensearch`.
 */
export function opensearchService(s: StackSettings): Service {
  const dir = join(s.dataDir, 'opensearch');
  const dataPath = join(dir, 'data');
  const endpoint = `http://127.0.0.1:${s.opensearchPort}`;
  return {
    name: 'opensearch',
    port: s.opensearchPort,
    portSetting: 'OPENSEARCH_PORT',
    // bin/opensearch execs the JVM with its own arguments, so the script and then the JVM both carry it.
    marker: `-Epath.data=${dataPath}`,
    endpoint,
    launch: () => launch(s, dir, dataPath),
    async probe() {
      await get(`${endpoint}/`);
      await get(`${endpoint}/_cluster/health?wait_for_status=yellow&timeout=1s`);
    },
  };
}

async function get(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  const body = await response.text();
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${body.slice(0, 200)}`);
  return JSON.parse(body);
}

function launch(s: StackSettings, dir: string, dataPath: string): Launch {
  const distribution = join(ensureJars(s, 'opensearch'), `opensearch-${pomVersion(s.pom, 'opensearch')}`);
  const owner = serverUser(OPENSEARCH_USER, 'OpenSearch');
  if (owner) reachable(s.dataDir, owner, 'OpenSearch');
  // The cache usually sits in root's home, which sc-opensearch cannot enter: as root it runs a copy.
  const home = owner ? copied(distribution, join(dir, basename(distribution))) : distribution;
  const config = join(dir, 'config');
  const logs = join(dir, 'logs');
  const tmp = join(dir, 'tmp');
  // OpenSearch writes all of these (its keystore into config); the files below it only reads.
  for (const path of [dir, config, dataPath, logs, tmp]) owned(path, owner);
  writeFileSync(join(config, 'opensearch.yml'), opensearchYml(s, logs));
  writeFileSync(join(config, 'jvm.options'), jvmOptions(logs));
  copyFileSync(join(distribution, 'config', 'log4j2.properties'), join(config, 'log4j2.properties'));
  const [command, args] = runAs(owner)(join(home, 'bin', 'opensearch'), [`-Epath.data=${dataPath}`]);
  return {
    command,
    args,
    cwd: dir,
    env: {
      OPENSEARCH_PATH_CONF: config,
      OPENSEARCH_TMPDIR: tmp,
      OPENSEARCH_JAVA_OPTS: '-Xms256m -Xmx512m',
      // The no-JDK distribution needs a java: the one on PATH, which runs the rest of the stack.
      OPENSEARCH_JAVA_HOME: process.env.OPENSEARCH_JAVA_HOME ?? javaHome(),
    },
  };
}

function owned(path: string, owner: SystemUser | undefined): void {
  mkdirSync(path, { recursive: true });
  if (owner) chownSync(path, owner.uid, owner.gid);
}

/** The distribution copied into `target` once, through a scratch directory renamed into place. */
function copied(distribution: string, target: string): string {
  if (existsSync(target)) return target;
  const scratch = `${target}.tmp-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  cpSync(distribution, scratch, { recursive: true });
  try {
    renameSync(scratch, target);
  } catch {
    // A concurrent `up` renamed its copy first.
    rmSync(scratch, { recursive: true, force: true });
  }
  return target;
}

function javaHome(): string {
  const probe = spawnSync('java', ['-XshowSettings:properties', '-version'], { encoding: 'utf8' });
  const home = /^\s*java\.home = (.+)$/m.exec(probe.stderr ?? '')?.[1];
  if (home === undefined) throw new StackError('java not found: install a JDK 17+ (OpenSearch runs on it)');
  return home.trim();
}

function opensearchYml(s: StackSettings, logs: string): string {
  return `# Written by the dev stack on every start: one node on loopback, for the sink tests.
cluster.name: sc-dev-stack
node.name: sc-dev-stack
discovery.type: single-node
network.host: 127.0.0.1
http.port: ${s.opensearchPort}
transport.port: ${s.opensearchTransportPort}
path.logs: ${logs}
# The disk-based allocation decider off: a full-ish CI disk must not make indices read-only (flood stage)
# nor leave new shards unassigned; this node does not own the disk it shares with everything else.
cluster.routing.allocation.disk.threshold_enabled: false
`;
}

/**
 * The distribution's config/jvm.options with its paths, relative to OpenSearch's home (read-only here),
 * moved under the logs directory, and no heap dump on OutOfMemoryError (half a gigabyte on a CI disk).
 * The heap comes from OPENSEARCH_JAVA_OPTS.
 */
function jvmOptions(logs: string): string {
  return `# Written by the dev stack on every start.
11-:-XX:+UseG1GC
11-:-XX:G1ReservePercent=25
11-:-XX:InitiatingHeapOccupancyPercent=30
-Djava.io.tmpdir=\${OPENSEARCH_TMPDIR}
-XX:ErrorFile=${logs}/hs_err_pid%p.log
9-:-Xlog:gc*,gc+age=trace,safepoint:file=${logs}/gc.log:utctime,pid,tags:filecount=4,filesize=16m
18-:-Djava.security.manager=allow
20-:--add-modules=jdk.incubator.vector
-Djava.util.concurrent.ForkJoinPool.common.threadFactory=org.opensearch.secure_sm.SecuredForkJoinWorkerThreadFactory
`;
}
