import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StackError, type StackSettings } from './settings.js';

/**
 * `connect` (Apache Kafka Connect) and `debezium` (Debezium's PostgreSQL connector, a plugin directory for
 * it) are fetched only by the benchmarks that compare against them. `s3mock` is S3Mock's executable jar,
 * `opensearch` OpenSearch's distribution zip, unpacked.
 */
export type Component = 'kafka' | 'dynamodb' | 'connect' | 'debezium' | 's3mock' | 'opensearch';

/** The pom property pinning each component's version. */
const VERSION_PROPERTY: Record<Component, string> = {
  kafka: 'kafka.version',
  connect: 'kafka.version',
  dynamodb: 'dynamodb.local.version',
  debezium: 'debezium.version',
  s3mock: 's3mock.version',
  opensearch: 'opensearch.version',
};

/** A distribution zip is unpacked where it lands; jars are copied as they are. */
const GOAL: Partial<Record<Component, string>> = { opensearch: 'dependency:unpack-dependencies' };

/**
 * Returns the directory holding the component's jars (for a distribution, its unpacked tree), fetching
 * them from Maven Central with `mvn` the first time. A `.complete` marker is written only after Maven
 * succeeded, so an interrupted download is retried rather than half-used.
 */
export function ensureJars(settings: StackSettings, component: Component): string {
  const dir = join(settings.cacheDir, 'jars', `${component}-${pomVersion(settings.pom, component)}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  requireTool(
    'java',
    '-version',
    'Java 17+ is required: install a JDK (e.g. apt-get install openjdk-17-jdk-headless; a bare JRE leaves DynamoDB Local on every interface)',
  );
  requireTool('mvn', '-v', 'Maven is required to fetch the jars: install it (e.g. apt-get install maven)');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const result = spawnSync(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      settings.pom,
      `-P${component}`,
      GOAL[component] ?? 'dependency:copy-dependencies',
      `-DoutputDirectory=${dir}`,
    ],
    { encoding: 'utf8' },
  );
  if (result.status !== 0 || readdirSync(dir).length === 0) {
    const detail = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-3).join(' | ');
    throw new StackError(
      `downloading ${component} from Maven Central failed (check network/proxy and ~/.m2/settings.xml): ${detail}`,
    );
  }
  writeFileSync(join(dir, '.complete'), new Date().toISOString());
  return dir;
}

// The pinned versions live in the pom; the cache directory name carries them so a bump re-fetches.
export function pomVersion(pom: string, component: Component): string {
  const property = VERSION_PROPERTY[component];
  const match = readFileSync(pom, 'utf8').match(new RegExp(`<${property}>([^<]+)</${property}>`));
  if (!match?.[1]) throw new StackError(`${pom} has no <${property}>`);
  return match[1];
}

function requireTool(command: string, versionFlag: string, hint: string): void {
  const probe = spawnSync(command, [versionFlag], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) throw new StackError(`${command} not found. ${hint}`);
}
