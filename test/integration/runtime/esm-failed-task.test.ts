import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sinkAlias } from '../../../lib/config/sink-routing.js';
import type { ConsumedRecord } from '../../../lib/kafka/types.js';
import { EventBatchRouter } from '../../../lib/runtime/event-batch.js';
import { type RuntimeFixture, runtimeFixture } from '../../support/runtime.js';
import { uniqueName } from '../../support/services.js';

// The event-source-mapping path keeps FAILED as the polled path does: a failed task is not rebuilt by the
// next batch the mapping delivers, only by a restart (or a reconfiguration).
let rt: RuntimeFixture;
beforeAll(async () => {
  rt = await runtimeFixture();
});
afterAll(() => rt.dispose());

const lines = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

const batch = (topic: string, from: number, values: string[]): ConsumedRecord[] =>
  values.map(
    (v, i): ConsumedRecord => ({
      topic,
      partition: 0,
      offset: from + i,
      timestamp: Date.now(),
      timestampType: 'CreateTime',
      key: null,
      value: Buffer.from(v),
      headers: [],
    }),
  );

describe('a FAILED task on the event-source-mapping path', () => {
  it('refuses every later batch, good ones too, until a restart covers it', async () => {
    // Prepare: a JSON sink whose second record is not JSON.
    const topic = uniqueName('esm-failed');
    const name = uniqueName('failed');
    const file = join(mkdtempSync(join(tmpdir(), 'sc-esm-failed-')), 'out.txt');
    const config = {
      'connector.class': 'FileStreamSink',
      name,
      file,
      topics: topic,
      'value.converter': 'JsonConverter',
      'value.converter.schemas.enable': 'false',
    };
    await rt.create({ name, config, type: 'sink', taskConfigs: [config] });
    const router = new EventBatchRouter(rt.runner, rt.env.store);
    const deadline = () => Date.now() + 10_000;
    const failed = await router.run(batch(topic, 0, ['1', '{oops']), deadline(), sinkAlias(name));
    const task0 = async () => (await rt.env.store.status.getTasks(name))[0];
    const failedState = (await task0())?.state;
    // Act: the next batch has nothing wrong with it (as when the cause of a failure went away).
    const refused = await router.run(batch(topic, 2, ['3', '4']), deadline(), sinkAlias(name));
    const stateAfter = (await task0())?.state;
    const linesAfter = lines(file);
    // Act: a restart of the task, as POST /connectors/{c}/restart?includeTasks=true writes it.
    await rt.env.store.configs.update(name, (c) => ({
      ...c,
      restartRequest: {
        epoch: 1,
        includeTasks: true,
        onlyFailed: false,
        requestedAt: new Date().toISOString(),
        tasks: [0],
      },
    }));
    await rt.env.store.status.putTask(name, 0, { state: 'RESTARTING', workerId: 'w', generation: 1 });
    const restarted = await router.run(batch(topic, 2, ['3', '4']), deadline(), sinkAlias(name));
    // Assess
    expect(failed).toMatchObject({ connector: name, failed: true });
    expect(failedState).toBe('FAILED');
    expect(refused.retry.map((r) => r.offset)).toEqual([2]);
    expect(stateAfter).toBe('FAILED');
    expect(linesAfter).toEqual([]);
    expect(restarted.retry).toEqual([]);
    expect(lines(file)).toEqual(['3', '4']);
    expect(await task0()).toMatchObject({ state: 'RUNNING', restartEpoch: 1 });
  });
});
