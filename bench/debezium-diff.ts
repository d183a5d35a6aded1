/**
 * Every difference between our io.debezium.connector.postgresql.PostgresConnector's events and Debezium
 * 3.6.1's own on the same changes, Debezium running in Apache Kafka Connect 3.9.1 standalone
 * (bench/incumbent.ts), both with JsonConverter (schemas.enable=true) for key and value:
 *
 *   sh scripts/node.sh tsx bench/debezium-diff.ts
 *
 * One table with a column of each common type and a few rows (NULLs and edge values; not numeric NaN,
 * which fails both in decimal.handling.mode=precise, as it should); both connectors
 * snapshot it (snapshot.mode=initial), then stream an insert, an update under REPLICA IDENTITY DEFAULT
 * (leaving a TOASTed value unchanged), one under FULL, a key-changing update and a delete. Events are
 * paired by (op, key, occurrence) and their key/value JSON compared — schema and payload — ignoring only
 * what must differ: the envelope's and source's ts_ms/ts_us/ts_ns, source.name, the values of
 * source.txId/lsn/sequence/xmin (their JSON types are compared), and the topic prefix inside schema names.
 * Then the stored offsets (GET /connectors/{name}/offsets). A report, not a test: exits 0 either way.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createKafka } from '../lib/kafka/client.js';
import type { ConsumedRecord } from '../lib/kafka/types.js';
import { connectFixture, readTopic } from '../test/integration/connectors/support.js';
import { debeziumConfig } from '../test/support/cdc.js';
import { KAFKA_BROKERS, POSTGRES_CDC_URL, uniqueName } from '../test/support/services.js';
import { type IncumbentWorker, startIncumbent } from './incumbent.js';

const deadline = Date.now() + 300_000;
const table = uniqueName('dbz_diff').replace(/-/g, '_');
const mood = `${table}_mood`;
const positive = `${table}_positive`;

const COLUMNS = `
  id int PRIMARY KEY, c_smallint smallint, c_int int, c_bigint bigint, c_real real, c_double double precision,
  c_bool boolean, c_numeric_10_3 numeric(10,3), c_numeric numeric, c_money money, c_text text,
  c_varchar varchar(20), c_char char(3), c_uuid uuid, c_json json, c_jsonb jsonb, c_bytea bytea, c_date date,
  c_time time, c_time3 time(3), c_timetz timetz, c_timestamp timestamp, c_timestamp3 timestamp(3),
  c_timestamptz timestamptz, c_interval interval, c_int_array int[], c_text_array text[], c_enum ${mood},
  c_inet inet, c_domain ${positive}`;

/** Values in COLUMNS' order after id; `$big` is a text long and random enough to be TOASTed out of line. */
const ROWS = [
  `1, 1, 42, 1234567890123, 1.5, 3.141592653589793, true, 1234.5, 12345678901234567890.123456789, 12.34,
   (SELECT string_agg(md5(g::text), '') FROM generate_series(1, 400) g), 'twenty characters!!!', 'a',
   'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, 2.50, {"b": null}]}', '{"a": [1, 2.50, {"b": null}]}',
   '\\x00ff10', '2024-02-29', '13:45:30.123456', '23:59:59.999', '12:34:56.789+05:30',
   '2024-02-29 13:45:30.123456', '2024-02-29 13:45:30.123', '2024-02-29 13:45:30.123456+02',
   '1 year 2 mons 3 days 04:05:06.789', '{1,2,3}', '{"a","b c"}', 'happy', '192.168.0.1/24', 7`,
  `2${', NULL'.repeat(29)}`,
  `3, -32768, 2147483647, -9223372036854775808, 'NaN', '-Infinity', false, -0.001, -99999999999999999999999999999.99999, -92233720368547758.08,
   E'"quoted" \\\\ ñ 🚀\\n', '', '', '00000000-0000-0000-0000-000000000000', '[]', '{}', '', '1900-01-01',
   '24:00:00', '00:00:00', '00:00:00-14:59', '1900-01-01 00:00:00.000001', '1969-12-31 23:59:59.999',
   '1970-01-01 00:00:00+00', '-1 year -2 mons +3 days -04:05:06.789', '{1,NULL,-3}', '{"",NULL,"\\"q\\""}',
   'sad', '::1', 2147483647`,
  `4, 0, 0, 0, 3.4028235e38, 1e-300, true, 0, 0.000000000000000000001, 0, 'x', 'x', 'abc', NULL, 'null',
   'null', '\\x', '0001-01-01', '00:00:00.000001', '12:00:00.5', '23:59:59.999999+14:59',
   '0001-01-01 00:00:00', 'infinity', '-infinity', '1 mon', '{}', '{}', 'ok', '10.0.0.0/8', 1`,
];

/** The streamed changes; 8 events: c, u, u, (d, tombstone, c) for the key change, (d, tombstone). */
const CHANGES = [
  `INSERT INTO ${table} (id, c_int, c_text, c_numeric, c_timestamptz, c_enum)
     VALUES (10, 10, 'ten', 10.5, '2025-01-01 00:00:00+00', 'ok')`,
  `UPDATE ${table} SET c_int = c_int + 1 WHERE id = 1`,
  `ALTER TABLE ${table} REPLICA IDENTITY FULL`,
  `UPDATE ${table} SET c_int = 7, c_text = 'now set' WHERE id = 2`,
  `UPDATE ${table} SET id = 30 WHERE id = 3`,
  `DELETE FROM ${table} WHERE id = 10`,
];
const EXPECTED = ROWS.length + 8;

const db = new pg.Client({ connectionString: POSTGRES_CDC_URL });
await db.connect();
const admin = createKafka({ brokers: KAFKA_BROKERS }).admin();
await admin.connect();
const eventsIn = async (topic: string) =>
  (await admin.fetchTopicOffsets(topic).catch(() => [])).reduce((sum, p) => sum + Number(p.high), 0);

/** A side's connector config (its own slot, publication and topic prefix) and topic. */
function side(label: string) {
  const prefix = `${table}_${label}`;
  const config: Record<string, string> = {
    ...debeziumConfig(prefix, `public.${table}`),
    'snapshot.mode': 'initial',
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'key.converter.schemas.enable': 'true',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter.schemas.enable': 'true',
  };
  return { prefix, topic: `${prefix}.public.${table}`, config };
}
type Side = ReturnType<typeof side>;

// --- JSON with every number kept as written, so 64-bit values and spellings (1.0E10, 1e10) survive ---

class Num {
  constructor(readonly source: string) {}
}
type Json = null | boolean | number | string | Num | Json[] | { [key: string]: Json };

function parse(bytes: Buffer | null): Json | undefined {
  if (bytes === null) return undefined;
  const text = bytes.toString('utf8');
  try {
    // The reviver's third argument (JSON.parse source text access) is V8's since Node 21.
    const reviver = (_key: string, value: unknown, context?: { source: string }) =>
      typeof value === 'number' ? new Num(context?.source ?? String(value)) : value;
    return JSON.parse(text, reviver as (key: string, value: unknown) => unknown) as Json;
  } catch {
    return `<not JSON: ${text.slice(0, 80)}>`;
  }
}

function show(v: Json | undefined): string {
  if (v === undefined) return '(absent)';
  const text = JSON.stringify(v, (_k, x) => (x instanceof Num ? `#${x.source}#` : x)).replace(
    /"#([^#]*)#"/g,
    '$1',
  );
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function sameNumber(a: string, b: string): boolean {
  if (/^-?\d+$/.test(a) && /^-?\d+$/.test(b)) return BigInt(a) === BigInt(b);
  return Number(a) === Number(b);
}

interface Difference {
  path: string;
  ours: string;
  theirs: string;
}

const isObject = (v: Json | undefined): v is { [key: string]: Json } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Num);
const fieldName = (v: Json) => (isObject(v) && typeof v.field === 'string' ? v.field : undefined);

/** Every difference between `a` (ours) and `b` (Debezium's); a schema's `fields` are matched by name. */
function diff(path: string, a: Json | undefined, b: Json | undefined, out: Difference[]): void {
  if (a instanceof Num && b instanceof Num) {
    if (a.source === b.source) return;
    const note = sameNumber(a.source, b.source) ? ' (same number, written differently)' : '';
    out.push({ path: path + note, ours: a.source, theirs: b.source });
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (path.endsWith('.fields') && [...a, ...b].every((f) => fieldName(f) !== undefined)) {
      const names = (fs: Json[]) => fs.map((f) => fieldName(f) as string);
      if (names(a).join() !== names(b).join())
        out.push({
          path: `${path} (names in order)`,
          ours: names(a).join(', '),
          theirs: names(b).join(', '),
        });
      for (const name of new Set([...names(a), ...names(b)]))
        diff(
          `${path}[${name}]`,
          a.find((f) => fieldName(f) === name),
          b.find((f) => fieldName(f) === name),
          out,
        );
      return;
    }
    if (a.length !== b.length) out.push({ path, ours: show(a), theirs: show(b) });
    else for (const [i, x] of a.entries()) diff(`${path}[${i}]`, x, b[i], out);
    return;
  }
  if (isObject(a) && isObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
      diff(path ? `${path}.${key}` : key, a[key], b[key], out);
    return;
  }
  if (show(a) !== show(b)) out.push({ path, ours: show(a), theirs: show(b) });
}

// --- what must differ between two connectors reading the same WAL at different times ---

const kind = (v: Json | undefined) =>
  v === undefined ? undefined : `<${v === null ? 'null' : v instanceof Num ? 'number' : typeof v}>`;

/** Replaces the values that must differ by their JSON type, and the topic prefix in schema names. */
function normalize(v: Json | undefined, prefix: string): Json | undefined {
  const walk = (x: Json | undefined, key: string): Json | undefined => {
    if (Array.isArray(x)) return x.map((e) => walk(e, '') as Json);
    if (!isObject(x)) {
      if (key === 'name' && typeof x === 'string' && x.startsWith(`${prefix}.`))
        return `<prefix>${x.slice(prefix.length)}`;
      return x;
    }
    return Object.fromEntries(Object.entries(x).map(([k, e]) => [k, walk(e, k) as Json]));
  };
  const out = walk(v, '');
  if (!isObject(out) || !isObject(out.payload)) return out;
  const payload = out.payload;
  for (const k of ['ts_ms', 'ts_us', 'ts_ns']) if (k in payload) payload[k] = kind(payload[k]) as Json;
  const source = payload.source;
  if (isObject(source))
    for (const k of ['ts_ms', 'ts_us', 'ts_ns', 'name', 'txId', 'lsn', 'sequence', 'xmin'])
      if (k in source) source[k] = kind(source[k]) as Json;
  return out;
}

interface Event {
  label: string;
  key: Json | undefined;
  value: Json | undefined;
  /** Header name → value as text; Debezium's per-start run id replaced by `<uuid>`. */
  headers: { [name: string]: Json };
  /** source.txId, lsn and sequence as sent: not differences, but telling when two readers of one WAL agree. */
  wal: string;
}

const RUN_ID = '__debezium.context.runId';

/** Labels events `op key#n` (a tombstone's op is `tombstone`), n counting repeats of the same op and key. */
function events(records: ConsumedRecord[], prefix: string): Event[] {
  const seen = new Map<string, number>();
  return records.map((r) => {
    const raw = parse(r.value);
    const rawSource = isObject(raw) && isObject(raw.payload) ? raw.payload.source : undefined;
    const wal = isObject(rawSource) ? show([rawSource.txId, rawSource.lsn, rawSource.sequence] as Json) : '';
    const key = normalize(parse(r.key), prefix);
    const value = normalize(raw, prefix);
    const payload = isObject(value) ? value.payload : undefined;
    const op = isObject(payload) && typeof payload.op === 'string' ? payload.op : 'tombstone';
    const id = `${op} ${show(isObject(key) ? key.payload : key)}`;
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    const headers = Object.fromEntries(
      r.headers.map((h) => [
        h.key,
        h.key === RUN_ID ? '<uuid>' : (h.value?.toString('utf8').replaceAll(prefix, '<prefix>') ?? null),
      ]),
    );
    return { label: n > 1 ? `${id}#${n}` : id, key, value, headers, wal };
  });
}

/** Prints each distinct difference once, with the events it appears in. */
function report(ours: Event[], theirs: Event[]): void {
  const byLabel = new Map(theirs.map((e) => [e.label, e]));
  const grouped = new Map<string, { d: Difference; labels: string[] }>();
  const sameWal: string[] = [];
  const otherWal: string[] = [];
  let paired = 0;
  for (const o of ours) {
    const t = byLabel.get(o.label);
    if (!t) continue;
    paired++;
    if (o.wal === t.wal) sameWal.push(o.label);
    // Snapshot reads differ by nature (each connector's own snapshot transaction); streamed ones need not.
    else if (!o.label.startsWith('r ')) otherWal.push(`  ${o.label}: ours ${o.wal}, Debezium ${t.wal}`);
    const out: Difference[] = [];
    diff('key', o.key, t.key, out);
    diff('value', o.value, t.value, out);
    diff('headers', o.headers, t.headers, out);
    const [oh, th] = [Object.keys(o.headers), Object.keys(t.headers)];
    if (oh.length === th.length && oh.join() !== th.join() && oh.every((h) => th.includes(h)))
      out.push({ path: 'headers (order)', ours: oh.join(', '), theirs: th.join(', ') });
    for (const d of out) {
      const id = `${d.path}\u0000${d.ours}\u0000${d.theirs}`;
      const group = grouped.get(id) ?? { d, labels: [] };
      group.labels.push(o.label);
      grouped.set(id, group);
    }
  }
  const oursLabels = new Set(ours.map((e) => e.label));
  console.log(`events: ours ${ours.length}, Debezium ${theirs.length}, paired ${paired}`);
  for (const e of ours) if (!byLabel.has(e.label)) console.log(`  only ours: ${e.label}`);
  for (const e of theirs) if (!oursLabels.has(e.label)) console.log(`  only Debezium: ${e.label}`);
  const order = (es: Event[]) => es.map((e) => e.label).join(' | ');
  console.log(
    order(ours) === order(theirs)
      ? 'event order: the same'
      : `event order differs:\n  ours:     ${order(ours)}\n  Debezium: ${order(theirs)}`,
  );
  console.log(
    `source.txId/lsn/sequence (ignored below) equal in ${sameWal.length} of ${paired} paired events` +
      (sameWal.length > 0 && sameWal.length < paired ? `: ${sameWal.join('; ')}` : ''),
  );
  for (const line of otherWal) console.log(line);
  console.log(`${grouped.size} distinct differences (ours ≠ Debezium):`);
  for (const { d, labels } of grouped.values()) {
    const where = labels.length === paired ? `all ${paired} events` : labels.join('; ');
    console.log(`- ${d.path}\n    ours:     ${d.ours}\n    Debezium: ${d.theirs}\n    in: ${where}`);
  }
}

function reportOffsets(ours: Json | undefined, theirs: Json | undefined, sides: [Side, Side]): void {
  const out: Difference[] = [];
  const server = (v: Json | undefined, s: Side) =>
    JSON.parse(JSON.stringify(v ?? null).replaceAll(s.prefix, '<prefix>'));
  diff('offsets', server(ours, sides[0]), server(theirs, sides[1]), out);
  console.log(`stored offsets (GET /connectors/{name}/offsets, topic prefix replaced):`);
  console.log(`  ours:     ${JSON.stringify(server(ours, sides[0]))}`);
  console.log(`  Debezium: ${JSON.stringify(server(theirs, sides[1]))}`);
  for (const d of out) console.log(`- ${d.path}: ours ${d.ours}, Debezium ${d.theirs}`);
  if (out.length === 0) console.log('  no differences');
}

async function slotActive(slot: string): Promise<boolean> {
  const { rows } = await db.query('SELECT active FROM pg_replication_slots WHERE slot_name = $1', [slot]);
  return rows[0]?.active === true;
}

async function poll(done: () => Promise<boolean>, what: string): Promise<void> {
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`gave up after 5 minutes: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function dropSide(s: Side) {
  await db.query(
    'SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL',
    [s.prefix],
  );
  await poll(async () => !(await slotActive(s.prefix)), `slot ${s.prefix} still active`).catch(() => {});
  await db
    .query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [
      s.prefix,
    ])
    .catch((e) => console.log(`slot ${s.prefix} not dropped: ${e.message}`));
  await db.query(`DROP PUBLICATION IF EXISTS ${s.prefix}`);
  await admin.deleteTopics({ topics: [s.topic] }).catch(() => {});
}

const dir = mkdtempSync(join(tmpdir(), 'sc-dbz-diff-'));
const ours = side('ours');
const theirs = side('dbz');
let worker: IncumbentWorker | undefined;
const cf = await connectFixture('dbz-diff', { maxRecords: 10_000 });
try {
  await db.query(`CREATE TYPE ${mood} AS ENUM ('sad', 'ok', 'happy')`);
  await db.query(`CREATE DOMAIN ${positive} AS int CHECK (VALUE > 0)`);
  await db.query(`CREATE TABLE ${table} (${COLUMNS})`);
  for (const row of ROWS) await db.query(`INSERT INTO ${table} VALUES (${row})`);

  worker = await startIncumbent(KAFKA_BROKERS, dir, eventsIn, { plugins: ['debezium'], converters: 'json' });
  const dbz = await worker.connector({ name: theirs.prefix, ...theirs.config });
  await cf.create(ours.prefix, ours.config);
  const snapshotted = async () =>
    (await eventsIn(ours.topic)) >= ROWS.length &&
    (await eventsIn(theirs.topic)) >= ROWS.length &&
    (await slotActive(theirs.prefix));
  await cf.until(snapshotted, deadline - Date.now());
  for (const sql of CHANGES) await db.query(sql);
  await cf.until(
    async () => (await eventsIn(ours.topic)) >= EXPECTED && (await eventsIn(theirs.topic)) >= EXPECTED,
    deadline - Date.now(),
  );
  // A last batch for ours and Debezium's next offset flush (every 100 ms), then both topics in full.
  await cf.tick();
  await new Promise((r) => setTimeout(r, 1_000));
  const [oursRecords, theirRecords] = await Promise.all([readTopic(ours.topic), readTopic(theirs.topic)]);
  console.log(
    `ours vs Debezium 3.6.1.Final in Kafka Connect ${worker.version}, table ${table}: ` +
      `${ROWS.length} rows snapshotted, then ${CHANGES.length} statements streamed`,
  );
  report(events(oursRecords, ours.prefix), events(theirRecords, theirs.prefix));
  reportOffsets(
    (await cf.call('GET', `/connectors/${ours.prefix}/offsets`)).body as Json,
    (await (await fetch(`${worker.url}/connectors/${dbz}/offsets`)).json()) as Json,
    [ours, theirs],
  );
} catch (e) {
  console.log(`stopped early: ${(e as Error).message}`);
} finally {
  if (cf.errors.length > 0) console.log(`ours logged errors:\n${cf.errors.slice(0, 5).join('\n')}`);
  await cf.call('DELETE', `/connectors/${ours.prefix}`).catch(() => {});
  await cf.dispose();
  await worker?.remove(theirs.prefix).catch(() => {});
  await worker?.stop();
  for (const s of [ours, theirs]) await dropSide(s);
  await db.query(`DROP TABLE IF EXISTS ${table}`);
  await db.query(`DROP DOMAIN IF EXISTS ${positive}`);
  await db.query(`DROP TYPE IF EXISTS ${mood}`);
  rmSync(dir, { recursive: true, force: true });
  await admin.disconnect();
  await db.end();
}
