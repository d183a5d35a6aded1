import { describe, expect, it } from 'vitest';
import { ConnectHeaders, Schemas, SinkRecord, SourceRecord } from '../../../lib/api/index.js';

describe('records and headers', () => {
  it('copies a sink record with changes, keeping the original coordinates', () => {
    // Prepare
    const record = new SinkRecord({
      topic: 't',
      kafkaPartition: 1,
      kafkaOffset: 10,
      valueSchema: Schemas.STRING,
      value: 'v',
    });

    // Act
    const copy = record.with({ topic: 'routed', value: 'w' });

    // Assess
    expect(copy).toBeInstanceOf(SinkRecord);
    expect(copy.topic).toBe('routed');
    expect(copy.value).toBe('w');
    expect(copy.originalTopic).toBe('t');
    expect(copy.kafkaOffset).toBe(10);
    expect(Object.isFrozen(copy)).toBe(true);
  });

  it('copies a source record keeping its partition and offset and its own headers', () => {
    // Prepare
    const record = new SourceRecord({
      sourcePartition: { f: 'a' },
      sourceOffset: { pos: 3 },
      topic: 't',
      value: 1,
    });

    // Act
    const copy = record.with({ kafkaPartition: 2 });
    copy.headers.addString('h', 'x');

    // Assess
    expect(copy.sourceOffset).toEqual({ pos: 3 });
    expect(copy.kafkaPartition).toBe(2);
    expect(record.headers.size).toBe(0);
  });

  it('keeps only the latest header of each key', () => {
    // Prepare
    const headers = new ConnectHeaders().addString('a', '1').addInt('b', 2).addString('a', '3');

    // Act
    headers.retainLatest();

    // Assess
    expect([...headers].map((h) => [h.key, h.value])).toEqual([
      ['b', 2],
      ['a', '3'],
    ]);
  });

  it('finds all and last headers by name and removes them', () => {
    // Prepare
    const headers = new ConnectHeaders().addString('a', '1').addString('a', '2').addLong('c', 5n);

    // Act
    const all = headers.allWithName('a').map((h) => h.value);
    const last = headers.lastWithName('a')?.value;
    headers.remove('a');

    // Assess
    expect(all).toEqual(['1', '2']);
    expect(last).toBe('2');
    expect(headers.size).toBe(1);
  });
});
