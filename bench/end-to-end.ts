/**
 * End to end, against Apache Kafka Connect and the raw client in the same run (docs/architecture.md, How we
 * measure):
 *   1. pipeline: file → FileStreamSource → topic → FileStreamSink → file, timed from the POST creating
 *      the source (source and sink created together) until the output file holds every input byte (its
 *      size polled every 5 ms; the contents compared afterwards). Lines/s and CPU µs per line, median and
 *      min–max over BENCH_REPS (default 5) runs of the three systems alternating, for each line count:
 *      - ours: local mode through the Lambda simulator, a fresh one per run (so the functions' cold starts
 *        count), the dispatcher ticking every BENCH_TICK_MS (local mode's default, 2000 ms); CPU = this
 *        process's tree (the simulator runs the functions in child processes; Kafka Connect's JVM, also a
 *        child, left out);
 *      - Kafka Connect 3.9.1's distributed worker (bench/incumbent.ts), started once (its JVM start is not
 *        measured), the connectors created over REST per run; CPU = the JVM's;
 *      - raw kafkajs: one producer reading the file and producing it in 10k-line chunks and one consumer
 *        appending the values to the output file, concurrently; CPU = this process's tree, as ours.
 *   2. first-record latency: each system's pipeline created and idle (a warm-up line went through), one
 *      line is appended to its input and the ms until it is in the output (size polled every 2 ms) are
 *      taken, BENCH_LATENCY_SAMPLES (default 5) times per system, about 1.5 s plus up to 1 s of random
 *      jitter apart so the samples do not line up with any tick.
 * The broker's and DynamoDB Local's CPU counts for nobody. Loopback only; needs the dev stack
 * (`npm run stack -- up`).
 *
 *   npm run bench:e2e -- [lines ...]   (default 50000 500000)
 */
import {
  appendFileSync,
  closeSync,
  createReadStream,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { Consumer, Message, Producer } from 'kafkajs';
import { createKafka } from '../lib/kafka/client.js';
import { createDynamoClient, type TableNames } from '../lib/store/index.js';
import { type LocalAws, startLocalAws } from '../local/local-aws.js';
import { cpuDelta, treeCpuSeconds } from './cpu-time.js';
import { type IncumbentWorker, startIncumbent } from './incumbent.js';

const BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const DDB = process.env.DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:8000';
const CASES = process.argv
  .slice(2)
  .filter((a) => /^\d+$/.test(a))
  .map(Number);
if (CASES.length === 0) CASES.push(50_000, 500_000);
const REPS = Number(process.env.BENCH_REPS ?? 5);
const TICK_MS = Number(process.env.BENCH_TICK_MS ?? 2_000);
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 5);
const CHUNK_LINES = 10_000;
const STRING = 'org.apache.kafka.connect.storage.StringConverter';
const id = Date.now().toString(36);

type System = 'ours' | 'kc' | 'raw';
const SYSTEMS: System[] = ['ours', 'kc', 'raw'];
interface Sample {
  seconds: number;
  cpuSeconds: number;
  /** Ours: CPU seconds by function (its live execution environments) and the rest (this process). */
  parts?: Record<string, number>;
  /** Ours: cold starts and invocations by function. */
  calls?: Record<string, { coldStarts: number; invocations: number }>;
}

// The dev stack first: one line and out if it is not there.
for (const [what, hostPort] of [
  ['Kafka', BROKERS.split(',')[0]!],
  ['DynamoDB Local', new URL(DDB).host],
] as const) {
  if (!(await reachable(hostPort))) {
    console.log(`${what} is not answering on ${hostPort}: start the dev stack (npm run stack -- up)`);
    process.exit(1);
  }
}

// Every input and output under one parent that local mode's FileStream connectors may use; the same
// parent each time keeps the synthesized assembly's context (and so the assembly) from changing.
const parent = join(tmpdir(), 'sc-bench-e2e');
mkdirSync(parent, { recursive: true });
const dir = mkdtempSync(join(parent, 'run-'));
const workerProperties = { 'file.stream.enable': 'true', 'file.stream.allowed.paths': parent };
const kafka = createKafka({ brokers: BROKERS.split(',') });
const admin = kafka.admin();
const topics: string[] = [];
const simulators = new Set<LocalAws>();
const kcConnectors = new Set<string>();
let incumbent: IncumbentWorker | undefined;
let simulatorRuns = 0;

/** CPU of this process and its children (the simulator's environments), Kafka Connect's JVM left out. */
const ownCpu = () => cpuDelta(process.pid, { exclude: incumbent ? [incumbent.pid] : [] });
const lineOf = (i: number) => `${String(i).padStart(10, '0')} ${'x'.repeat(88)}`; // 100 B with its \n
const sizeOf = (file: string) => statSync(file, { throwIfNoEntry: false })?.size ?? 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitSize(file: string, bytes: number, everyMs: number, timeoutMs = 600_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (sizeOf(file) < bytes) {
    if (performance.now() > deadline) throw new Error(`${file}: ${sizeOf(file)} of ${bytes} bytes in time`);
    await sleep(everyMs);
  }
  if (sizeOf(file) !== bytes) throw new Error(`${file}: ${sizeOf(file)} bytes, ${bytes} expected`);
}

function verify(system: System, input: string, output: string): void {
  if (!readFileSync(output).equals(readFileSync(input)))
    throw new Error(`${system}: ${output} differs from ${input}`);
}

const sourceConfig = (input: string, topic: string) => ({
  'connector.class': 'FileStreamSource',
  file: input,
  topic,
  'key.converter': STRING,
  'value.converter': STRING,
});
const sinkConfig = (output: string, topic: string) => ({
  'connector.class': 'FileStreamSink',
  file: output,
  topics: topic,
  'key.converter': STRING,
  'value.converter': STRING,
});

/** Ours: a Lambda simulator of its own (fresh tables), its functions still cold. */
async function startOurs(): Promise<LocalAws> {
  const aws = await startLocalAws({
    root: process.cwd(),
    // An assembly of its own: `npm start` and the other benches synthesize into .data/cdk.out with theirs.
    outdir: join(process.cwd(), '.data', 'cdk.out-bench-e2e'),
    brokers: BROKERS,
    dynamodbEndpoint: DDB,
    apiPort: 0,
    lambdaPort: 0,
    faultPort: null,
    tickMs: TICK_MS,
    tableSuffix: `-e2e-${id}-${++simulatorRuns}`,
    workerProperties,
    environment: { POWERTOOLS_LOG_LEVEL: 'ERROR' },
    simulator: {
      onLog: (fn, line) => {
        if (/"level":"(ERROR|CRITICAL)"/.test(line)) console.error(`[${fn}] ${line}`);
      },
    },
  });
  simulators.add(aws);
  return aws;
}

async function stopOurs(aws: LocalAws): Promise<void> {
  simulators.delete(aws);
  await aws.close();
  await deleteTables(aws.tables);
}

async function deleteTables(tables: TableNames): Promise<void> {
  const dynamo = createDynamoClient({ endpoint: DDB });
  try {
    await Promise.all(
      Object.values(tables).map((TableName) =>
        dynamo.send(new DeleteTableCommand({ TableName })).catch(() => {}),
      ),
    );
  } finally {
    dynamo.destroy();
  }
}

async function postConnectors(url: string, connectors: [string, Record<string, string>][]): Promise<void> {
  for (const [name, config] of connectors) {
    const reply = await fetch(`${url}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, config }),
    });
    if (reply.status !== 201) throw new Error(`${name}: ${reply.status} ${await reply.text()}`);
  }
}

/**
 * Starts a system's pipeline from `input` to `output` through a fresh topic; answers when the connectors
 * are created (ours, Kafka Connect) or the clients started (raw), and how to stop it.
 */
async function startPipeline(
  system: System,
  input: string,
  output: string,
  options: { aws?: LocalAws; follow?: boolean },
): Promise<() => Promise<void>> {
  const topic = `e2e-${system}-${id}-${topics.length}`;
  topics.push(topic);
  if (system === 'ours') {
    const aws = options.aws!;
    await postConnectors(aws.apiUrl, [
      [`${topic}-source`, sourceConfig(input, topic)],
      [`${topic}-sink`, sinkConfig(output, topic)],
    ]);
    return async () => {
      for (const name of [`${topic}-source`, `${topic}-sink`])
        await fetch(`${aws.apiUrl}/connectors/${name}`, { method: 'DELETE' }).then((r) => r.body?.cancel());
    };
  }
  if (system === 'kc') {
    const kc = incumbent!;
    const names = [
      await kc.connector({ ...sourceConfig(input, topic), name: `${topic}-source` }),
      await kc.connector({ ...sinkConfig(output, topic), name: `${topic}-sink` }),
    ];
    for (const name of names) kcConnectors.add(name);
    return async () => {
      for (const name of names) {
        await kc.remove(name);
        kcConnectors.delete(name);
      }
    };
  }
  return rawPipeline(input, output, topic, options.follow ?? false);
}

/**
 * The raw client: a kafkajs consumer appending each fetched batch's values to `output` (committing after
 * each) and, concurrently, a kafkajs producer (idempotent, acks=all, as ours) sending `input` in chunks of
 * 10k lines (cut below the broker's 1 MiB batch limit, as RecordProducer does), one after another. With
 * `follow` the producer then watches the file (its size every 10 ms) and sends what is appended: the floor
 * of first-record latency, which nothing that polls less often can reach.
 */
async function rawPipeline(
  input: string,
  output: string,
  topic: string,
  follow: boolean,
): Promise<() => Promise<void>> {
  // kafkajs's consumer cannot subscribe to a topic that does not exist yet: the topic is created first
  // (one partition, as the broker's auto-creation gives ours and Kafka Connect), inside the clock.
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5 });
  const consumer = kafka.consumer({ groupId: `${topic}-group` });
  const consuming = (async () => {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const last = batch.messages.at(-1);
        if (!last) return;
        appendFileSync(output, `${batch.messages.map((m) => m.value?.toString()).join('\n')}\n`);
        await consumer.commitOffsets([
          { topic, partition: batch.partition, offset: String(Number(last.offset) + 1) },
        ]);
      },
    });
  })();
  consuming.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
  await producer.connect();
  let position = 0;
  let rest = '';
  let lines: string[] = [];
  for await (const chunk of createReadStream(input, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    position += Buffer.byteLength(chunk as string);
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      if (lines.length === CHUNK_LINES) {
        await produce(producer, topic, lines);
        lines = [];
      }
    }
  }
  await produce(producer, topic, lines);
  await consuming;
  let watch: NodeJS.Timeout | undefined;
  if (follow) {
    const fd = openSync(input, 'r');
    let busy = false;
    watch = setInterval(() => {
      const size = sizeOf(input);
      if (busy || size <= position) return;
      busy = true;
      const bytes = Buffer.alloc(size - position);
      readSync(fd, bytes, 0, bytes.length, position);
      position = size;
      const parts = (rest + bytes.toString()).split('\n');
      rest = parts.pop()!;
      void produce(producer, topic, parts).finally(() => (busy = false));
    }, 10);
    watch.unref();
    const stopWatching = watch;
    return async () => {
      clearInterval(stopWatching);
      closeSync(fd);
      await stopClients(producer, consumer);
    };
  }
  return () => stopClients(producer, consumer);
}

async function stopClients(producer: Producer, consumer: Consumer): Promise<void> {
  await producer.disconnect();
  await consumer.disconnect();
}

const CHUNK_BYTES = Math.floor(1024 * 1024 * 0.88);
async function produce(producer: Producer, topic: string, lines: string[]): Promise<void> {
  let messages: Message[] = [];
  let bytes = 0;
  for (const line of lines) {
    const value = Buffer.from(line);
    if (messages.length > 0 && bytes + value.length + 70 > CHUNK_BYTES) {
      await producer.send({ topic, messages, acks: -1 });
      messages = [];
      bytes = 0;
    }
    messages.push({ key: null, value });
    bytes += value.length + 70;
  }
  if (messages.length > 0) await producer.send({ topic, messages, acks: -1 });
}

/** One timed pipeline run of `system` on `input`. */
async function pipelineRun(system: System, input: string, bytes: number, tag: string): Promise<Sample> {
  const output = join(dir, `${tag}-${system}-out.txt`);
  const aws = system === 'ours' ? await startOurs() : undefined;
  try {
    const cpu = system === 'kc' ? cpuDelta(incumbent!.pid) : ownCpu();
    const started = performance.now();
    const stop = await startPipeline(system, input, output, { aws });
    await waitSize(output, bytes, 5);
    const sample: Sample = { seconds: (performance.now() - started) / 1000, cpuSeconds: cpu() };
    if (aws) Object.assign(sample, breakdown(aws, sample.cpuSeconds));
    await stop();
    verify(system, input, output);
    return sample;
  } finally {
    if (aws) await stopOurs(aws);
    rmSync(output, { force: true });
  }
}

/**
 * Where ours' CPU went: each function's live execution environments (all born in this run, the simulator
 * being fresh: their whole CPU time) and the rest, this process (API Gateway, the Lambda API, the event
 * source mapping pollers, the schedule; and the bench's own polling of the output's size).
 */
function breakdown(aws: LocalAws, total: number): Pick<Sample, 'parts' | 'calls'> {
  const parts: Record<string, number> = {};
  const calls: Record<string, { coldStarts: number; invocations: number }> = {};
  let functions = 0;
  for (const fn of aws.simulator.functions) {
    const stats = aws.simulator.pools.get(fn.name)?.stats();
    if (!stats || stats.invocations === 0) continue;
    const name = fn.logicalId.replace(/[0-9A-F]{8}$/, '');
    let cpu = 0;
    for (const env of stats.environments) {
      try {
        cpu += treeCpuSeconds(env.pid);
      } catch {} // gone meanwhile: its CPU is in this process's cutime, i.e. in the rest
    }
    parts[name] = cpu;
    functions += cpu;
    calls[name] = { coldStarts: stats.coldStarts, invocations: stats.invocations };
  }
  parts['simulator + bench process'] = total - functions;
  return { parts, calls };
}

/** First-record latency: every system's pipeline idle, then one line at a time, turn by turn. */
async function latency(): Promise<Record<System, number[]>> {
  const aws = await startOurs();
  const pipelines: Partial<Record<System, { input: string; output: string; stop: () => Promise<void> }>> = {};
  try {
    for (const system of SYSTEMS) {
      const input = join(dir, `latency-${system}.txt`);
      const output = join(dir, `latency-${system}-out.txt`);
      writeFileSync(input, `${lineOf(0)}\n`);
      const stop = await startPipeline(system, input, output, { aws, follow: true });
      pipelines[system] = { input, output, stop };
      await waitSize(output, sizeOf(input), 5, 120_000); // the warm-up line got through
    }
    const ms: Record<System, number[]> = { ours: [], kc: [], raw: [] };
    for (let i = 1; i <= LATENCY_SAMPLES; i++) {
      const order = SYSTEMS.map((_, j) => SYSTEMS[(i + j) % SYSTEMS.length]!);
      for (const system of order) {
        await sleep(1_500 + Math.random() * 1_000);
        const { input, output } = pipelines[system]!;
        const expected = sizeOf(input) + 100;
        const t = performance.now();
        appendFileSync(input, `${lineOf(i)}\n`);
        await waitSize(output, expected, 2, 60_000);
        ms[system].push(performance.now() - t);
      }
    }
    for (const system of SYSTEMS) verify(system, pipelines[system]!.input, pipelines[system]!.output);
    return ms;
  } finally {
    for (const p of Object.values(pipelines)) await p.stop().catch(() => {});
    await stopOurs(aws);
  }
}

// --- the run ---------------------------------------------------------------------------------------

const NAMES: Record<System, string> = { ours: 'ours (simulator)', kc: 'Kafka Connect', raw: 'raw kafkajs' };
const middle = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (x: number, d = 0) =>
  x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

try {
  await admin.connect();
  const recordsIn = async (topic: string) =>
    (await admin.fetchTopicOffsets(topic).catch(() => [])).reduce((sum, p) => sum + Number(p.high), 0);
  incumbent = await startIncumbent(BROKERS.split(','), dir, recordsIn, { mode: 'distributed' });
  NAMES.kc = `Kafka Connect ${incumbent.version} distributed`;
  // The assembly is synthesized (or found current) before anything is timed.
  await stopOurs(await startOurs());

  const tables: string[] = [];
  for (const lines of CASES) {
    const input = join(dir, `in-${lines}.txt`);
    writeFileSync(input, `${Array.from({ length: lines }, (_, i) => lineOf(i)).join('\n')}\n`);
    const bytes = sizeOf(input);
    const samples: Record<System, Sample[]> = { ours: [], kc: [], raw: [] };
    const loadBefore = load();
    for (let rep = 0; rep < REPS; rep++) {
      for (const system of SYSTEMS.map((_, j) => SYSTEMS[(rep + j) % SYSTEMS.length]!)) {
        const sample = await pipelineRun(system, input, bytes, `${lines}-${rep}`);
        samples[system].push(sample);
        console.error(
          `  ${lines} lines, run ${rep + 1}/${REPS}, ${NAMES[system]}: ${sample.seconds.toFixed(2)} s, ${sample.cpuSeconds.toFixed(2)} s CPU`,
        );
      }
    }
    const stat = (system: System) => {
      const rate = samples[system].map((s) => lines / s.seconds);
      const cpu = samples[system].map((s) => (s.cpuSeconds * 1e6) / lines);
      return { rate, cpu, rateMid: middle(rate), cpuMid: middle(cpu) };
    };
    const s = { ours: stat('ours'), kc: stat('kc'), raw: stat('raw') };
    const range = (xs: number[], d = 0) => `${fmt(Math.min(...xs), d)}–${fmt(Math.max(...xs), d)}`;
    const out = [
      `\n### pipeline: FileStreamSource → topic → FileStreamSink, ${fmt(lines)} lines of 100 B, ${REPS} alternating runs, dispatcher tick ${TICK_MS} ms, load average ${loadBefore} → ${load()}\n`,
      '| system | lines/s (median) | min–max | CPU µs/line (median) | min–max |',
      '|---|---:|---:|---:|---:|',
      ...SYSTEMS.map(
        (system) =>
          `| ${NAMES[system]} | ${fmt(s[system].rateMid)} | ${range(s[system].rate)} | ${fmt(s[system].cpuMid, 1)} | ${range(s[system].cpu, 1)} |`,
      ),
      `| ratio ours / Kafka Connect | ${fmt(s.ours.rateMid / s.kc.rateMid, 2)} | | ${fmt(s.ours.cpuMid / s.kc.cpuMid, 2)} | |`,
      `| ratio ours / raw kafkajs | ${fmt(s.ours.rateMid / s.raw.rateMid, 2)} | | ${fmt(s.ours.cpuMid / s.raw.cpuMid, 2)} | |`,
    ];
    // Ours' CPU by process, the median of each over the runs.
    const names = Object.keys(samples.ours[0]?.parts ?? {});
    out.push(
      `\nours' CPU µs/line by process (median over the runs; cold starts / invocations of the median run): ${names
        .map((name) => {
          const cpu = middle(samples.ours.map((x) => ((x.parts?.[name] ?? 0) * 1e6) / lines));
          const calls = middle(samples.ours.map((x) => x.seconds));
          const run = samples.ours.find((x) => x.seconds === calls)?.calls?.[name];
          return `${name} ${fmt(cpu, 1)}${run ? ` (${run.coldStarts}/${run.invocations})` : ''}`;
        })
        .join(', ')}`,
    );
    tables.push(out.join('\n'));
  }

  const loadBefore = load();
  const ms = await latency();
  const out = [
    `\n### first-record latency: one line appended to an idle pipeline's input → in its output, ${LATENCY_SAMPLES} samples per system ~1.5–2.5 s apart, dispatcher tick ${TICK_MS} ms, load average ${loadBefore} → ${load()}\n`,
    '| system | ms (median) | min–max | samples |',
    '|---|---:|---:|---|',
    ...SYSTEMS.map(
      (system) =>
        `| ${NAMES[system]}${system === 'raw' ? ' (file polled every 10 ms: the floor)' : ''} | ${fmt(middle(ms[system]))} | ${fmt(Math.min(...ms[system]))}–${fmt(Math.max(...ms[system]))} | ${ms[system].map((x) => fmt(x)).join(', ')} |`,
    ),
    `| ratio ours / Kafka Connect | ${fmt(middle(ms.ours) / middle(ms.kc), 2)} | | |`,
    `| ratio ours / raw kafkajs | ${fmt(middle(ms.ours) / middle(ms.raw), 2)} | | |`,
  ];
  tables.push(out.join('\n'));
  console.log(tables.join('\n'));
  console.log(
    '\nlines/s ratios: above 1 is faster; CPU and latency ratios: below 1 is less. CPU = user + system ' +
      'from /proc: this process tree for ours and raw kafkajs, the JVM for Kafka Connect.',
  );
} finally {
  for (const aws of [...simulators]) await stopOurs(aws).catch(() => {});
  for (const name of kcConnectors) await incumbent?.remove(name).catch(() => {});
  await incumbent?.stop();
  const created = [...topics, ...(incumbent?.internalTopics ?? [])];
  await admin.deleteTopics({ topics: created }).catch((e) => console.error('topics not deleted:', e));
  await admin.disconnect();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);

function reachable(hostPort: string): Promise<boolean> {
  const [host, port] = [hostPort.slice(0, hostPort.lastIndexOf(':')), hostPort.split(':').at(-1)];
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(port), timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
