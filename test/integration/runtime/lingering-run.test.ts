import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka } from '../../../lib/kafka/client.js';
import { type RuntimeFixture, runtimeFixture } from '../../support/runtime.js';
import { KAFKA_BROKERS } from '../../support/services.js';

// worker.batch.idleMs (TASK_IDLE_MS; local mode's default): a run keeps polling a task that found nothing,
// so data appended meanwhile is taken by the running task instead of waiting for the next dispatcher tick.
const IDLE_MS = 1_500;
let rt: RuntimeFixture;
const admin = createKafka({ brokers: KAFKA_BROKERS }).admin();
beforeAll(async () => {
  rt = await runtimeFixture({ idleMs: IDLE_MS });
  await admin.connect();
});
afterAll(async () => {
  await admin.disconnect();
  await rt.dispose();
});

/** A FileStreamSource connector on a new file holding `lines`, stored in `fixture`. */
async function fileSource(lines: string, fixture: RuntimeFixture = rt) {
  const file = join(mkdtempSync(join(tmpdir(), 'sc-linger-')), 'in.txt');
  writeFileSync(file, lines);
  return { file, config: await fixture.createFileSource(file, 'linger') };
}

const recordsIn = async (topic: string) =>
  (await admin.fetchTopicOffsets(topic).catch(() => [])).reduce((n, p) => n + Number(p.high), 0);

describe('a lingering run', () => {
  it('takes a line appended while it runs, and ends once the task found nothing for idleMs', async () => {
    // Prepare
    const { file, config } = await fileSource('first\n');
    const started = Date.now();
    // Act
    const run = rt.runner.run({ connector: config.name, task: 0 }, Date.now() + 20_000);
    await new Promise((r) => setTimeout(r, 500));
    appendFileSync(file, 'second\n');
    const appendedAt = Date.now();
    while ((await recordsIn(config.topic)) < 2 && Date.now() - appendedAt < 5_000)
      await new Promise((r) => setTimeout(r, 20));
    const inKafkaAt = Date.now();
    const result = await run;
    const endedAt = Date.now();
    // Assess: the same run produced both lines; the second before the run ended, and the run lasted
    // about idleMs after the last line it found.
    expect(result).toMatchObject({ outcome: 'ran', records: 2 });
    expect(result.more).toBeUndefined();
    expect(result.batches).toBeGreaterThan(2);
    expect(inKafkaAt).toBeLessThan(endedAt);
    // It stops once another pause (50 ms) would pass the idle time, counted from when it found the line.
    expect(endedAt - appendedAt).toBeGreaterThanOrEqual(IDLE_MS - 50);
    expect(endedAt - started).toBeLessThan(15_000);
  });

  it('ends at once when it found nothing at all: an idle task holds no execution environment', async () => {
    // Prepare: a file read to its end by an earlier run.
    const { config } = await fileSource('first\n');
    await rt.runner.run({ connector: config.name, task: 0 }, Date.now() + 20_000);
    const started = Date.now();
    // Act
    const result = await rt.runner.run({ connector: config.name, task: 0 }, Date.now() + 20_000);
    // Assess: one empty batch, far shorter than idleMs.
    expect(result).toMatchObject({ outcome: 'ran', records: 0, batches: 1 });
    expect(Date.now() - started).toBeLessThan(IDLE_MS);
  });

  it('asks for the next invocation at once when its budget, not idleness, ends it', async () => {
    // Prepare: idleMs longer than the budget (local mode), so the task runs on across invocations.
    const long = await runtimeFixture({ idleMs: 60_000 });
    try {
      const { config } = await fileSource('only\n', long);
      // Act: a 4 s budget, of which the fixture's safety margin keeps 0.5 s free.
      const result = await long.runner.run({ connector: config.name, task: 0 }, Date.now() + 4_000);
      // Assess
      expect(result).toMatchObject({ outcome: 'ran', records: 1, more: true });
    } finally {
      await long.dispose();
    }
  });

  it('ends soon after the connector is paused, not when its idle time is over', async () => {
    // Prepare
    const long = await runtimeFixture({ idleMs: 60_000 });
    try {
      const { config } = await fileSource('only\n', long);
      const run = long.runner.run({ connector: config.name, task: 0 }, Date.now() + 30_000);
      await new Promise((r) => setTimeout(r, 500));
      // Act
      const pausedAt = Date.now();
      await long.env.store.configs.update(config.name, (c) => ({ ...c, targetState: 'PAUSED' }));
      const result = await run;
      // Assess: seen at the next config check (every second), far before the 30 s budget.
      expect(result).toMatchObject({ outcome: 'ran', records: 1 });
      expect(result.more).toBeUndefined();
      expect(Date.now() - pausedAt).toBeLessThan(10_000);
    } finally {
      await long.dispose();
    }
  });
});
