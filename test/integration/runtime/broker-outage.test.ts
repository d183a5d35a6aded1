import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordProducer } from '../../../lib/kafka/producer.js';
import { TaskRunner } from '../../../lib/runtime/task-runner.js';
import { type RuntimeFixture, runtimeFixture } from '../../support/runtime.js';
import { KAFKA_BROKERS, uniqueName } from '../../support/services.js';
import { readTopic } from '../connectors/support.js';

// A broker outage during a source batch: the produce is cut at the invocation's Kafka deadline, the run
// ends before its own deadline, and no source offset is committed for records Kafka never acknowledged.
// The outage: a producer whose every connection goes through a loopback proxy of ours (kafkajs's
// socketFactory), connected and idempotent, then the proxy closed: kafkajs retries its send for ever.
const dir = mkdtempSync(join(tmpdir(), 'sc-outage-'));
let rt: RuntimeFixture;
let proxy: Server;
const sockets = new Set<Socket>();
const [brokerHost, brokerPort] = KAFKA_BROKERS[0]!.split(':') as [string, string];

beforeAll(async () => {
  rt = await runtimeFixture({ safetyMarginMs: 2_000 });
  proxy = createServer((client) => {
    const upstream = connect(Number(brokerPort), brokerHost);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  proxy.close();
  for (const s of sockets) s.destroy();
  await rt.dispose();
});

/** The broker goes away: no new connection, and every open one dropped. */
function outage(): void {
  proxy.close();
  for (const s of sockets) s.destroy();
}

describe('a source batch during a broker outage', { timeout: 40_000 }, () => {
  it('ends before the invocation deadline, commits nothing, and a later run delivers every line', async () => {
    // Prepare
    const file = join(dir, 'in.txt');
    const lines = Array.from({ length: 20 }, (_, i) => `line-${i}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const topic = uniqueName('outage');
    const config = { 'connector.class': 'FileStreamSource', name: uniqueName('outage-src'), file, topic };
    await rt.admin.createTopics([{ topic, numPartitions: 1, replicationFactor: 1 }]);
    await rt.create({ name: config.name, config, type: 'source', taskConfigs: [config] });
    const proxyPort = (proxy.address() as { port: number }).port;
    const kafka = new kafkajs.Kafka({
      brokers: [`127.0.0.1:${proxyPort}`],
      logLevel: kafkajs.logLevel.NOTHING,
      socketFactory: ({ onConnect }) => connect(proxyPort, '127.0.0.1', onConnect),
    });
    const broken = new RecordProducer(kafka);
    await broken.send([{ topic, key: null, value: Buffer.from('"warm-up"'), headers: [] }]);
    outage();
    const send = rt.env.send;
    rt.env.send = (records) => broken.send(records);
    const deadline = Date.now() + 6_000;
    // Act
    const cut = await new TaskRunner(rt.env).run({ connector: config.name, task: 0 }, deadline);
    const endedAt = Date.now();
    rt.env.send = send;
    await broken.disconnect();
    const committed = await rt.env.store.offsets.get(config.name, [{ filename: file }]);
    const after = await new TaskRunner(rt.env).run({ connector: config.name, task: 0 }, Date.now() + 10_000);
    // Assess: cut before the deadline (the runner then had its margin to write status and release).
    expect(endedAt).toBeLessThan(deadline - 500);
    expect(cut.records).toBe(0);
    expect(committed).toEqual([null]);
    expect(after.outcome).toBe('ran');
    const values = (await readTopic(topic)).map((r) => JSON.parse(String(r.value)));
    expect(values.filter((v) => v !== 'warm-up').map((v) => v.payload)).toEqual(lines);
  });
});
