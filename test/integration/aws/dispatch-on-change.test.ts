import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka } from '../../../lib/kafka/client.js';
import { KAFKA_BROKERS, uniqueName } from '../../support/services.js';
import { type AwsFixture, awsFixture } from './local-aws-fixture.js';

// The control API starts the dispatcher after a change to connectors: a new task runs at once, as in Kafka
// Connect, not at the next schedule. The schedule here is ten minutes, so only that start can run it.
let f: AwsFixture;
const admin = createKafka({ brokers: KAFKA_BROKERS }).admin();
beforeAll(async () => {
  f = await awsFixture('dispatch-on-change', { tickMs: 600_000 });
  await admin.connect();
}, 120_000);
afterAll(async () => {
  await admin.disconnect();
  await f?.dispose();
});

describe('a change to connectors', () => {
  it('starts the dispatcher, so a new source runs before any scheduled tick', async () => {
    // Prepare
    const topic = uniqueName('kick');
    const input = join(f.dir, `${topic}.txt`);
    writeFileSync(input, 'one\ntwo\nthree\n');
    // Act
    await f.create(uniqueName('kick-source'), { 'connector.class': 'FileStreamSource', file: input, topic });
    // Assess
    const inTopic = async () =>
      (await admin.fetchTopicOffsets(topic).catch(() => [])).reduce((n, p) => n + Number(p.high), 0);
    await f.until(async () => (await inTopic()) === 3, 30_000, 'the three lines in Kafka');
    expect(f.pool('DispatcherFunction').stats().invocations).toBeGreaterThan(0);
  });

  it("runs only the changed connector's tasks: creating a second connector does not start the first's again", async () => {
    // Prepare: a source with nothing to read runs once and lets go of its task, so any later dispatcher
    // run would start it again; the ten-minute schedule starts none.
    const runner = f.pool('TasksTaskRunner');
    const idle = () =>
      runner.stats().environments.every((e) => e.state !== 'busy' && e.state !== 'initializing');
    const first = uniqueName('only-first');
    const firstInput = join(f.dir, `${first}.txt`);
    writeFileSync(firstInput, '');
    await f.create(first, { 'connector.class': 'FileStreamSource', file: firstInput, topic: first });
    const running = async (name: string) =>
      (await f.call('GET', `/connectors/${name}/status`)).body?.tasks?.[0]?.state === 'RUNNING';
    await f.until(() => running(first), 30_000, 'the first source to run');
    await f.until(async () => idle(), 30_000, 'its run to end');
    const before = runner.stats().invocations;
    // Act
    const second = uniqueName('only-second');
    const secondInput = join(f.dir, `${second}.txt`);
    writeFileSync(secondInput, '');
    await f.create(second, { 'connector.class': 'FileStreamSource', file: secondInput, topic: second });
    await f.until(() => running(second), 30_000, 'the second source to run');
    await f.until(async () => idle(), 30_000, 'its run to end');
    // Assess: one run, the second's.
    expect(runner.stats().invocations - before).toBe(1);
  });
});
