import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARIADB, uniqueName } from '../../support/services.js';
import { type ConnectFixture, connectFixture, readTopic } from './support.js';

// Values that only stay values when they are never spliced into SQL text, written by the JDBC sink (records
// → Kafka → JdbcSinkConnector → database) under the session settings that change how SQL text escapes:
// MariaDB with and without sql_mode NO_BACKSLASH_ESCAPES, PostgreSQL with standard_conforming_strings on
// and off. Each sink session gets its setting from the user it logs in as, so nothing else on the shared
// servers changes: a MariaDB user whose connections `init_connect` (not run for root) puts in
// NO_BACKSLASH_ESCAPES, a PostgreSQL role with `ALTER ROLE … SET standard_conforming_strings = off`.

const base = uniqueName('inj').replace(/-/g, '_');
const nbeUser = `${base}_nbe`;
const scsOffRole = `${base}_scs`;

/** Breaks out of a MySQL string literal escaped with backslashes when the server reads `\` as itself. */
const BREAKOUT = "'), (0x70776e6564, 0x70776e6564, 0x70776e6564, 0x70776e6564) -- ";

const nasty = (dropSql: string, deleteSql: string): string[] => [
  "it's",
  "''",
  'say "hi" and ""',
  'back\\slash',
  'trailing backslash\\',
  '\\',
  '\\\\',
  "\\'",
  "x\\' ; DROP TABLE t; -- ",
  `'); ${dropSql}; --`,
  `\\'; ${deleteSql}; -- `,
  `\\'); ${dropSql}; /*`,
  BREAKOUT,
  `\\${BREAKOUT}`,
  '`back`ticks``',
  '%_\\%\\_ LIKE wildcards',
  '? ?? $1 $$ :name @v',
  'tab\tnewline\ncr\rbackspace\bsub\x1aesc\x1bdel\x7fsoh\x01',
  'Zoë 東京 🚀 \u202e RTL \u00a0 nbsp',
  '',
];

interface Target {
  label: string;
  dialect: 'mysql' | 'pg';
  url: string;
  /** The sink session's escaping mode, as the sink's own connections see it. */
  mode(): Promise<string>;
  expectedMode: RegExp;
}

let cf: ConnectFixture;
let maria: mysql.Connection;
let pgAdmin: pg.Client;
let initConnect = '';

/** The errors the runtime logged for one connector's tasks (the fixture collects every connector's). */
const errorsOf = (connector: string) => cf.errors.filter((e) => e.includes(`"connector":"${connector}"`));

const myId = (s: string) => `\`${s.replace(/`/g, '``')}\``;
const pgId = (s: string) => `"${s.replace(/"/g, '""')}"`;

beforeAll(async () => {
  cf = await connectFixture('jdbcinj');
  maria = await mysql.createConnection({ ...MARIADB, charset: 'utf8mb4' });
  pgAdmin = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
  await pgAdmin.connect();
  // MariaDB: a user whose sessions start in NO_BACKSLASH_ESCAPES (init_connect is skipped for root, and
  // the IF keeps every other user's sessions as they were).
  const [[row]] = (await maria.query('SELECT @@GLOBAL.init_connect AS v')) as unknown as [{ v: string }[]];
  initConnect = row?.v ?? '';
  await maria.query(`CREATE USER '${nbeUser}'@'%'`); // [a-z0-9_] only
  await maria.query(`GRANT ALL PRIVILEGES ON test.* TO '${nbeUser}'@'%'`);
  await maria.execute('SET GLOBAL init_connect = ?', [
    `SET SESSION sql_mode = IF(SUBSTRING_INDEX(USER(), '@', 1) = '${nbeUser}', CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES'), @@SESSION.sql_mode)`,
  ]);
  // PostgreSQL: a role whose sessions read backslashes in '…' literals as escapes.
  await pgAdmin.query(`CREATE ROLE ${pgId(scsOffRole)} LOGIN`);
  await pgAdmin.query(`ALTER ROLE ${pgId(scsOffRole)} SET standard_conforming_strings = off`);
  await pgAdmin.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${pgId(scsOffRole)}`);
});

afterAll(async () => {
  try {
    await maria.execute('SET GLOBAL init_connect = ?', [initConnect]);
    const [tables] = await maria.execute(
      'SELECT TABLE_NAME AS t FROM information_schema.tables WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE ?',
      [`${base}%`],
    );
    for (const { t } of tables as { t: string }[]) await maria.query(`DROP TABLE IF EXISTS ${myId(t)}`);
    await maria.query(`DROP USER IF EXISTS '${nbeUser}'@'%'`);
    const pgTables = await pgAdmin.query(
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE $1",
      [`${base}%`],
    );
    for (const { t } of pgTables.rows) await pgAdmin.query(`DROP TABLE IF EXISTS ${pgId(t)}`);
    await pgAdmin.query(`DROP OWNED BY ${pgId(scsOffRole)}`);
    await pgAdmin.query(`DROP ROLE IF EXISTS ${pgId(scsOffRole)}`);
  } finally {
    await maria.end();
    await pgAdmin.end();
    await cf.dispose();
  }
});

const mariaAs = (user: string) => mysql.createConnection({ ...MARIADB, user, charset: 'utf8mb4' });
const pgAs = async (user: string) => {
  const client = new pg.Client({ host: '127.0.0.1', port: 5432, user, database: 'test' });
  await client.connect();
  return client;
};

const TARGETS: Target[] = [
  {
    label: 'MariaDB, default sql_mode',
    dialect: 'mysql',
    url: 'jdbc:mariadb://127.0.0.1:3306/test?user=root',
    mode: async () => {
      const [[row]] = (await maria.query('SELECT @@SESSION.sql_mode AS m')) as unknown as [{ m: string }[]];
      return row?.m ?? '';
    },
    expectedMode: /^(?!.*NO_BACKSLASH_ESCAPES)/,
  },
  {
    label: 'MariaDB, sql_mode NO_BACKSLASH_ESCAPES',
    dialect: 'mysql',
    url: `jdbc:mariadb://127.0.0.1:3306/test?user=${nbeUser}`,
    mode: async () => {
      const conn = await mariaAs(nbeUser);
      try {
        const [[row]] = (await conn.query('SELECT @@SESSION.sql_mode AS m')) as unknown as [{ m: string }[]];
        return row?.m ?? '';
      } finally {
        await conn.end();
      }
    },
    expectedMode: /NO_BACKSLASH_ESCAPES/,
  },
  {
    label: 'PostgreSQL, standard_conforming_strings on',
    dialect: 'pg',
    url: 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres',
    mode: async () =>
      (await pgAdmin.query('SHOW standard_conforming_strings')).rows[0].standard_conforming_strings,
    expectedMode: /^on$/,
  },
  {
    label: 'PostgreSQL, standard_conforming_strings off',
    dialect: 'pg',
    url: `jdbc:postgresql://127.0.0.1:5432/test?user=${scsOffRole}`,
    mode: async () => {
      const client = await pgAs(scsOffRole);
      try {
        return (await client.query('SHOW standard_conforming_strings')).rows[0].standard_conforming_strings;
      } finally {
        await client.end();
      }
    },
    expectedMode: /^off$/,
  },
];

// Column names with every quote character (and no trailing space, which MariaDB refuses).
const KEY = 'key\'"`\\';
const BIN = 'bin "b"';
const DFLT = "dflt `d` 'd'";
const TEXT = 'txt\'"`\\ x';

const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');

/** A JSON-converter record (schema + payload) for key `k`; `value: null` is a tombstone. */
function record(
  topic: string,
  defaultValue: string,
  k: string,
  value: { s: string; d: string | null; b: Buffer } | null,
) {
  const keySchema = {
    type: 'struct',
    optional: false,
    fields: [{ type: 'string', optional: false, field: KEY }],
  };
  const valueSchema = {
    type: 'struct',
    optional: false,
    fields: [
      { type: 'bytes', optional: false, field: BIN },
      { type: 'string', optional: true, field: DFLT, default: defaultValue },
      { type: 'string', optional: false, field: TEXT },
    ],
  };
  return {
    topic,
    partition: null,
    key: Buffer.from(JSON.stringify({ schema: keySchema, payload: { [KEY]: k } })),
    value:
      value === null
        ? null
        : Buffer.from(
            JSON.stringify({
              schema: valueSchema,
              payload: { [BIN]: value.b.toString('base64'), [DFLT]: value.d, [TEXT]: value.s },
            }),
          ),
    headers: [],
    timestamp: Date.now(),
  };
}

const bytesOf = (i: number) => Buffer.from([0, 39, 92, 34, 96, 255, 10, 13, 26, i & 0xff, 0x5c, 0x27]);

describe.each(TARGETS.map((t, i) => ({ ...t, n: i })))('JDBC sink into $label', (target) => {
  const topic = `${base}-t${target.n}`;
  const sink = `${base}-sink-${target.n}`;
  // A table name with quotes, backticks, a backslash and a space: given quoted in table.name.format.
  const table = `${base}_${target.n} it's "q" \`b\` \\`;
  const victimTable = `${base}_${target.n}_victim`;
  const q = target.dialect === 'mysql' ? myId : pgId;
  const dropSql = `DROP TABLE ${q(victimTable)}`;
  const deleteSql = `DELETE FROM ${q(victimTable)}`;
  const values = nasty(dropSql, deleteSql);
  const defaultValue = `default: ${values.slice(0, 14).join(' | ')}`;

  /** The n-th placeholder. */
  const p = (n: number) => (target.dialect === 'mysql' ? '?' : `$${n}`);
  async function run(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    if (target.dialect === 'pg') return (await pgAdmin.query(sql, params)).rows;
    const [rows] = params.length > 0 ? await maria.execute(sql, params as never) : await maria.query(sql);
    return rows as Record<string, unknown>[];
  }

  const hexOf = (col: string) =>
    target.dialect === 'mysql'
      ? `LOWER(HEX(${myId(col)}))`
      : `encode(${col === BIN ? pgId(col) : `convert_to(${pgId(col)}, 'UTF8')`}, 'hex')`;

  /** The target table's rows, every value as the hex of its bytes on the server; none while it is missing. */
  async function rows(): Promise<{ k: string; b: string; d: string | null; s: string }[]> {
    try {
      const found = await run(
        `SELECT ${hexOf(KEY)} AS k, ${hexOf(BIN)} AS b, ${hexOf(DFLT)} AS d, ${hexOf(TEXT)} AS s FROM ${q(table)} ORDER BY 1`,
      );
      return found as { k: string; b: string; d: string | null; s: string }[];
    } catch {
      return [];
    }
  }

  async function tablesLike(): Promise<string[]> {
    const found =
      target.dialect === 'mysql'
        ? await run(
            'SELECT TABLE_NAME AS t FROM information_schema.tables WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE ? ORDER BY 1',
            [`${base}\\_${target.n}%`],
          )
        : await run(
            "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE $1 ORDER BY 1",
            [`${base}\\_${target.n}%`],
          );
    return found.map((r) => String(r.t));
  }

  it('writes quotes, backslashes, control characters and SQL fragments back byte for byte', async () => {
    // Prepare: the sink's sessions run in the mode under test; a table the payloads try to drop
    expect(await target.mode()).toMatch(target.expectedMode);
    if (target.dialect === 'mysql') {
      const conn = target.n === 1 ? await mariaAs(nbeUser) : maria;
      await conn.query(`CREATE TABLE ${myId(victimTable)} (id INT PRIMARY KEY)`);
      await conn.query(`INSERT INTO ${myId(victimTable)} VALUES (1)`);
      if (conn !== maria) await conn.end();
    } else {
      const conn = target.n === 3 ? await pgAs(scsOffRole) : pgAdmin;
      await conn.query(`CREATE TABLE ${pgId(victimTable)} (id INT PRIMARY KEY)`);
      await conn.query(`INSERT INTO ${pgId(victimTable)} VALUES (1)`);
      if (conn !== pgAdmin) await conn.end();
    }
    const expected = new Map<string, { b: string; d: string | null; s: string }>();
    const put = (k: string, v: { s: string; d: string | null; b: Buffer } | null) => {
      if (v === null) expected.delete(hex(k));
      else expected.set(hex(k), { b: v.b.toString('hex'), d: hex(v.d ?? defaultValue), s: hex(v.s) });
      return record(topic, defaultValue, k, v);
    };
    const expectedRows = () =>
      [...expected].map(([k, v]) => ({ k, ...v })).sort((a, b) => (a.k < b.k ? -1 : 1));
    const settle = async (count: number) =>
      cf.until(async () => errorsOf(sink).length > 0 || (await rows()).length >= count, 30_000);

    await cf.create(sink, {
      'connector.class': 'JdbcSink',
      'connection.url': target.url,
      topics: topic,
      'table.name.format': `"${table.replace(/"/g, '""')}"`,
      'insert.mode': 'upsert',
      'pk.mode': 'record_key',
      'auto.create': 'true',
      'auto.evolve': 'true',
      'delete.enabled': 'true',
      'tasks.max': '1',
    });

    // Act: a first record alone (the table gets created with the nasty default), then every value as key
    // and as value in one batch, then upserts over nasty keys and a tombstone for one
    await cf.env.send([put('plain', { s: BREAKOUT, d: 'plain', b: bytesOf(0) })]);
    await settle(1);
    expect(errorsOf(sink)).toEqual([]);
    expect(await rows()).toEqual(expectedRows());
    await cf.env.send(
      values.map((v, i) => put(`${i}:${v}`, { s: v, d: values.at(-1 - i) ?? null, b: bytesOf(i) })),
    );
    await settle(expected.size);
    await cf.env.send([
      put(`3:${values[3]}`, { s: values[9] as string, d: null, b: bytesOf(99) }),
      put(`4:${values[4]}`, { s: `${values[10]}${values[11]}`, d: values[12] as string, b: bytesOf(98) }),
      put(`5:${values[5]}`, null),
    ]);
    await cf.until(async () => {
      if (errorsOf(sink).length > 0) return true;
      const now = await rows();
      return now.length === expected.size && !now.some((r) => r.k === hex(`5:${values[5]}`));
    }, 30_000);

    // Assess: every byte as sent, no injected row, every table still there
    expect(errorsOf(sink)).toEqual([]);
    expect(await rows()).toEqual(expectedRows());
    expect(await tablesLike()).toEqual([table, victimTable].sort());
    expect(await run(`SELECT COUNT(*) AS n FROM ${q(victimTable)}`)).toEqual([
      { n: target.dialect === 'mysql' ? 1 : '1' },
    ]);
    const columns =
      target.dialect === 'mysql'
        ? await run(
            'SELECT COLUMN_NAME AS c FROM information_schema.columns WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
            [table],
          )
        : await run(
            "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
            [table],
          );
    expect(columns.map((c) => c.c)).toEqual([KEY, BIN, DFLT, TEXT]);
    // The DDL default (the one literal that cannot be a parameter) reads back as the schema's default
    await run(
      `INSERT INTO ${q(table)} (${q(KEY)}, ${q(BIN)}, ${q(TEXT)}) VALUES (${p(1)}, ${p(2)}, ${p(3)})`,
      ['by hand', Buffer.from([1]), 'x'],
    );
    const [byHand] = await run(`SELECT ${hexOf(DFLT)} AS d FROM ${q(table)} WHERE ${q(KEY)} = ${p(1)}`, [
      'by hand',
    ]);
    expect(byHand?.d).toBe(hex(defaultValue));
  });
});

describe('JDBC source reading such values from MariaDB under NO_BACKSLASH_ESCAPES', () => {
  it('publishes them byte for byte, paging with prepared statements', async () => {
    // Prepare
    const table = `${base}_src`;
    const prefix = `${base}-src-`;
    const values = nasty(`DROP TABLE ${myId(table)}`, `DELETE FROM ${myId(table)}`);
    await maria.query(
      `CREATE TABLE ${myId(table)} (id INT AUTO_INCREMENT PRIMARY KEY, ${myId(TEXT)} TEXT NOT NULL, f FLOAT, at DATETIME(3))`,
    );
    for (const v of values) {
      await maria.execute(
        `INSERT INTO ${myId(table)} (${myId(TEXT)}, f, at) VALUES (?, 1.23456789, '2024-01-02 03:04:05')`,
        [v],
      );
    }
    // Act
    const source = `${base}-source`;
    await cf.create(source, {
      'connector.class': 'JdbcSource',
      'connection.url': `jdbc:mariadb://127.0.0.1:3306/test?user=${nbeUser}`,
      mode: 'incrementing',
      'incrementing.column.name': 'id',
      'table.whitelist': table,
      'topic.prefix': prefix,
      'batch.max.rows': '7',
      'poll.interval.ms': '100',
      'tasks.max': '1',
    });
    await cf.until(
      async () =>
        errorsOf(source).length > 0 || (await readTopic(`${prefix}${table}`)).length >= values.length,
      30_000,
    );
    // Assess: the texts as stored; a FLOAT as the server prints it (what the text protocol answered before
    // prepared statements, and what Connector/J reads), not its exact single-precision value 1.2345679
    expect(errorsOf(source)).toEqual([]);
    const payloads = (await readTopic(`${prefix}${table}`)).map(
      (r) => JSON.parse(r.value?.toString() ?? 'null').payload,
    );
    expect(payloads.map((p) => p[TEXT])).toEqual(values);
    expect(payloads.map((p) => [p.f, p.at])).toEqual(
      values.map(() => [1.23457, Date.UTC(2024, 0, 2, 3, 4, 5)]),
    );
  });
});
