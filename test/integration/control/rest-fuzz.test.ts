import { writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlFixture, controlFixture } from './harness.js';

// A seeded fuzz of the real REST handler behind the local server, on DynamoDB Local and the dev Kafka:
// random methods, paths built from the real routes with hostile segments, hostile bodies and content
// types. Every answer must be a non-5xx; every non-2xx must carry Kafka's `{error_code, message}` with
// error_code = status. Replay a run with FUZZ_SEED=<seed> (printed), size it with FUZZ_REQUESTS.
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 32)) >>> 0;
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 12);
/** Where the first failures are written in full, for replay and triage. */
const REPORT = process.env.FUZZ_REPORT ?? '.data/rest-fuzz-failures.json';

/** sfc32: small, fast, and the same sequence for the same seed on every platform. */
function prng(seed: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  return next;
}

class Gen {
  constructor(readonly random: () => number) {}
  int(max: number): number {
    return Math.floor(this.random() * max);
  }
  chance(p: number): boolean {
    return this.random() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];
/** Every route of lib/control/rest/routes.ts with its methods; `{c}`, `{t}`, `{p}`, `{l}` get random segments. */
const ROUTES: [string, string[]][] = [
  ['/', ['GET']],
  ['/health', ['GET']],
  ['/connectors', ['GET', 'POST', 'POST', 'POST']],
  ['/connectors/{c}', ['GET', 'DELETE']],
  ['/connectors/{c}/config', ['GET', 'PUT', 'PUT', 'PATCH']],
  ['/connectors/{c}/status', ['GET']],
  ['/connectors/{c}/tasks', ['GET']],
  ['/connectors/{c}/tasks-config', ['GET']],
  ['/connectors/{c}/tasks/{t}/status', ['GET']],
  ['/connectors/{c}/tasks/{t}/restart', ['POST']],
  ['/connectors/{c}/restart', ['POST']],
  ['/connectors/{c}/pause', ['PUT']],
  ['/connectors/{c}/resume', ['PUT']],
  ['/connectors/{c}/stop', ['PUT']],
  ['/connectors/{c}/topics', ['GET']],
  ['/connectors/{c}/topics/reset', ['PUT']],
  ['/connectors/{c}/offsets', ['GET', 'PATCH', 'DELETE']],
  ['/connector-plugins', ['GET']],
  ['/connector-plugins/{p}/config', ['GET']],
  ['/connector-plugins/{p}/config/validate', ['PUT']],
  ['/admin/loggers', ['GET']],
  ['/admin/loggers/{l}', ['GET', 'PUT']],
];
/** Names the fuzz keeps coming back to, so that creates, updates, pauses and deletes meet. */
const POOL = ['fz-a', 'fz-b', 'fz-c', 'fz sink', 'fz-ü', 'fz-日本', 'fz.d', 'fz%e'];
const CLASSES = [
  'FileStreamSource',
  'FileStreamSink',
  'org.apache.kafka.connect.file.FileStreamSourceConnector',
  'serverless.connect.http.HttpSinkConnector',
  'DatagenConnector',
  'io.confluent.connect.jdbc.JdbcSourceConnector',
  'io.confluent.connect.jdbc.JdbcSinkConnector',
  'com.example.Nope',
  'JsonConverter',
  'Filter',
  '',
];
const PLUGINS = [...CLASSES, 'org.apache.kafka.connect.transforms.Cast$Value', 'RecordIsTombstone'];
const KEYS = [
  'tasks.max',
  'topic',
  'topics',
  'topics.regex',
  'file',
  'name',
  'connector.class',
  'key.converter',
  'value.converter',
  'header.converter',
  'transforms',
  'transforms.t.type',
  'predicates',
  'errors.tolerance',
  'errors.deadletterqueue.topic.name',
  'errors.retry.timeout',
  'producer.override.acks',
  'consumer.override.group.id',
  'consumer.override.max.poll.records',
  'admin.override.bootstrap.servers',
  'topic.creation.default.replication.factor',
  'topic.creation.default.partitions',
  'http.api.url',
  'connection.url',
  'connection.password',
  'quickstart',
  'kafka.topic',
  'max.interval',
  'iterations',
  'batch.size',
  'exactly.once.support',
  'offsets.storage.topic',
  'config.action.reload',
  '',
];

function segment(g: Gen): string {
  switch (g.int(14)) {
    case 0:
      return '';
    case 1:
      return '..';
    case 2:
      return '.';
    case 3:
      return '%zz';
    case 4:
      return `%${g.pick(['', '2', 'f', 'e2%82', 'c3', 'ed%a0%80', 'ff', '00', '0a', '2F', '2e%2e'])}`;
    case 5:
      return 'x'.repeat(g.pick([193, 2049, 3000, 9000]));
    case 6:
      return encode(unicode(g, 1 + g.int(12)));
    case 7:
      // Percent-encoded bytes 0x80–0xff: mostly malformed UTF-8. (Raw bytes ≥ 0x80 never reach the
      // handler: node's HTTP parser answers them with its own empty 400.)
      return Array.from({ length: 1 + g.int(6) }, () => `%${(0x80 + g.int(0x80)).toString(16)}`).join('');
    case 8:
      return g.pick(['0', '-1', '2147483648', '99999999999999999999', '1e3', '0x10', '%201', '00']);
    case 9:
      return encodeURIComponent(g.pick(POOL));
    default:
      return encodeURIComponent(g.pick(POOL));
  }
}

/** encodeURIComponent, with a lone surrogate sent as its (malformed) 3-byte form, e.g. `%ED%A0%80`. */
function encode(text: string): string {
  return text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]|[\uD800-\uDFFF]|[^\uD800-\uDFFF]+/g, (part) => {
    const code = part.charCodeAt(0);
    if (part.length === 1 && code >= 0xd800 && code <= 0xdfff)
      return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    return encodeURIComponent(part);
  });
}

function unicode(g: Gen, length: number): string {
  const ranges: [number, number][] = [
    [0x20, 0x7e],
    [0x00, 0x1f],
    [0x80, 0x9f],
    [0xa0, 0x2ff],
    [0x200b, 0x202f],
    [0x3040, 0x30ff],
    [0xd800, 0xdfff],
    [0xe000, 0xe0ff],
    [0x1f600, 0x1f64f],
    [0xfff0, 0xffff],
  ];
  let out = '';
  for (let i = 0; i < length; i++) {
    const [lo, hi] = g.pick(ranges);
    out += String.fromCodePoint(lo + g.int(hi - lo + 1));
  }
  return out;
}

/**
 * A path and a method: mostly a route's own method, sometimes any. A path never starts with `//`:
 * local/server.ts's `new URL('//…', base)` throws before the handler runs (a 500 outside lib/control).
 */
function target(g: Gen): { method: string; path: string } {
  if (g.chance(0.03)) {
    const p = `/${Array.from({ length: 1 + g.int(5) }, () => segment(g)).join('/')}`;
    return { method: g.pick(METHODS), path: bounded(p.startsWith('//') ? `/x${p}` : p) };
  }
  const [template, methods] = g.pick(ROUTES);
  const method = g.chance(0.85) ? g.pick(methods) : g.pick(METHODS);
  const p = fill(g, template);
  return { method, path: bounded(p.replace(/^\/+/, '/')) };
}

/**
 * At most 8000 characters: API Gateway refuses longer URLs, and node's parser answers a request line
 * past 16 KiB with its own empty 431 before any handler runs.
 */
function bounded(p: string): string {
  return p.length <= 8000 ? p : p.slice(0, 8000).replace(/%[0-9a-fA-F]?$/, '');
}

function fill(g: Gen, template: string): string {
  let p = template
    .replace('{c}', () => segment(g))
    .replace('{t}', () => (g.chance(0.6) ? String(g.int(3)) : segment(g)))
    .replace('{p}', () => (g.chance(0.6) ? encodeURIComponent(g.pick(PLUGINS)) : segment(g)))
    .replace('{l}', () => (g.chance(0.5) ? g.pick(['root', 'org.apache.kafka', 'a.b.c']) : segment(g)));
  if (g.chance(0.05)) p += '/';
  if (g.chance(0.03)) p += `/${segment(g)}`;
  if (g.chance(0.15)) p += `?${query(g)}`;
  return p;
}

function query(g: Gen): string {
  const names = ['expand', 'includeTasks', 'onlyFailed', 'connectorsOnly', 'scope', 'forward', '', '%zz'];
  const values = ['status', 'info', 'true', 'TRUE', 'false', 'cluster', 'worker', '', '%zz', 'x'.repeat(500)];
  return Array.from({ length: 1 + g.int(3) }, () => `${g.pick(names)}=${g.pick(values)}`).join('&');
}

function scalar(g: Gen): unknown {
  switch (g.int(12)) {
    case 0:
      return null;
    case 1:
      return g.pick([true, false]);
    case 2:
      return g.pick([0, -1, 1, 64, 65, 2 ** 31, 2 ** 53 + 1, 1e308, -1e308, 1.5, 5e-324]);
    case 3:
      return 'x'.repeat(g.pick([0, 1, 5000, 70_000]));
    case 4:
      return unicode(g, 1 + g.int(20));
    case 5:
      // biome-ignore lint/suspicious/noTemplateCurlyInString: config provider placeholders, on purpose
      return g.pick(['${env:HOME}', '${file:/etc/passwd:x}', '${nope:a:b}', '${', '$${env:X}']);
    case 6:
      return g.pick([
        'http://169.254.169.254/latest/meta-data',
        'http://user:pass@127.0.0.1:1/x',
        'jdbc:postgresql://127.0.0.1:1/db?password=secret',
        'file:///etc/passwd',
      ]);
    case 7:
      return g.pick(['/tmp/fuzz.txt', '/etc/passwd', '../../x', '', '/']);
    case 8:
      return g.pick(['1', '64', '65', '0', '-5', 'abc', '1000000000000']);
    default:
      return g.pick(['t', 'fuzz-topic', 'all', 'none', 'users', 'true', 'a,b', 'ExtractField$Key']);
  }
}

function value(g: Gen, depth = 0): unknown {
  if (depth < 3 && g.chance(0.08)) return Array.from({ length: g.int(4) }, () => value(g, depth + 1));
  if (depth < 3 && g.chance(0.08)) return object(g, depth + 1, 4);
  return scalar(g);
}

function object(g: Gen, depth: number, size: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = g.int(size); i > 0; i--)
    out[g.chance(0.8) ? g.pick(KEYS) : unicode(g, 1 + g.int(8))] = value(g, depth);
  return out;
}

/** A connector config: half of them valid (so that connectors exist to pause, restart, delete), half hostile. */
function config(g: Gen): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const valid = g.chance(0.5);
  if (valid || g.chance(0.9)) out['connector.class'] = g.pick(valid ? CLASSES.slice(0, 5) : CLASSES);
  const cls = String(out['connector.class'] ?? '');
  if (valid || g.chance(0.8)) {
    if (cls.includes('Source') && !cls.includes('Jdbc'))
      Object.assign(out, { topic: 'fuzz', file: '/tmp/fuzz-in.txt' });
    if (cls.includes('Sink') && !cls.includes('Jdbc'))
      Object.assign(out, { topics: 'fuzz', file: '/tmp/fuzz-out.txt' });
    if (cls.includes('Http')) out['http.api.url'] = 'http://127.0.0.1:1/';
    if (cls.includes('Datagen')) Object.assign(out, { 'kafka.topic': 'fuzz', quickstart: 'users' });
    if (cls.includes('Jdbc'))
      Object.assign(out, {
        'connection.url': 'jdbc:postgresql://127.0.0.1:1/x?password=pw',
        topics: 'fuzz',
        mode: 'bulk',
      });
  }
  if (valid) {
    if (g.chance(0.3)) out['tasks.max'] = 1 + g.int(3);
    if (g.chance(0.1)) out['errors.tolerance'] = 'all';
    return out;
  }
  Object.assign(out, object(g, 1, 5));
  if (g.chance(0.2)) out['tasks.max'] = g.pick([1, 2, '3', 64, 65, 1e9, '-1', null]);
  return out;
}

function body(g: Gen, method: string, p: string): { bytes?: Buffer; type?: string } {
  const type = g.chance(0.85)
    ? 'application/json'
    : g.pick([
        undefined,
        'text/plain',
        'application/xml',
        'application/vnd.kafka+json',
        'application/json; charset=latin1',
        'multipart/form-data',
        '',
        '*/*',
      ]);
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || method === 'DELETE') {
    if (!g.chance(0.05)) return {};
  }
  let json: unknown;
  const r = g.random();
  if (r < 0.05) return { type };
  if (r < 0.1) return { bytes: Buffer.from(unicode(g, 40), 'utf8'), type };
  if (r < 0.13) return { bytes: Buffer.from(Array.from({ length: 64 }, () => g.int(256))), type };
  if (r < 0.15)
    return {
      bytes: Buffer.from(g.pick(['{', '{"a":', '[1,', 'nul', '"\\ud800"', '{"name":"\\u0000"}', '1e99999'])),
      type,
    };
  if (r < 0.16) return { bytes: Buffer.alloc(1_100_000, 0x20), type };
  if (p.endsWith('/offsets')) {
    json = g.chance(0.8) ? { offsets: Array.from({ length: g.int(4) }, () => offsetEntry(g)) } : value(g);
  } else if (p.startsWith('/admin/loggers')) {
    json = g.chance(0.7) ? { level: g.pick(['DEBUG', 'info', 'TRACE', 'nope', '', null, 5, {}]) } : value(g);
  } else if (p.split('?')[0] === '/connectors' && method === 'POST') {
    json = g.chance(0.85)
      ? {
          name: g.chance(0.8)
            ? g.pick(POOL)
            : g.pick([
                unicode(g, 8),
                'n'.repeat(3000),
                'n'.repeat(193),
                '',
                null,
                5,
                '  ',
                'a/b',
                '..',
                '\u202Eabc',
              ]),
          config: g.chance(0.9) ? config(g) : value(g),
          ...(g.chance(0.2)
            ? { initial_state: g.pick(['RUNNING', 'paused', 'STOPPED', 'nope', 3, null]) }
            : {}),
        }
      : value(g);
  } else {
    json = g.chance(0.8) ? config(g) : value(g);
  }
  if (g.chance(0.02)) {
    // Huge strings, numbers past double range and deep nesting, written out as text.
    const depth = g.pick([100, 1000, 20_000]);
    const deep = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const key = p.endsWith('/offsets') ? 'offsets' : g.pick(KEYS);
    const text = `{"big":"${'x'.repeat(200_000)}","n":1e400,${JSON.stringify(key)}:${deep}}`;
    return { bytes: Buffer.from(text), type };
  }
  return { bytes: Buffer.from(JSON.stringify(json) ?? 'null'), type };
}

/** An alter-offsets entry: sink- or source-shaped, with plausible and hostile values. */
function offsetEntry(g: Gen): unknown {
  const odd = () => g.pick<unknown>([-1, 1.5, 2 ** 63, 1e20, '0', 'x', null, {}, []]);
  switch (g.int(3)) {
    case 0:
      return {
        partition: {
          kafka_topic: g.pick<unknown>(['fuzz', 'fuzz-nope', '', 'a'.repeat(300), null, 5]),
          kafka_partition: g.chance(0.6) ? g.int(3) : odd(),
        },
        offset: g.chance(0.2) ? null : { kafka_offset: g.chance(0.6) ? g.int(1000) : odd() },
      };
    case 1:
      return {
        partition: { filename: g.pick<unknown>(['/tmp/fuzz-in.txt', '', null, 7]) },
        offset: g.chance(0.2) ? null : { position: g.chance(0.6) ? g.int(1000) : odd() },
      };
    default:
      return { partition: value(g, 1), offset: value(g, 1) };
  }
}

interface Sent {
  method: string;
  path: string;
  type?: string;
  body?: string;
}
interface Answer {
  status: number;
  text: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

/** Requests whose connection broke and that were sent again on a new one. */
let transportRetries = 0;

/**
 * One request on the keep-alive agent. A reused socket that breaks (node's keep-alive race: the server
 * closes an idle socket as the client reuses it) is retried once on a new connection, as node's docs
 * advise. A new connection that breaks is a failure: the server stalled or dropped it (a quadratic
 * regex blocking the event loop for seconds showed up exactly so).
 */
function send(base: URL, sent: Sent, bytes?: Buffer, fresh = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (sent.type !== undefined) headers['Content-Type'] = sent.type;
    if (bytes) headers['Content-Length'] = String(bytes.length);
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        method: sent.method,
        path: sent.path,
        headers,
        agent: fresh ? false : agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', (error) => {
      if (fresh || !req.reusedSocket) return reject(error);
      transportRetries++;
      send(base, sent, bytes, true).then(resolve, reject);
    });
    req.end(bytes);
  });
}

/**
 * Kafka answers 500 when a connector's own `alterOffsets` refuses the offsets (as
 * docs/rest-api.md says): the FileStream source's refusals, by their messages.
 */
const CONNECTOR_REFUSALS = [
  "Partition objects should contain the key 'filename'",
  'Partition objects cannot be null',
  "Offset objects should either be null or contain the key 'position'",
  "The value for the 'position' key in the offset is expected to be a Long value",
  "The value for the 'position' key in the offset should be a non-negative value",
  'Offsets cannot be modified if the connector is configured to read from stdin',
];

function connectorRefusal(sent: Sent, answer: Answer): boolean {
  if (answer.status !== 500 || !/\/offsets(\/\.?)?\/?(\?|$)/.test(sent.path)) return false;
  return CONNECTOR_REFUSALS.some((m) => answer.text === JSON.stringify({ error_code: 500, message: m }));
}

/**
 * GET /health answers Kafka's `WorkerStatus`, not an error body: 500 `unhealthy` when the state store
 * took longer than 10 s (KIP-1017), which a DynamoDB Local shared with other test runs can.
 */
function unhealthy(sent: Sent, answer: Answer): boolean {
  if (sent.method !== 'GET' || !/^\/health\/?(\?|$)/.test(sent.path) || answer.status !== 500) return false;
  const body = JSON.parse(answer.text) as Record<string, unknown>;
  return body.status === 'unhealthy' && typeof body.message === 'string' && Object.keys(body).length === 2;
}

/** What is wrong with an answer, or undefined. */
function problem(sent: Sent, answer: Answer): string | undefined {
  if (answer.status === 0) return answer.text;
  if (unhealthy(sent, answer) || connectorRefusal(sent, answer)) return undefined;
  if (answer.status >= 500) return `status ${answer.status}`;
  if (answer.status < 400 || sent.method === 'HEAD') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.text);
  } catch {
    return 'error body is not JSON';
  }
  const body = parsed as Record<string, unknown>;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    return 'error body is not an object';
  const keys = Object.keys(body).sort().join(',');
  if (keys !== 'error_code,message') return `error body keys are ${keys}`;
  if (body.error_code !== answer.status) return `error_code ${body.error_code} differs from status`;
  if (typeof body.message !== 'string') return 'message is not a string';
  return undefined;
}

let fx: ControlFixture;
beforeAll(async () => {
  fx = await controlFixture('ctl-fuzz');
});
afterAll(async () => {
  agent.destroy();
  await fx?.dispose();
});

describe('the REST API under fuzzing', () => {
  it(`answers ${REQUESTS} random requests without a 5xx, every error in Kafka's shape`, async () => {
    // Prepare
    console.log(`rest-fuzz: FUZZ_SEED=${SEED} FUZZ_REQUESTS=${REQUESTS} FUZZ_CONCURRENCY=${CONCURRENCY}`);
    const g = new Gen(prng(SEED));
    // The whole plan is drawn first, so that concurrency cannot change what a seed sends.
    const plan = Array.from({ length: REQUESTS }, () => {
      const { method, path: p } = target(g);
      const { bytes, type } = body(g, method, p);
      return { sent: { method, path: p, type }, bytes };
    });
    const base = new URL(fx.url);
    const failures: { problem: string; sent: Sent; answer: Answer }[] = [];
    const statuses = new Map<number, number>();
    const slowest: { ms: number; method: string; path: string }[] = [];
    const started = Date.now();
    let next = 0;
    // Act
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < plan.length) {
          const { sent, bytes } = plan[next++] as (typeof plan)[number];
          let answer: Answer;
          const sentAt = Date.now();
          try {
            answer = await send(base, sent, bytes);
          } catch (error) {
            answer = { status: 0, text: `transport error: ${(error as Error).message}` };
          }
          const ms = Date.now() - sentAt;
          if (ms > (slowest[0]?.ms ?? 0))
            slowest.unshift({ ms, method: sent.method, path: sent.path.slice(0, 120) });
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          const wrong = problem(sent, answer);
          if (wrong)
            failures.push({
              problem: wrong,
              sent: { ...sent, ...(bytes ? { body: bytes.subarray(0, 2000).toString('utf8') } : {}) },
              answer: { status: answer.status, text: answer.text.slice(0, 2000) },
            });
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `rest-fuzz: ${REQUESTS} requests in ${seconds.toFixed(1)} s, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}, ${transportRetries} resent on a new connection, ${failures.length} failures`,
    );
    console.log(`rest-fuzz: slowest ${JSON.stringify(slowest.slice(0, 3))}`);
    if (failures.length > 0)
      writeFileSync(REPORT, JSON.stringify({ seed: SEED, failures: failures.slice(0, 200) }, null, 2));
    // Assess
    const up = await send(base, { method: 'GET', path: '/' });
    expect(up.status).toBe(200);
    expect(failures.slice(0, 5)).toEqual([]);
    // A request this slow means the event loop stalled (the store's own stalls stay under 10 s).
    expect(slowest[0]?.ms ?? 0).toBeLessThan(20_000);
  }, 180_000);

  it('resets the offsets of a stopped sink that never consumed (its group does not exist yet): 200, not 500', async () => {
    // Prepare
    const name = `fz-tripwire-${SEED}`;
    const base = new URL(fx.url);
    const body = Buffer.from(
      JSON.stringify({ name, config: { 'connector.class': 'FileStreamSink', topics: 'fuzz' } }),
    );
    await send(base, { method: 'POST', path: '/connectors', type: 'application/json' }, body);
    await send(base, { method: 'PUT', path: `/connectors/${name}/stop` });
    // Act
    const reply = await send(base, { method: 'DELETE', path: `/connectors/${name}/offsets` });
    // Assess
    expect(reply.status).toBe(200);
  });

  it('leaves no connector behind: everything the fuzz created is deleted by listing', async () => {
    // Act
    const names = JSON.parse(
      (await send(new URL(fx.url), { method: 'GET', path: '/connectors' })).text,
    ) as string[];
    for (const name of names) {
      const reply = await send(new URL(fx.url), {
        method: 'DELETE',
        path: `/connectors/${encodeURIComponent(name)}`,
      });
      expect([204, 404]).toContain(reply.status);
    }
    // Assess
    expect(JSON.parse((await send(new URL(fx.url), { method: 'GET', path: '/connectors' })).text)).toEqual(
      [],
    );
  });
});
