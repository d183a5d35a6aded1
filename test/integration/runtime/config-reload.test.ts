import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigProvider } from '../../../lib/config/providers/config-provider.js';
import { createKafka } from '../../../lib/kafka/client.js';
import { RecordProducer } from '../../../lib/kafka/producer.js';
import { type RuntimeFixture, runtimeFixture } from '../../support/runtime.js';
import { KAFKA_BROKERS, uniqueName } from '../../support/services.js';

// config.action.reload=restart (Kafka's default): a provider value with a TTL is resolved afresh once the
// TTL has run out, by restarting the task; `none` keeps the values it started with.
const dir = mkdtempSync(join(tmpdir(), 'sc-reload-'));
let version = 0;
const rotating: ConfigProvider = {
  async get(_path, keys) {
    version++;
    return { data: Object.fromEntries(keys.map((k) => [k, join(dir, `${k}-${version}.txt`)])), ttl: 300 };
  },
};
let rt: RuntimeFixture;
let producer: RecordProducer;

beforeAll(async () => {
  rt = await runtimeFixture({ providers: { rotating } });
  producer = new RecordProducer(createKafka({ brokers: KAFKA_BROKERS }));
});
afterAll(async () => {
  await producer.disconnect();
  await rt.dispose();
});

const lines = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

async function sinkWritingTo(key: string, reload: string) {
  const topic = uniqueName('reload');
  const name = uniqueName('reload-sink');
  const config = {
    'connector.class': 'FileStreamSink',
    name,
    topics: topic,
    file: `\${rotating:${key}}`,
    'config.action.reload': reload,
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
  };
  await rt.create({ name, type: 'sink', config, taskConfigs: [config] });
  const send = (value: string) =>
    producer.send([{ topic, key: null, value: Buffer.from(value), headers: [] }]);
  return { send };
}

describe('config.action.reload', () => {
  it('restart: once the TTL ran out the task restarts with the value resolved afresh', async () => {
    const key = uniqueName('restart');
    const { send } = await sinkWritingTo(key, 'restart');
    await send('first');
    await rt.until(() => readdirFiles(key).some((f) => lines(f).includes('first')));
    const firstFile = readdirFiles(key).find((f) => lines(f).includes('first'));

    await new Promise((r) => setTimeout(r, 400));
    await send('second');
    await rt.until(() => readdirFiles(key).some((f) => lines(f).includes('second')));

    const secondFile = readdirFiles(key).find((f) => lines(f).includes('second'));
    expect(secondFile).not.toBe(firstFile);
  });

  it('none: the task keeps the values it started with', async () => {
    const key = uniqueName('none');
    const { send } = await sinkWritingTo(key, 'none');
    await send('first');
    await rt.until(() => readdirFiles(key).some((f) => lines(f).includes('first')));

    await new Promise((r) => setTimeout(r, 400));
    await send('second');
    await rt.until(() => readdirFiles(key).some((f) => lines(f).includes('second')));

    expect(readdirFiles(key).filter((f) => lines(f).length > 0)).toHaveLength(1);
  });
});

function readdirFiles(key: string): string[] {
  const out: string[] = [];
  for (let v = 1; v <= version; v++) out.push(join(dir, `${key}-${v}.txt`));
  return out.filter(existsSync);
}
