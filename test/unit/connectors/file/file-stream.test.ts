import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceOffsetMap } from '../../../../lib/api/index.js';
import { SinkRecord } from '../../../../lib/api/index.js';
import {
  FileStreamSinkConnector,
  FileStreamSinkTask,
} from '../../../../lib/connectors/file/file-stream-sink.js';
import {
  FileStreamSourceConnector,
  FileStreamSourceTask,
} from '../../../../lib/connectors/file/file-stream-source.js';

const dir = mkdtempSync(join(tmpdir(), 'filestream-'));
// Tasks hold the file open until stop(): stop them, as the runtime does.
const started: FileStreamSourceTask[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((t) => t.stop()));
});

function sourceTask(props: Record<string, string>, committed: SourceOffsetMap | null = null) {
  const task = new FileStreamSourceTask();
  const reader = {
    offset: async () => committed,
    offsets: async (ps: readonly SourceOffsetMap[]) => ps.map(() => committed),
  };
  task.initialize({ configs: () => props, offsetStorageReader: () => reader });
  started.push(task);
  return task;
}

describe('FileStreamSource', () => {
  it('emits one record per line with Kafka’s partition and byte-position offsets', async () => {
    // Prepare
    const file = join(dir, 'in-1.txt');
    writeFileSync(file, 'alpha\r\nbeta\ngamma-without-newline');
    const task = sourceTask({ file, topic: 'lines' });
    await task.start({ file, topic: 'lines' });
    // Act
    const records = await task.poll();
    // Assess
    expect(records?.map((r) => r.value)).toEqual(['alpha', 'beta']);
    expect(records?.map((r) => r.sourceOffset)).toEqual([{ position: 7 }, { position: 12 }]);
    expect(records?.[0]?.sourcePartition).toEqual({ filename: file });
    expect(records?.[0]?.topic).toBe('lines');
  });

  it('holds an unfinished last line back until its newline arrives', async () => {
    const file = join(dir, 'in-2.txt');
    writeFileSync(file, 'one\ntw');
    const task = sourceTask({ file, topic: 't' });
    await task.start({ file, topic: 't' });
    expect((await task.poll())?.map((r) => r.value)).toEqual(['one']);
    expect(await task.poll()).toBeNull();
    appendFileSync(file, 'o\n');
    expect((await task.poll())?.map((r) => r.value)).toEqual(['two']);
  });

  it('resumes after the committed position and honours batch.size', async () => {
    const file = join(dir, 'in-3.txt');
    writeFileSync(file, 'a\nb\nc\nd\n');
    const task = sourceTask({ file, topic: 't', 'batch.size': '2' }, { position: 2 });
    await task.start({ file, topic: 't', 'batch.size': '2' });
    expect((await task.poll())?.map((r) => r.value)).toEqual(['b', 'c']);
    expect((await task.poll())?.map((r) => r.value)).toEqual(['d']);
  });

  it('makes exactly one task config whatever tasks.max is', async () => {
    const connector = new FileStreamSourceConnector();
    await connector.start({ file: '/tmp/x', topic: 't', 'tasks.max': '4' });
    expect(await connector.taskConfigs(4)).toHaveLength(1);
  });

  it('checks offsets given to alterOffsets the way Kafka does', () => {
    const connector = new FileStreamSourceConnector();
    const config = { file: '/tmp/x', topic: 't' };
    expect(
      connector.alterOffsets(config, [{ partition: { filename: '/tmp/x' }, offset: { position: 10 } }]),
    ).toBe(true);
    expect(connector.alterOffsets(config, [{ partition: { filename: '/tmp/x' }, offset: null }])).toBe(true);
    expect(() =>
      connector.alterOffsets(config, [{ partition: { filename: 'x' }, offset: { position: -1 } }]),
    ).toThrow("The value for the 'position' key in the offset should be a non-negative value");
    expect(() =>
      connector.alterOffsets(config, [{ partition: { filename: 'x' }, offset: { position: 'a' } }]),
    ).toThrow('is expected to be a Long value');
    expect(() => connector.alterOffsets({ topic: 't' }, [])).toThrow('configured to read from stdin');
  });
});

describe('FileStreamSink', () => {
  it('appends each record value as a line and makes tasks.max task configs', async () => {
    // Prepare
    const file = join(dir, 'out.txt');
    const connector = new FileStreamSinkConnector();
    await connector.start({ file, topics: 't' });
    const task = new FileStreamSinkTask();
    await task.start({ file });
    const rec = (value: unknown, offset: number) =>
      new SinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: offset, value });
    // Act
    await task.put([rec('first', 0), rec(42, 1), rec({ a: 1 }, 2)]);
    await task.flush([]);
    await task.stop();
    // Assess
    expect(readFileSync(file, 'utf8')).toBe('first\n42\n{"a":1}\n');
    expect(await connector.taskConfigs(3)).toHaveLength(3);
  });
});

describe('FileStreamSource bounds a line', () => {
  it('answers the lines before a line over line.max.bytes, then fails with its position', async () => {
    // Prepare
    const file = join(dir, 'long-1.txt');
    writeFileSync(file, `ok\n${'x'.repeat(11)}\nafter\n`);
    const props = { file, topic: 't', 'line.max.bytes': '10' };
    const task = sourceTask(props);
    await task.start(props);
    // Act / Assess
    expect((await task.poll())?.map((r) => r.value)).toEqual(['ok']);
    await expect(task.poll()).rejects.toThrow(/starting at byte 3 is longer than line.max.bytes=10 bytes/);
  });

  it('fails on input with no newline once the limit is passed, without reading the whole file', async () => {
    // Prepare: 8 MiB and no newline, a limit of 1 KiB.
    const file = join(dir, 'long-2.txt');
    writeFileSync(file, Buffer.alloc(8 * 1024 * 1024, 0x61));
    const props = { file, topic: 't', 'line.max.bytes': '1024' };
    const task = sourceTask(props);
    await task.start(props);
    // Act / Assess
    await expect(task.poll()).rejects.toThrow(/starting at byte 0 is longer than line.max.bytes=1024/);
  });

  it('takes a line of exactly the limit, CRLF or not', async () => {
    // Prepare
    const file = join(dir, 'long-3.txt');
    writeFileSync(file, `${'y'.repeat(10)}\r\n${'z'.repeat(10)}\n`);
    const props = { file, topic: 't', 'line.max.bytes': '10' };
    const task = sourceTask(props);
    await task.start(props);
    // Act / Assess
    expect((await task.poll())?.map((r) => r.value)).toEqual(['y'.repeat(10), 'z'.repeat(10)]);
  });
});
