import mysql from 'mysql2/promise';
import pg from 'pg';
import { connectFixture } from '../test/integration/connectors/support.js';
import { MARIADB, POSTGRES_URL, uniqueName } from '../test/support/services.js';

// PostgreSQL → Kafka → MariaDB with 100k rows through the REST API and the scheduler loop, all on
// loopback: `sh scripts/node.sh tsx bench/jdbc-pipeline.ts [rows]`. Prints rows/s end to end (from the
// first tick to the last row committed in MariaDB). Bounded: gives up after 10 minutes.
const ROWS = Number(process.argv[2] ?? 100_000);
const table = uniqueName('bench_src').replace(/-/g, '_');
const dst = uniqueName('bench_dst').replace(/-/g, '_');
const prefix = `${uniqueName('bench')}-`;

const source = new pg.Client({ connectionString: POSTGRES_URL, options: '-c TimeZone=UTC' });
await source.connect();
const target = await mysql.createConnection(MARIADB);
const cf = await connectFixture('bench', { maxRecords: 10_000 });
try {
  await source.query(
    `CREATE TABLE ${table} (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, amount NUMERIC(12,2), created TIMESTAMP(3) NOT NULL)`,
  );
  await source.query(
    `INSERT INTO ${table} (name, amount, created)
     SELECT 'row ' || g, (g % 100000) / 100.0, TIMESTAMP '2024-01-01' + g * INTERVAL '1 second' FROM generate_series(1, $1) g`,
    [ROWS],
  );
  await cf.create('bench-source', {
    'connector.class': 'JdbcSource',
    'connection.url': 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres',
    mode: 'incrementing',
    'incrementing.column.name': 'id',
    'table.whitelist': table,
    'topic.prefix': prefix,
    'batch.max.rows': '5000',
    'poll.interval.ms': '500',
    transforms: 'key',
    'transforms.key.type': 'ValueToKey',
    'transforms.key.fields': 'id',
  });
  await cf.create('bench-sink', {
    'connector.class': 'JdbcSink',
    'connection.url': 'jdbc:mariadb://127.0.0.1:3306/test?user=root',
    topics: `${prefix}${table}`,
    'table.name.format': dst,
    'insert.mode': 'upsert',
    'pk.mode': 'record_key',
    'auto.create': 'true',
  });
  const count = async () => {
    try {
      const [rows] = await target.query(`SELECT COUNT(*) AS n FROM ${dst}`);
      return Number((rows as { n: number }[])[0]?.n);
    } catch {
      return 0;
    }
  };
  const started = Date.now();
  let last = 0;
  await cf.until(async () => {
    const n = await count();
    if (n !== last) process.stdout.write(`\r${n} rows in MariaDB`);
    last = n;
    return n >= ROWS;
  }, 600_000);
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `\n${ROWS} rows PostgreSQL → Kafka → MariaDB in ${seconds.toFixed(1)} s: ${Math.round(ROWS / seconds)} rows/s`,
  );
  if (cf.errors.length > 0) console.log(cf.errors.join('\n'));
} finally {
  await source.query(`DROP TABLE IF EXISTS ${table}`);
  await target.query(`DROP TABLE IF EXISTS ${dst}`);
  await source.end();
  await target.end();
  await cf.dispose();
}
