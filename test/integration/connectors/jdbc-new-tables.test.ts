import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../support/services.js';
import { type ConnectFixture, connectFixture, readTopic } from './support.js';

// Confluent's table monitor, end to end: the running connector notices a new table and asks for task
// reconfiguration; the runtime stores the new task configs and the new table flows into Kafka.
let cf: ConnectFixture;
let db: pg.Client;
const first = uniqueName('nt_a').replace(/-/g, '_');
const later = uniqueName('nt_b').replace(/-/g, '_');
const prefix = `${uniqueName('newtables')}-`;

beforeAll(async () => {
  cf = await connectFixture('jdbcnew');
  db = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
  await db.connect();
  await db.query(`CREATE TABLE ${first} (id SERIAL PRIMARY KEY, v TEXT)`);
  await db.query(`INSERT INTO ${first} (v) VALUES ('from the first table')`);
});

afterAll(async () => {
  await db.query(`DROP TABLE IF EXISTS ${first}`);
  await db.query(`DROP TABLE IF EXISTS ${later}`);
  await db.end();
  await cf.dispose();
});

describe('a JDBC source whose database gains a table', () => {
  it('picks the new table up without a config change', async () => {
    // Prepare
    const name = uniqueName('jdbc-new');
    await cf.create(name, {
      'connector.class': 'JdbcSource',
      'connection.url': 'jdbc:postgresql://127.0.0.1:5432/test',
      'connection.user': 'postgres',
      mode: 'incrementing',
      'incrementing.column.name': 'id',
      'table.whitelist': `${first},${later}`,
      'topic.prefix': prefix,
      'poll.interval.ms': '100',
      'table.poll.interval.ms': '200',
      'tasks.max': '2',
    });
    await cf.until(async () => (await readTopic(`${prefix}${first}`)).length === 1);
    const before = (await cf.call('GET', `/connectors/${name}/tasks`)).body;
    // Act
    await db.query(`CREATE TABLE ${later} (id SERIAL PRIMARY KEY, v TEXT)`);
    await db.query(`INSERT INTO ${later} (v) VALUES ('from the new table')`);
    await new Promise((r) => setTimeout(r, 500)); // the monitor's next look at the catalog
    await cf.until(async () => (await readTopic(`${prefix}${later}`)).length === 1);
    // Assess
    const after = (await cf.call('GET', `/connectors/${name}/tasks`)).body;
    expect(before).toHaveLength(1);
    expect(after).toHaveLength(2);
    const [row] = await readTopic(`${prefix}${later}`);
    expect(JSON.parse(row!.value!.toString()).payload).toMatchObject({ id: 1, v: 'from the new table' });
  });
});
