import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RuntimeFixture, runtimeFixture } from '../../support/runtime.js';
import { uniqueName } from '../../support/services.js';

const dir = mkdtempSync(join(tmpdir(), 'sc-pipeline-'));
let rt: RuntimeFixture;
beforeAll(async () => {
  rt = await runtimeFixture({ maxRecords: 500 });
});
afterAll(() => rt.dispose());

const lines = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

describe('a FileStream source → Kafka → FileStream sink pipeline', () => {
  it('moves every line, in order, through leased bounded batches', async () => {
    // Prepare
    const input = join(dir, 'in.txt');
    const output = join(dir, 'out.txt');
    const topic = uniqueName('lines');
    const sent = Array.from({ length: 2_000 }, (_, i) => `line ${i} ünïcødé`);
    writeFileSync(input, `${sent.join('\n')}\n`);
    const source = {
      'connector.class': 'FileStreamSource',
      name: uniqueName('src'),
      file: input,
      topic,
      'tasks.max': '1',
    };
    const sink = {
      'connector.class': 'FileStreamSink',
      name: uniqueName('sink'),
      file: output,
      topics: topic,
      'tasks.max': '1',
    };
    await rt.create({ name: source.name, config: source, type: 'source', taskConfigs: [source] });
    await rt.create({ name: sink.name, config: sink, type: 'sink', taskConfigs: [sink] });
    // Act
    await rt.until(() => lines(output).length >= sent.length);
    // Assess
    expect(lines(output)).toEqual(sent);
    const offsets = await rt.env.store.offsets.getAll(source.name);
    expect(offsets).toEqual([
      { partition: { filename: input }, offset: { position: Buffer.byteLength(`${sent.join('\n')}\n`) } },
    ]);
    const [status] = await rt.env.store.status.getTasks(source.name);
    expect(status).toMatchObject({ state: 'RUNNING', workerId: '127.0.0.1:8083' });
    expect(status?.totals?.records).toBe(2_000);
    expect(await rt.env.store.status.getActiveTopics(sink.name)).toEqual([topic]);
    expect(rt.errors).toEqual([]);
  });
});

describe('topic creation and topic subscription', () => {
  it('creates a source topic per topic.creation.* before producing to it', async () => {
    // Prepare
    const input = join(dir, 'created.txt');
    writeFileSync(input, 'a\nb\n');
    const topic = uniqueName('created');
    const config = {
      'connector.class': 'FileStreamSource',
      name: uniqueName('src'),
      file: input,
      topic,
      'topic.creation.default.partitions': '3',
      'topic.creation.default.replication.factor': '1',
      'topic.creation.default.retention.ms': '3600000',
    };
    await rt.create({ name: config.name, config, type: 'source', taskConfigs: [config] });
    // Act
    await rt.tick();
    // Assess
    const metadata = await rt.admin.describeTopic(topic);
    expect(metadata).toEqual({
      partitions: 3,
      configs: expect.objectContaining({ 'retention.ms': '3600000' }),
    });
  });

  it('feeds a sink from every topic matching topics.regex', async () => {
    // Prepare
    const prefix = uniqueName('rx');
    const output = join(dir, `${prefix}.txt`);
    for (const suffix of ['a', 'b']) {
      const input = join(dir, `${prefix}-${suffix}.txt`);
      writeFileSync(input, `from ${suffix}\n`);
      const config = {
        'connector.class': 'FileStreamSource',
        name: `${prefix}-src-${suffix}`,
        file: input,
        topic: `${prefix}-${suffix}`,
      };
      await rt.create({ name: config.name, config, type: 'source', taskConfigs: [config] });
    }
    await rt.tick(); // the topics exist before the sink subscribes by pattern
    const sink = {
      'connector.class': 'FileStreamSink',
      name: `${prefix}-sink`,
      file: output,
      'topics.regex': `${prefix}-.*`,
    };
    await rt.create({ name: sink.name, config: sink, type: 'sink', taskConfigs: [sink] });
    // Act
    await rt.until(() => lines(output).length >= 2);
    // Assess
    expect(lines(output).sort()).toEqual(['from a', 'from b']);
  });
});
