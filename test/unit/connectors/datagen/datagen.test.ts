import { describe, expect, it } from 'vitest';
import type { SourceRecord, Struct } from '../../../../lib/api/index.js';
import { DatagenConnector, DatagenTask } from '../../../../lib/connectors/datagen/datagen-connector.js';
import { QUICKSTARTS } from '../../../../lib/connectors/datagen/quickstarts.js';

async function generate(
  props: Record<string, string>,
  stored: Record<string, unknown> | null = null,
  polls = 1,
) {
  const task = new DatagenTask();
  task.initialize({
    configs: () => props,
    offsetStorageReader: () => ({ offset: async () => stored as never, offsets: async () => [] }),
  });
  task.start(props);
  const out: SourceRecord[] = [];
  for (let i = 0; i < polls; i++) out.push(...((await task.poll()) ?? []));
  return out;
}

const base = {
  'kafka.topic': 't',
  quickstart: 'users',
  'max.interval': '0',
  iterations: '5',
  'random.seed': '99',
  'task.id': '0',
};
const values = (rs: SourceRecord[]) => rs.map((r) => (r.value as Struct).toString());

describe('Datagen quickstarts', () => {
  it('generates the same records for the same seed and different ones per task', async () => {
    const a = await generate(base);
    const b = await generate(base);
    const other = await generate({ ...base, 'task.id': '1' });
    expect(values(a)).toEqual(values(b));
    expect(values(other)).not.toEqual(values(a));
    expect(a).toHaveLength(5);
  });

  it('resumes the same sequence from a stored offset', async () => {
    const all = await generate(base);
    const resumed = await generate(base, all[2]!.sourceOffset as Record<string, unknown>);
    expect(values(resumed)).toEqual(values(all).slice(3));
    expect(all[2]!.sourcePartition).toEqual({ 'task.id': 0 });
    expect(Object.keys(all[2]!.sourceOffset!)).toEqual([
      'task.generation',
      'current.iteration',
      'random.seed',
    ]);
  });

  it('has Confluent’s field names, schema names and keys', async () => {
    for (const [name, q] of Object.entries(QUICKSTARTS)) {
      const [record] = await generate({ ...base, quickstart: name, iterations: '1' });
      expect(record!.valueSchema).toBe(q.schema);
      expect(record!.key).toBe(String((record!.value as Struct).get(q.keyField)));
      (record!.value as Struct).validate();
    }
    expect(QUICKSTARTS.orders!.schema.fields().map((f) => f.name)).toEqual([
      'ordertime',
      'orderid',
      'itemid',
      'orderunits',
      'address',
    ]);
    expect(QUICKSTARTS.stock_trades!.schema.name).toBe('ksql.StockTrade');
    const [pv] = await generate({ ...base, quickstart: 'pageviews' });
    expect((pv!.value as Struct).get('userid')).toMatch(/^User_[1-9]?$/);
  });

  it('stops at iterations and gives each task its id', async () => {
    const records = await generate({ ...base, iterations: '3' }, null, 3);
    expect(records).toHaveLength(3);
    const connector = new DatagenConnector();
    connector.start(base);
    expect(connector.taskConfigs(2).map((c) => c['task.id'])).toEqual(['0', '1']);
  });
});
