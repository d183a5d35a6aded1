import { describe, expect, it } from 'vitest';
import { BigDecimal } from '../../../../lib/api/index.js';
import { mapColumn } from '../../../../lib/connectors/jdbc/column-schema.js';
import { groupPartitions } from '../../../../lib/connectors/jdbc/jdbc-source-connector.js';
import {
  fromOffsetMap,
  sourcePartition,
  toOffsetMap,
} from '../../../../lib/connectors/jdbc/source-offsets.js';
import { TableMonitor } from '../../../../lib/connectors/jdbc/table-monitor.js';
import { formatDbTimestamp, parseDbTimestamp } from '../../../../lib/connectors/jdbc/timestamps.js';

const col = (type: string, extra: object = {}) => ({
  name: 'c',
  type,
  columnType: type,
  nullable: false,
  precision: null,
  scale: null,
  autoIncrement: false,
  ...extra,
});

describe('column schemas', () => {
  it('maps numerics to Decimal of their scale, dates and timestamps to logical types, nullables to optional', () => {
    const dec = mapColumn(col('numeric', { precision: 12, scale: 4, nullable: true }), 'none');
    expect(dec.schema).toMatchObject({
      type: 'BYTES',
      name: 'org.apache.kafka.connect.data.Decimal',
      optional: true,
    });
    expect(dec.convert('1.5')).toEqual(BigDecimal.parse('1.5000'));
    expect(dec.convert(null)).toBeNull();
    expect(mapColumn(col('timestamp with time zone'), 'none').convert('2024-01-01 00:00:00.5+02')).toEqual(
      new Date('2023-12-31T22:00:00.500Z'),
    );
    expect(mapColumn(col('date'), 'none').schema.name).toBe('org.apache.kafka.connect.data.Date');
    expect(mapColumn(col('tinyint', { columnType: 'tinyint(1)' }), 'none').schema.type).toBe('BOOLEAN');
    expect(mapColumn(col('bigint'), 'none').convert('9007199254740993')).toBe(9007199254740993n);
  });

  it('maps numerics by precision with numeric.mapping=best_fit', () => {
    expect(mapColumn(col('numeric', { precision: 5, scale: 0 }), 'best_fit').schema.type).toBe('INT32');
    expect(mapColumn(col('numeric', { precision: 10, scale: 2 }), 'best_fit').schema.type).toBe('FLOAT64');
  });
});

describe('offsets in Confluent’s shape', () => {
  it('uses protocol 1 partitions and incrementing/timestamp/timestamp_nanos offsets that round-trip', () => {
    const ts = parseDbTimestamp('2024-05-06 07:08:09.123456');
    expect(sourcePartition({ catalog: 'test', schema: 'public', table: 't' })).toEqual({
      protocol: '1',
      table: 'test.public.t',
    });
    expect(sourcePartition(null)).toEqual({ query: 'query' });
    const map = toOffsetMap({ incrementing: 42, timestamp: ts });
    expect(map).toEqual({
      incrementing: 42,
      timestamp: Date.parse('2024-05-06T07:08:09.123Z'),
      timestamp_nanos: 123456000,
    });
    expect(formatDbTimestamp(fromOffsetMap(map).timestamp!)).toBe('2024-05-06 07:08:09.123456');
  });
});

describe('tasks and tables', () => {
  it('spreads tables over tasks in contiguous groups', () => {
    expect(groupPartitions([1, 2, 3, 4, 5], 2)).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(groupPartitions([1], 3)).toEqual([[1]]);
  });

  it('asks for reconfiguration when a table appears', async () => {
    // Prepare
    let tables = [{ table: 'a' }];
    const changes: number[] = [];
    const monitor = new TableMonitor(
      async () => tables,
      tables,
      (t) => changes.push(t.length),
    );
    // Act
    const unchanged = await monitor.check();
    tables = [{ table: 'a' }, { table: 'b' }];
    const changed = await monitor.check();
    // Assess
    expect([unchanged, changed, changes]).toEqual([false, true, [2]]);
  });
});
