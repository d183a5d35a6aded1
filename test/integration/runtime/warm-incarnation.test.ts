import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigDef, SourceConnector, SourceTask } from '../../../lib/api/index.js';
import { BoundedConsumer } from '../../../lib/kafka/bounded-consumer.js';
import { createKafka } from '../../../lib/kafka/client.js';
import { installedPlugins, PluginRegistry } from '../../../lib/plugins.js';
import { type RuntimeFixture, runtimeFixture } from '../../support/runtime.js';
import { KAFKA_BROKERS, uniqueName } from '../../support/services.js';

// Warm state must not outlive its connector: not across a delete and a re-create of the name (both
// start at generation 1), and not after a stop or a delete seen by no invocation of that connector.
const started: string[] = [];
const stopped: string[] = [];

class DryTask extends SourceTask {
  private name = '';
  version = () => 'test';
  start(props: Record<string, string>) {
    this.name = props.name ?? '';
    started.push(this.name);
  }
  async poll() {
    return [];
  }
  stop() {
    stopped.push(this.name);
  }
}

class DryConnector extends SourceConnector {
  private props: Record<string, string> = {};
  version = () => 'test';
  config = () => new ConfigDef();
  taskClass = () => DryTask;
  start(props: Record<string, string>) {
    this.props = props;
  }
  taskConfigs = () => [this.props];
  stop() {}
}

const dir = mkdtempSync(join(tmpdir(), 'sc-incarnation-'));
let rt: RuntimeFixture;
beforeAll(async () => {
  rt = await runtimeFixture({
    registry: new PluginRegistry([
      ...installedPlugins(),
      { className: 'test.DryConnector', kind: 'source', create: () => new DryConnector() },
    ]),
  });
});
afterAll(() => rt.dispose());

async function topicValues(topic: string): Promise<string[]> {
  const consumer = new BoundedConsumer(createKafka({ brokers: KAFKA_BROKERS }), {
    groupId: uniqueName('check'),
    topics: [topic],
  });
  const values: string[] = [];
  for (let empty = 0; empty < 2; ) {
    const batch = await consumer.poll({ maxRecords: 10_000, maxBytes: 1 << 26, maxWaitMs: 1_000 });
    if (batch.length === 0) empty++;
    for (const r of batch) values.push(JSON.parse(r.value!.toString()).payload);
  }
  await consumer.stop();
  return values;
}

function fileSource(name: string, lines: string[]) {
  const file = join(dir, `${uniqueName('in')}.txt`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { 'connector.class': 'FileStreamSource', name, file, topic: uniqueName('t') };
}

function drySource(name: string) {
  const config = { 'connector.class': 'test.DryConnector', name };
  return rt.create({ name, config, type: 'source', taskConfigs: [config] });
}

/** What the control plane does on DELETE /connectors/{c}. */
async function deleteConnector(name: string) {
  await rt.env.store.configs.delete(name);
  await rt.env.store.status.deleteAll(name);
}

const run = (connector: string) => rt.runner.run({ connector, task: 0 }, Date.now() + 3_000);

describe('warm tasks and connector incarnations', () => {
  it('gives every create of a name a new incarnation, kept by updates', async () => {
    // Prepare
    const name = uniqueName('inc');
    const config = { 'connector.class': 'test.DryConnector', name };
    // Act
    const first = await drySource(name);
    const updated = await rt.env.store.configs.update(name, (c) => ({ ...c, targetState: 'PAUSED' }));
    await deleteConnector(name);
    const second = await rt.create({ name, config, type: 'source', taskConfigs: [config] });
    // Assess
    expect(first.incarnation).toMatch(/^[0-9a-f-]{36}$/);
    expect(updated.incarnation).toBe(first.incarnation);
    expect((await rt.env.store.configs.get(name))?.incarnation).toBe(second.incarnation);
    expect(second.incarnation).not.toBe(first.incarnation);
    expect(second.generation).toBe(first.generation);
  });

  it('runs the config of a re-created connector, not the warm task of the deleted one', async () => {
    // Prepare: the first connector of the name runs, and stays warm at generation 1.
    const name = uniqueName('reborn');
    const before = fileSource(name, ['old-0', 'old-1']);
    await rt.create({ name, config: before, type: 'source', taskConfigs: [before] });
    expect(await run(name)).toMatchObject({ outcome: 'ran', records: 2 });
    // Act: deleted and created again under the same name, with another file and topic: generation 1 again.
    await deleteConnector(name);
    await rt.env.store.offsets.deleteAll(name);
    const after = fileSource(name, ['new-0', 'new-1', 'new-2']);
    const again = await rt.create({ name, config: after, type: 'source', taskConfigs: [after] });
    const second = await run(name);
    // Assess
    expect(again.generation).toBe(1);
    expect(second).toMatchObject({ outcome: 'ran', records: 3 });
    expect(await topicValues(after.topic)).toEqual(['new-0', 'new-1', 'new-2']);
    expect(await topicValues(before.topic)).toEqual(['old-0', 'old-1']);
  });

  it("closes the warm tasks of stopped, deleted and re-created connectors at another connector's invocation", async () => {
    // Prepare: five connectors warm in this process.
    const [halted, gone, reborn, paused, running] = ['halted', 'gone', 'reborn', 'paused', 'running'].map(
      (n) => uniqueName(n),
    ) as [string, string, string, string, string];
    for (const name of [halted, gone, reborn, paused, running]) {
      await drySource(name);
      expect(await run(name)).toMatchObject({ outcome: 'ran' });
    }
    stopped.length = 0;
    // Act: stopped, deleted, re-created and paused behind the process's back (the control plane), then
    // an invocation for another connector.
    await rt.env.store.configs.update(halted, (c) => ({ ...c, targetState: 'STOPPED', taskConfigs: [] }));
    await deleteConnector(gone);
    await deleteConnector(reborn);
    await drySource(reborn);
    await rt.env.store.configs.update(paused, (c) => ({ ...c, targetState: 'PAUSED' }));
    const result = await run(running);
    // Assess
    expect(result).toMatchObject({ outcome: 'ran' });
    expect(stopped.sort()).toEqual([gone, halted, reborn].sort());
    // The paused and the running connector stay warm: running again starts nothing.
    const startedBefore = started.length;
    await run(running);
    expect(started.length).toBe(startedBefore);
  });

  it('closes them too when the invocation finds its own connector stopped', async () => {
    // Prepare
    const [other, self] = [uniqueName('other'), uniqueName('self')];
    await drySource(other);
    await drySource(self);
    await run(other);
    await run(self);
    stopped.length = 0;
    // Act
    await rt.env.store.configs.update(other, (c) => ({ ...c, targetState: 'STOPPED', taskConfigs: [] }));
    await rt.env.store.configs.update(self, (c) => ({ ...c, targetState: 'STOPPED', taskConfigs: [] }));
    const result = await run(self);
    // Assess
    expect(result.outcome).toBe('idle');
    expect(stopped.sort()).toEqual([other, self].sort());
  });
});
