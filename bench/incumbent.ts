/**
 * Apache Kafka Connect itself — a standalone worker from the Maven Central jars, with its own
 * FileStreamSource/FileStreamSink — as the incumbent baseline of bench/pipeline.ts (docs/architecture.md, How we measure).
 * The worker is started once (its JVM start is not measured); each run creates a connector over its REST
 * API and is timed from that request until the data is all there. With `plugins` it also loads third-party
 * connectors (Debezium, for bench/cdc-pipeline.ts and bench/debezium-diff.ts) from a plugin.path.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ensureJars } from '../local/stack/jars.js';
import { stackSettings } from '../local/stack/settings.js';

export interface IncumbentOptions {
  /** Plugin directories (from local/stack/pom.xml) on the worker's plugin.path. @default none */
  plugins?: 'debezium'[];
  /**
   * The worker's key and value converters: `string` (StringConverter, so both sides of bench/pipeline.ts move
   * the same bytes) or `json` (JsonConverter with schemas.enable=true, Debezium's usual setting).
   * @default 'string'
   */
  converters?: 'string' | 'json';
}

export interface IncumbentWorker {
  version: string;
  /** The worker's REST API, e.g. for GET /connectors/{name}/offsets. */
  url: string;
  /** Creates a connector (named `config.name`, or a fresh name) and returns its name; throws unless 201. */
  connector(config: Record<string, string>): Promise<string>;
  /** Deletes a connector; its tasks are stopped when this returns. */
  remove(name: string): Promise<void>;
  /** Seconds from creating a FileStreamSource until `records` records are in `topic`. */
  source(input: string, topic: string, records: number): Promise<number>;
  /** Seconds from creating a FileStreamSink until `output` holds `bytes` bytes. */
  sink(topic: string, output: string, bytes: number): Promise<number>;
  stop(): Promise<void>;
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
  const worker = join(home, 'worker.properties');
  // The worker defaults of Kafka's quickstart, with strings in and out (unless asked for JSON) so both sides
  // move the same bytes, and frequent offset commits: FileStreamSink flushes its file at each commit.
  writeFileSync(
    worker,
    [
      `bootstrap.servers=${brokers.join(',')}`,
      `key.converter=${converter}`,
      `value.converter=${converter}`,
      ...(options.converters === 'json'
        ? ['key.converter.schemas.enable=true', 'value.converter.schemas.enable=true']
        : []),
      `offset.storage.file.filename=${join(home, 'offsets')}`,
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
      'org.apache.kafka.connect.cli.ConnectStandalone',
      worker,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const url = `http://127.0.0.1:${port}`;
  const version = await waitUntil(async () => {
    const res = await fetch(`${url}/`).catch(() => undefined);
    return res?.ok ? ((await res.json()) as { version: string }).version : undefined;
  }, 120_000);
  let n = 0;
  const create = async (config: Record<string, string>) => {
    const name = config.name ?? `incumbent-${++n}-${Date.now().toString(36)}`;
    const res = await fetch(`${url}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, config: { ...config, name } }),
    });
    if (res.status !== 201) throw new Error(`Kafka Connect refused ${name}: ${await res.text()}`);
    return name;
  };
  const remove = async (name: string) => {
    const res = await fetch(`${url}/connectors/${encodeURIComponent(name)}`, { method: 'DELETE' });
    if (res.status !== 204 && res.status !== 404)
      throw new Error(`Kafka Connect did not delete ${name}: ${await res.text()}`);
  };
  return {
    version,
    url,
    connector: create,
    remove,
    async source(input, topic, records) {
      const t = performance.now();
      const name = await create({
        'connector.class': 'FileStreamSource',
        file: input,
        topic,
        'batch.size': '2000',
      });
      await waitUntil(async () => ((await recordsIn(topic)) >= records ? true : undefined), 600_000, 5);
      const seconds = (performance.now() - t) / 1000;
      await remove(name);
      return seconds;
    },
    async sink(topic, output, bytes) {
      const t = performance.now();
      const name = await create({ 'connector.class': 'FileStreamSink', file: output, topics: topic });
      await waitUntil(
        async () => statSync(output, { throwIfNoEntry: false })?.size === bytes || undefined,
        600_000,
        5,
      );
      const seconds = (performance.now() - t) / 1000;
      await remove(name);
      return seconds;
    },
    async stop() {
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
