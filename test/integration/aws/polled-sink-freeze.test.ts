import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaAdmin } from '../../../lib/kafka/admin.js';
import { createKafka } from '../../../lib/kafka/client.js';
import { RecordProducer } from '../../../lib/kafka/producer.js';
import { KAFKA_BROKERS, uniqueName } from '../../support/services.js';
import { type AwsFixture, awsFixture } from './local-aws-fixture.js';

// A polled sink (two topics: no event source mapping, the dispatcher drives its task runner) under the
// simulator's freeze: the task runner's environment is SIGSTOPped between invocations, as AWS freezes a
// container, and held frozen longer than the consumer's session timeout. The next invocation lands in
// another environment and must make progress at once: a consumer left in `connect-<name>` by the frozen
// container would stall its join until that session timed out. The schedule is fired by hand.
let f: AwsFixture;
const kafka = createKafka({ brokers: KAFKA_BROKERS });
const admin = new KafkaAdmin(kafka);
const producer = new RecordProducer(kafka);
const SESSION_MS = 20_000;

beforeAll(async () => {
  f = await awsFixture('sink-freeze', { tickMs: 3_600_000 });
}, 240_000);

afterAll(async () => {
  await f?.dispose();
  await producer.disconnect();
  await admin.disconnect();
});

const lines = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

describe('a polled sink under the freeze between invocations', { timeout: 90_000 }, () => {
  it('a frozen container holds no group member: the next invocation elsewhere reads at once', async () => {
    // Prepare: the sink has run once and its environment is frozen between invocations.
    const topics = [uniqueName('freeze-a'), uniqueName('freeze-b')];
    await admin.createTopics(topics.map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })));
    const file = join(f.dir, 'freeze-out.txt');
    const send = (tag: string) =>
      producer.send(
        topics.map((topic) => ({ topic, key: null, value: Buffer.from(`"${tag} ${topic}"`), headers: [] })),
      );
    await f.create(uniqueName('freeze-sink'), {
      'connector.class': 'FileStreamSink',
      topics: topics.join(','),
      file,
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
      'consumer.override.session.timeout.ms': String(SESSION_MS),
      'consumer.override.heartbeat.interval.ms': '2000',
    });
    await send('first');
    const runner = f.pool('TasksTaskRunner');
    // A tick now and then, as the schedule would: one invocation at a time (each ends dry in about 1 s).
    let firedAt = 0;
    const tick = async () => {
      if (Date.now() - firedAt < 2_500 || runner.stats().environments.some((e) => e.state === 'busy')) return;
      firedAt = Date.now();
      await f.aws.simulator.schedules.fireAll();
    };
    await f.until(
      async () => {
        if (lines(file).length >= 2) return true;
        await tick();
        return false;
      },
      45_000,
      'the first records',
    );
    await f.until(
      () => runner.stats().environments.every((e) => e.state !== 'busy'),
      20_000,
      'the run to end',
    );
    const frozen = runner.stats().environments.filter((e) => e.state === 'frozen');
    expect(frozen.length).toBeGreaterThan(0);
    // Act: hold them frozen past the session timeout; new records; the schedule fires.
    for (const env of frozen) runner.freezeFor(env.id, SESSION_MS + 10_000);
    await send('second');
    firedAt = 0;
    const start = Date.now();
    await f.until(
      async () => {
        if (lines(file).length >= 4) return true;
        await tick();
        return false;
      },
      SESSION_MS + 15_000,
      'the second records',
    );
    const took = Date.now() - start;
    // Assess: read by another environment, well within the frozen member's session timeout.
    expect(runner.stats().environments.filter((e) => e.state !== 'dead').length).toBeGreaterThan(
      frozen.length,
    );
    expect(lines(file).slice(2).sort()).toEqual(topics.map((t) => `second ${t}`).sort());
    expect(took).toBeLessThan(SESSION_MS / 2);
  });
});
