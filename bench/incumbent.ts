/**
 * Apache Kafka Connect itself — a worker from the Maven Central jars, with its own
 * FileStreamSource/FileStreamSink — as the incumbent baseline of bench/pipeline.ts and bench/end-to-end.ts
 * (docs/architecture.md, How we measure). The worker is started once (its JVM start is not measured); each
 * run creates a connector over its REST API and is timed from that request until the data is all there.
 * Standalone by default; `mode: 'distributed'` runs the durable, multi-worker mode (config, offset and
 * status topics) that compares with ours. With `plugins` it also loads third-party connectors (Debezium,
 * for bench/cdc-pipeline.ts and bench/debezium-diff.ts) from a plugin.path. `pid` is the JVM's, for its
 * CPU time (bench/cpu-time.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ensureJars } from '../local/stack/jars.js';
import { stackSettings } from '../local/stack/settings.js';
import { cpuDelta } from './cpu-time.js';

export interface IncumbentOptions {
  /** Plugin directories (from local/stack/pom.xml) on the worker's plugin.path. @default none */
  plugins?: 'debezium'[];
  /**
   * The worker's key and value converters: `string` (StringConverter, so both sides of bench/pipeline.ts move
   * the same bytes) or `json` (JsonConverter with schemas.enable=true, Debezium's usual setting).
   * @default 'string'
   */
  converters?: 'string' | 'json';
  /**
   * `standalone` (ConnectStandalone, offsets in a file) or `distributed` (ConnectDistributed: one worker of
   * a fresh group with its own config, offset and status topics, replication factor 1).
   * @default 'standalone'
   */
  mode?: 'standalone' | 'distributed';
}

/** One timed run: wall seconds and the JVM's CPU seconds (user + system) over the same interval. */
export interface IncumbentRun {
  seconds: number;
  cpuSeconds: number;
}

export interface IncumbentWorker {
  version: string;
  mode: 'standalone' | 'distributed';
  /** The JVM's process id. */
  pid: number;
  /** The worker's REST API, e.g. for GET /connectors/{name}/offsets. */
  url: string;
  /** Creates a connector (named `config.name`, or a fresh name) and returns its name; throws unless 201. */
  connector(config: Record<string, string>): Promise<string>;
  /** Deletes a connector; its tasks are stopped when this returns. */
  remove(name: string): Promise<void>;
  /** From creating a FileStreamSource until `records` records are in `topic`. */
  source(input: string, topic: string, records: number): Promise<IncumbentRun>;
  /** From creating a FileStreamSink until `output` holds `bytes` bytes. */
  sink(topic: string, output: string, bytes: number): Promise<IncumbentRun>;
  /** Stops the JVM; a distributed worker's internal topics stay (see `internalTopics`). */
  stop(): Promise<void>;
  /** A distributed worker's config, offset and status topics (none standalone). */
  internalTopics: string[];
}

export async function startIncumbent(
  brokers: string[],
  dir: string,
  /** Records in a topic (the sum of its partitions' end offsets; 0 while it does not exist). */
  recordsIn: (topic: string) => Promise<number>,
  options: IncumbentOptions = {},
): Promise<IncumbentWorker> {
  const settings = stackSettings();
  const jars = ensureJars(settings, 'connect');
  const port = await freePort();
  const home = join(dir, 'connect');
  mkdirSync(home, { recursive: true });
  // plugin.path names directories whose subdirectories are plugins; one link per plugin keeps the worker
  // from scanning every other jar of the cache.
  const pluginPath = join(home, 'plugins');
  mkdirSync(pluginPath, { recursive: true });
  for (const plugin of options.plugins ?? [])
    symlinkSync(ensureJars(settings, plugin), join(pluginPath, plugin));
  const converter =
    options.converters === 'json'
      ? 'org.apache.kafka.connect.json.JsonConverter'
      : 'org.apache.kafka.connect.storage.StringConverter';
  const mode = options.mode ?? 'standalone';
  const group = `bench-connect-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const internalTopics =
    mode === 'distributed' ? ['configs', 'offsets', 'status'].map((t) => `${group}-${t}`) : [];
  const worker = join(home, 'worker.properties');
  // The worker defaults of Kafka's quickstart, with strings in and out (unless asked for JSON) so both sides
  // move the same bytes, and frequent offset commits: FileStreamSink flushes its file at each commit. The
  // distributed worker keeps the standalone one's offset.flush.interval.ms (100 ms, not the 60 s default)
  // so that its sink's output is flushed as often; its group and topics are fresh per start, with
  // replication factor 1 (the dev stack has one broker).
  writeFileSync(
    worker,
    [
      `bootstrap.servers=${brokers.join(',')}`,
      `key.converter=${converter}`,
      `value.converter=${converter}`,
      ...(options.converters === 'json'
        ? ['key.converter.schemas.enable=true', 'value.converter.schemas.enable=true']
        : []),
      ...(mode === 'distributed'
        ? [
            `group.id=${group}`,
            `config.storage.topic=${internalTopics[0]}`,
            `offset.storage.topic=${internalTopics[1]}`,
            `status.storage.topic=${internalTopics[2]}`,
            'config.storage.replication.factor=1',
            'offset.storage.replication.factor=1',
            'status.storage.replication.factor=1',
            'rest.advertised.host.name=127.0.0.1',
            `rest.advertised.port=${port}`,
          ]
        : [`offset.storage.file.filename=${join(home, 'offsets')}`]),
      'offset.flush.interval.ms=100',
      `plugin.path=${pluginPath}`,
      `listeners=http://127.0.0.1:${port}`,
    ].join('\n'),
  );
  const log4j = join(home, 'log4j.properties');
  writeFileSync(
    log4j,
    'log4j.rootLogger=WARN, stderr\nlog4j.appender.stderr=org.apache.log4j.ConsoleAppender\n' +
      'log4j.appender.stderr.Target=System.err\nlog4j.appender.stderr.layout=org.apache.log4j.PatternLayout\n' +
      // Debezium 3.6's CloudEventsConverter is built against Kafka 4's JsonConverter and cannot load in 3.9;
      // the plugin scanner's stack traces about it say nothing about the connectors the benches use.
      (options.plugins?.length ? 'log4j.logger.org.apache.kafka.connect.runtime.isolation=OFF\n' : ''),
  );
  const java: ChildProcess = spawn(
    'java',
    [
      `-Dlog4j.configuration=file:${log4j}`,
      '-cp',
      `${jars}/*`,
      mode === 'distributed'
        ? 'org.apache.kafka.connect.cli.ConnectDistributed'
        : 'org.apache.kafka.connect.cli.ConnectStandalone',
      worker,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const url = `http://127.0.0.1:${port}`;
  const pid = java.pid;
  if (pid === undefined) throw new Error('java did not start');
  // Should the bench die first, the JVM goes with it rather than outliving it.
  const killJava = () => java.kill('SIGKILL');
  process.once('exit', killJava);
  const version = await waitUntil(async () => {
    const res = await fetch(`${url}/`).catch(() => undefined);
    return res?.ok ? ((await res.json()) as { version: string }).version : undefined;
  }, 120_000);
  // A distributed worker answers / before it has joined its group; /health (KIP-1017, Kafka 3.9) says
  // when it can take requests.
  if (mode === 'distributed')
    await waitUntil(async () => {
      const res = await fetch(`${url}/health`).catch(() => undefined);
      await res?.body?.cancel();
      return res?.ok || undefined;
    }, 120_000);
  let n = 0;
  /**
   * A distributed worker answers 409 while it rebalances (a connector was just created or deleted):
   * the request is repeated then, as Kafka Connect's docs tell clients to.
   */
  const request = async (path: string, init: RequestInit, ok: number[]): Promise<Response> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await fetch(`${url}${path}`, init);
      if (ok.includes(res.status)) return res;
      const text = await res.text();
      if (res.status !== 409 || /already exists/.test(text) || Date.now() > deadline)
        throw new Error(`Kafka Connect: ${init.method} ${path} ${res.status} ${text}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const create = async (config: Record<string, string>) => {
    const name = config.name ?? `incumbent-${++n}-${Date.now().toString(36)}`;
    const res = await request(
      '/connectors',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, config: { ...config, name } }),
      },
      [201],
    );
    await res.body?.cancel();
    return name;
  };
  const remove = async (name: string) => {
    const res = await request(`/connectors/${encodeURIComponent(name)}`, { method: 'DELETE' }, [204, 404]);
    await res.body?.cancel();
  };
  return {
    version,
    mode,
    pid,
    url,
    internalTopics,
    connector: create,
    remove,
    async source(input, topic, records) {
      const cpu = cpuDelta(pid);
      const t = performance.now();
      const name = await create({
        'connector.class': 'FileStreamSource',
        file: input,
        topic,
        'batch.size': '2000',
      });
      await waitUntil(async () => ((await recordsIn(topic)) >= records ? true : undefined), 600_000, 5);
      const seconds = (performance.now() - t) / 1000;
      const cpuSeconds = cpu();
      await remove(name);
      return { seconds, cpuSeconds };
    },
    async sink(topic, output, bytes) {
      const cpu = cpuDelta(pid);
      const t = performance.now();
      const name = await create({ 'connector.class': 'FileStreamSink', file: output, topics: topic });
      await waitUntil(
        async () => statSync(output, { throwIfNoEntry: false })?.size === bytes || undefined,
        600_000,
        5,
      );
      const seconds = (performance.now() - t) / 1000;
      const cpuSeconds = cpu();
      await remove(name);
      return { seconds, cpuSeconds };
    },
    async stop() {
      process.off('exit', killJava);
      java.kill('SIGTERM');
      await new Promise((resolve) => (java.exitCode !== null ? resolve(null) : java.once('exit', resolve)));
    },
  };
}

async function waitUntil<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('Kafka Connect did not get there in time');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
