import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describeCluster } from '../../lib/kafka/client.js';
import { pingDynamo } from '../../lib/store/dynamo-client.js';
import { type Component, ensureJars } from './jars.js';
import {
  compileLauncher,
  hostJava,
  type JavaRuntime,
  LAUNCHER_CLASS,
  launcherClasses,
  NO_BROWSER_ORIGIN,
  startedLockedDown,
} from './loopback.js';
import { StackError, type StackSettings } from './settings.js';

export type ServiceName = 'kafka' | 'dynamodb' | 'postgres' | 's3' | 'opensearch';

/** How to run a service's process in the foreground (the stack detaches it and records its pid). */
export interface Launch {
  command: string;
  args: string[];
  /** Working directory of the process (DynamoDB Local writes a metadata file there). */
  cwd: string;
  /** Variables set for the process on top of the stack's own environment (OpenSearch reads its paths there). */
  env?: Record<string, string>;
}

/** One service of the dev stack: how to prepare its data directory, start it and know it answers. */
export interface Service {
  name: ServiceName;
  port: number;
  /** The environment variable that chooses the port, named when the port is taken. */
  portSetting: string;
  /** Identifies the process in /proc so only our own pid is ever signalled. */
  marker: string;
  /** The address clients use. */
  endpoint: string;
  /** Readies what the process needs (jars, data directory) and says how to run it. */
  launch(): Launch;
  probe(): Promise<unknown>;
  /** Runs on every `up` once the probe answers: creates what clients expect where it is missing. */
  provision?(): Promise<void>;
  /** The signal `down` sends; SIGTERM when undefined. */
  stopSignal?: NodeJS.Signals;
  /**
   * One line saying how a running process of this service, known by its command line, is reachable
   * beyond this machine's loopback and what to do about it; undefined when it is not.
   */
  exposure?(commandLine: string): string | undefined;
}

/** A service `java` runs from jars fetched from Maven Central (`ensureJars`). */
export interface JvmService extends Service {
  prepare(jarDir: string): void;
  args(jarDir: string): string[];
  cwd: string;
}

export function jvm(s: StackSettings, component: Component, spec: Omit<JvmService, 'launch'>): JvmService {
  return {
    ...spec,
    launch() {
      const jarDir = ensureJars(s, component);
      spec.prepare(jarDir);
      return { command: 'java', args: spec.args(jarDir), cwd: spec.cwd };
    },
  };
}

export function kafkaService(s: StackSettings): JvmService {
  const dir = join(s.dataDir, 'kafka');
  const props = join(dir, 'server.properties');
  const classpath = (jarDir: string) => `${jarDir}/*`;
  return jvm(s, 'kafka', {
    name: 'kafka',
    port: s.kafkaPort,
    portSetting: 'KAFKA_PORT',
    marker: 'kafka.Kafka',
    endpoint: `127.0.0.1:${s.kafkaPort}`,
    cwd: dir,
    prepare(jarDir) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(props, serverProperties(s, join(dir, 'logs')));
      writeFileSync(join(dir, 'log4j.properties'), LOG4J);
      // KRaft needs its metadata directory formatted once; a formatted one is kept across restarts.
      if (existsSync(join(dir, 'logs', 'meta.properties'))) return;
      const format = spawnSync(
        'java',
        ['-cp', classpath(jarDir), 'kafka.tools.StorageTool', 'format', '-t', clusterId(), '-c', props],
        { encoding: 'utf8' },
      );
      if (format.status !== 0)
        throw new StackError(`formatting Kafka storage failed: ${format.stderr.trim()}`);
    },
    args: (jarDir) => [
      '-Xms256m',
      '-Xmx768m',
      '-XX:+UseG1GC',
      `-Dlog4j.configuration=file:${join(dir, 'log4j.properties')}`,
      '-cp',
      classpath(jarDir),
      'kafka.Kafka',
      props,
    ],
    probe: () => describeCluster([`127.0.0.1:${s.kafkaPort}`], 2_000),
  });
}

/**
 * DynamoDB Local, reachable from this machine only: bound to 127.0.0.1 and refusing requests whose Host
 * header is not a loopback name (LoopbackDynamoDB.java), with a CORS allow-list no web page matches.
 * Where `java` cannot compile the launcher (a bare JRE), it starts DynamoDB Local as it comes —
 * listening on every interface — and `exposure` says so (docs/local-mode-security.md).
 */
export function dynamodbService(s: StackSettings, java: JavaRuntime = hostJava): JvmService {
  const dir = join(s.dataDir, 'dynamodb');
  const main = 'com.amazonaws.services.dynamodbv2.local.main.ServerRunner';
  return jvm(s, 'dynamodb', {
    name: 'dynamodb',
    port: s.dynamodbPort,
    portSetting: 'DYNAMODB_PORT',
    // The launcher takes the main class as its first argument, so both ways of starting carry it.
    marker: 'dynamodbv2.local.main.ServerRunner',
    endpoint: `http://127.0.0.1:${s.dynamodbPort}`,
    cwd: dir,
    prepare(jarDir) {
      mkdirSync(dir, { recursive: true });
      if (java.compiles()) compileLauncher(s.cacheDir, jarDir);
    },
    args: (jarDir) => [
      '-Xms64m',
      '-Xmx512m',
      `-Djava.library.path=${jarDir}`,
      '-cp',
      ...(java.compiles()
        ? [`${launcherClasses(s.cacheDir, jarDir)}${delimiter}${jarDir}/*`, LAUNCHER_CLASS, main]
        : [`${jarDir}/*`, main]),
      // -sharedDb: one database file whatever region or credentials a client uses; on disk, so state survives.
      '-sharedDb',
      // DynamoDB Local 2.x phones home unless told not to; the dev stack talks to loopback only.
      '-disableTelemetry',
      '-cors',
      NO_BROWSER_ORIGIN,
      '-dbPath',
      dir,
      '-port',
      String(s.dynamodbPort),
    ],
    probe: () => pingDynamo(`http://127.0.0.1:${s.dynamodbPort}`),
    exposure(commandLine) {
      if (startedLockedDown(commandLine)) return undefined;
      const why = java.compiles()
        ? 'it was started without the loopback launcher (by an older version of the stack): restart it with `npm run stack -- down` then `up`'
        : 'this java cannot compile local/stack/LoopbackDynamoDB.java (no jdk.compiler module): install a JDK 17+, not a bare JRE';
      return `DynamoDB Local on port ${s.dynamodbPort} listens on every network interface, not just 127.0.0.1, because ${why}`;
    },
  });
}

function serverProperties(s: StackSettings, logDir: string): string {
  return `# Written by the dev stack on every start; single-node KRaft on loopback.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${s.kafkaControllerPort}
listeners=PLAINTEXT://127.0.0.1:${s.kafkaPort},CONTROLLER://127.0.0.1:${s.kafkaControllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${s.kafkaPort}
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=${logDir}
num.partitions=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
group.initial.rebalance.delay.ms=0
log.retention.hours=24
`;
}

const LOG4J = `log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaServer=INFO
log4j.logger.kafka.server.KafkaRaftServer=INFO
`;

function clusterId(): string {
  // Kafka cluster ids are 16 random bytes, base64url without padding (22 characters).
  return Buffer.from(randomUUID().replaceAll('-', ''), 'hex').toString('base64url');
}
