/**
 * Change events/s from PostgreSQL into Kafka: our io.debezium.connector.postgresql.PostgresConnector
 * (through the REST API and the scheduler loop, as a user runs it) next to Debezium 3.6.1 itself in Apache
 * Kafka Connect 3.9.1 standalone (bench/incumbent.ts), on the same machine, the same changes and the same
 * config keys (docs/architecture.md, How we measure).
 *
 *   sh scripts/node.sh tsx bench/cdc-pipeline.ts [changes, default 100000]
 *
 * Each side gets a fresh table in the logical cluster, its own slot, publication and topic prefix. Once its
 * connector streams (snapshot.mode=no_data, slot created, first poll done), N changes are applied — 60 %
 * inserts, 30 % updates, 10 % deletes, in transactions of 100 — and the clock runs from the first change to
 * the last event in the topic (tombstones included; the expected count is exact). Bounded: gives up after 10
 * minutes. Needs the dev stack (`npm run stack -- up`), Java 17+ and Maven.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createKafka } from '../lib/kafka/client.js';
import { connectFixture } from '../test/integration/connectors/support.js';
import { debeziumConfig } from '../test/support/cdc.js';
import { KAFKA_BROKERS, POSTGRES_CDC_URL, uniqueName } from '../test/support/services.js';
import { type IncumbentWorker, startIncumbent } from './incumbent.js';

const CHANGES = Number(process.argv[2] ?? 100_000);
const TX_SIZE = 100;
const deadline = Date.now() + 600_000;

const db = new pg.Client({ connectionString: POSTGRES_CDC_URL });
await db.connect();
const admin = createKafka({ brokers: KAFKA_BROKERS }).admin();
await admin.connect();
const eventsIn = async (topic: string) =>
  (await admin.fetchTopicOffsets(topic).catch(() => [])).reduce((sum, p) => sum + Number(p.high), 0);

/** One side's table, slot, publication and topic, all named alike. */
function side(label: string) {
  const name = uniqueName(`cdc_bench_${label}`).replace(/-/g, '_');
  const config: Record<string, string> = {
    ...debeziumConfig(name, `public.${name}`),
    'snapshot.mode': 'no_data',
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'key.converter.schemas.enable': 'true',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter.schemas.enable': 'true',
  };
  return { name, topic: `${name}.public.${name}`, config };
}
type Side = ReturnType<typeof side>;

async function createTable(table: string) {
  await db.query(
    `CREATE TABLE ${table} (id bigint PRIMARY KEY, customer text NOT NULL, amount numeric(12,2),
       updated_at timestamptz NOT NULL, doc jsonb)`,
  );
}

/**
 * Applies the N changes in one DO block that commits each transaction, so the server generates them and
 * neither side's client process slows the load; returns the events they must produce (a delete is two: the
 * delete and its tombstone). Each transaction inserts its rows, then updates and deletes some of them, so
 * every UPDATE and DELETE hits a row and the count is exact.
 */
async function applyChanges(table: string): Promise<{ expected: number; seconds: number }> {
  const plan: string[] = [];
  let expected = 0;
  let first = 1;
  for (let done = 0; done < CHANGES; ) {
    const size = Math.min(TX_SIZE, CHANGES - done);
    const inserts = Math.max(1, Math.round(size * 0.6));
    const updates = Math.min(size - inserts, Math.round(size * 0.3));
    const deletes = size - inserts - updates;
    plan.push(`(${first}, ${inserts}, ${updates}, ${deletes})`);
    expected += inserts + updates + 2 * deletes;
    first += inserts;
    done += size;
  }
  const started = performance.now();
  await db.query(
    `DO $$ DECLARE t record; BEGIN
       FOR t IN SELECT * FROM (VALUES ${plan.join(', ')}) v(first, inserts, updates, deletes) LOOP
         INSERT INTO ${table}
           SELECT g, 'customer ' || g || ' ' || md5(g::text), (g % 100000) / 7.0,
                  timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second',
                  jsonb_build_object('sku', 'SKU-' || g, 'qty', g % 17, 'tags', jsonb_build_array('new', 'web'))
           FROM generate_series(t.first, t.first + t.inserts - 1) g;
         UPDATE ${table} SET amount = amount + 1, updated_at = updated_at + interval '1 day',
                            doc = jsonb_set(doc, '{qty}', to_jsonb((doc->>'qty')::int + 1))
           WHERE id BETWEEN t.first AND t.first + t.updates - 1;
         DELETE FROM ${table} WHERE id BETWEEN t.first + t.updates AND t.first + t.updates + t.deletes - 1;
         COMMIT;
       END LOOP;
     END $$`,
  );
  return { expected, seconds: (performance.now() - started) / 1000 };
}

interface Run {
  events: number;
  expected: number;
  seconds: number;
  applySeconds: number;
}

/** How long the topic must stay still before its last growth counts as the last event. */
const QUIET_MS = 3_000;

/**
 * Applies the changes while `drive` runs the connector until told to stop, and a watcher polls the topic's
 * size every 20 ms on its own (so a long batch of ours does not coarsen the clock). The run ends at the last
 * growth of the topic once it holds the expected count and stayed still for QUIET_MS: a retried batch
 * writes duplicates, so reaching the count alone does not mean the last change's event is there.
 */
async function measure(s: Side, drive: (stopped: () => Promise<boolean>) => Promise<void>): Promise<Run> {
  const started = performance.now();
  let expected = Number.POSITIVE_INFINITY;
  const applying = applyChanges(s.name).then((r) => {
    expected = r.expected;
    return r;
  });
  let events = 0;
  let lastGrowth = started;
  let finished = false;
  let abandoned = false;
  const watching = poll(
    async () => {
      if (abandoned) return true;
      const n = await eventsIn(s.topic);
      if (n !== events) [events, lastGrowth] = [n, performance.now()];
      finished = events >= expected && performance.now() - lastGrowth > QUIET_MS;
      return finished;
    },
    20,
    'not every event arrived',
  );
  try {
    await Promise.race([watching, drive(async () => finished)]);
    await watching;
  } finally {
    abandoned = true;
  }
  const { seconds: applySeconds } = await applying;
  return { events, expected, seconds: (lastGrowth - started) / 1000, applySeconds };
}

async function slotActive(slot: string): Promise<boolean> {
  const { rows } = await db.query('SELECT active FROM pg_replication_slots WHERE slot_name = $1', [slot]);
  return rows[0]?.active === true;
}

async function poll(done: () => Promise<boolean>, everyMs: number, what: string): Promise<void> {
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`gave up after 10 minutes: ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

interface ConnectorStatus {
  tasks?: { state: string; trace?: string }[];
}

/** `done`, but throwing the trace as soon as the connector's task failed (GET /connectors/{name}/status). */
function unlessFailed(
  status: () => Promise<ConnectorStatus>,
  done: () => Promise<boolean>,
): () => Promise<boolean> {
  return async () => {
    const failed = (await status()).tasks?.find((t) => t.state === 'FAILED');
    if (failed) throw new Error(`task failed: ${failed.trace?.split('\n')[0]}`);
    return done();
  };
}

async function ours(s: Side): Promise<Run> {
  const cf = await connectFixture('bench-cdc', { maxRecords: 10_000 });
  const status = async () => (await cf.call('GET', `/connectors/${s.name}/status`)).body;
  try {
    await createTable(s.name);
    await cf.create(s.name, s.config);
    const slotCreated = async () =>
      (await db.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [s.name])).rowCount === 1;
    // The tick that created the slot also ran the first poll.
    await cf.until(unlessFailed(status, slotCreated), deadline - Date.now());
    return await measure(s, (stopped) => cf.until(unlessFailed(status, stopped), deadline - Date.now()));
  } finally {
    if (cf.errors.length > 0) console.log(`ours logged errors:\n${cf.errors.slice(0, 5).join('\n')}`);
    await cf.call('DELETE', `/connectors/${s.name}`).catch(() => {});
    await cf.dispose();
  }
}

async function debezium(worker: IncumbentWorker, s: Side): Promise<Run> {
  await createTable(s.name);
  const name = await worker.connector({ name: s.name, ...s.config });
  const status = async () =>
    (await fetch(`${worker.url}/connectors/${name}/status`)).json() as Promise<ConnectorStatus>;
  try {
    await poll(
      unlessFailed(status, () => slotActive(s.name)),
      50,
      'Debezium never started streaming',
    );
    return await measure(s, (stopped) => poll(unlessFailed(status, stopped), 100, 'Debezium did not finish'));
  } finally {
    await worker.remove(name);
  }
}

/** Drops a side's slot (ending whoever still holds it), publication, table and topic. */
async function cleanUp(s: Side) {
  await db
    .query(
      `SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL`,
      [s.name],
    )
    .catch(() => {});
  await poll(async () => !(await slotActive(s.name)), 100, `slot ${s.name} still active`).catch(() => {});
  await db
    .query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [
      s.name,
    ])
    .catch((e) => console.log(`slot ${s.name} not dropped: ${e.message}`));
  await db.query(`DROP PUBLICATION IF EXISTS ${s.name}`);
  await db.query(`DROP TABLE IF EXISTS ${s.name}`);
  await admin.deleteTopics({ topics: [s.topic] }).catch(() => {});
}

async function attempt(label: string, s: Side, run: () => Promise<Run>): Promise<Run | undefined> {
  try {
    return await run();
  } catch (e) {
    console.log(`${label} failed: ${(e as Error).message.split('\n')[0]}`);
    return undefined;
  } finally {
    await cleanUp(s);
  }
}

const rate = (r: Run) => r.expected / r.seconds;

function report(label: string, r: Run | undefined) {
  if (!r) return;
  const extra = r.events - r.expected;
  const note =
    extra === 0 ? '' : extra > 0 ? ` (+${extra} duplicates from a retried batch)` : ` (${-extra} missing)`;
  console.log(
    `${label}: ${r.expected} events${note} in ${r.seconds.toFixed(2)} s = ${Math.round(rate(r))} events/s` +
      ` (applying the changes alone took ${r.applySeconds.toFixed(2)} s)`,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'sc-cdc-bench-'));
let worker: IncumbentWorker | undefined;
try {
  // The JVM starts first (not measured) and idles while ours runs.
  worker = await startIncumbent(KAFKA_BROKERS, dir, eventsIn, { plugins: ['debezium'], converters: 'json' });
  const incumbent = worker;
  console.log(`${CHANGES} changes (60 % insert, 30 % update, 10 % delete; ${TX_SIZE} per transaction)`);
  const a = side('ours');
  const mine = await attempt('ours', a, () => ours(a));
  report('ours', mine);
  const b = side('dbz');
  const theirs = await attempt('Debezium', b, () => debezium(incumbent, b));
  report(`Debezium 3.6.1 in Kafka Connect ${worker.version}`, theirs);
  if (mine && theirs)
    console.log(`ratio ours/Debezium (events/s): ${(rate(mine) / rate(theirs)).toFixed(2)}`);
} finally {
  await worker?.stop();
  rmSync(dir, { recursive: true, force: true });
  await admin.disconnect();
  await db.end();
}
