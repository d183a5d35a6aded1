import { describe, expect, it } from 'vitest';
import { type SinkRecord, SinkTask, type TopicPartition } from '../../../lib/api/index.js';
import { SinkPartitions, withheld, withSeeks } from '../../../lib/runtime/sink-partitions.js';

class Recording extends SinkTask {
  readonly calls: string[] = [];
  version = () => 'test';
  start() {}
  put(_records: readonly SinkRecord[]) {}
  stop() {}
  override open(tps: readonly TopicPartition[]) {
    this.calls.push(`open ${tps.map((t) => `${t.topic}/${t.partition}`).join(' ')}`);
  }
  override close(tps: readonly TopicPartition[]) {
    this.calls.push(`close ${tps.map((t) => `${t.topic}/${t.partition}`).join(' ')}`);
  }
}

const tp = (partition: number) => ({ topic: 't', partition });

describe('SinkPartitions', () => {
  it('closes lost partitions before opening gained ones, and forgets what was asked of the lost', async () => {
    // Prepare
    const task = new Recording();
    const parts = new SinkPartitions();
    await parts.assign(task, [tp(0), tp(1)]);
    parts.pause([tp(1)]);
    parts.requestSeek([{ ...tp(1), offset: 7 }]);
    // Act
    await parts.assign(task, [tp(0), tp(2)]);
    await parts.closeAll(task);
    // Assess
    expect(task.calls).toEqual(['open t/0 t/1', 'close t/1', 'open t/2', 'close t/0 t/2']);
    expect(parts.pausedPartitions()).toEqual([]);
    expect(parts.takeSeeks()).toEqual([]);
  });

  it('opens each partition once when given records, however often a partition appears', async () => {
    // Prepare
    const task = new Recording();
    const parts = new SinkPartitions();
    const records = [0, 0, 1, 0, 1].map((partition, offset) => ({ ...tp(partition), offset }));
    // Act
    await parts.add(task, records);
    const later = [{ ...tp(1), offset: 9 }];
    await parts.add(task, later);
    // Assess
    expect(task.calls).toEqual(['open t/0 t/1']);
    expect(parts.assignment()).toEqual([tp(0), tp(1)]);
  });

  it('withholds records of paused and sought partitions, rewinding a paused one to its first record', () => {
    // Prepare
    const parts = new SinkPartitions();
    parts.pause([tp(1)]);
    const records = [0, 1, 2].flatMap((partition) => [5, 6].map((offset) => ({ ...tp(partition), offset })));
    // Act
    const { deliver, rewind } = withheld(parts, [{ ...tp(2), offset: 0 }], records);
    // Assess
    expect(deliver).toEqual([
      { ...tp(0), offset: 5 },
      { ...tp(0), offset: 6 },
    ]);
    expect(rewind).toEqual([{ ...tp(1), offset: 5 }]);
  });

  it('commits a sought partition at its seek offset, the latest request winning', () => {
    // Act
    const parts = new SinkPartitions();
    parts.requestSeek([{ ...tp(0), offset: 3 }]);
    parts.requestSeek([{ ...tp(0), offset: 2 }]);
    const commit = withSeeks(
      [
        { ...tp(0), offset: 9 },
        { ...tp(1), offset: 4 },
      ],
      parts.takeSeeks(),
    );
    // Assess
    expect(commit).toEqual([
      { ...tp(0), offset: 2 },
      { ...tp(1), offset: 4 },
    ]);
    expect(parts.takeSeeks()).toEqual([]);
  });
});
