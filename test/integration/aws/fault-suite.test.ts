import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prng } from '../../../local/aws/async-queue.js';
import { uniqueName } from '../../support/services.js';
import { type AwsFixture, awsFixture } from './local-aws-fixture.js';
import { type PrivateStack, startPrivateStack } from './private-stack.js';

// Faults injected into a running deployment under the simulator, on a dev stack of this file's own (so
// Kafka and DynamoDB Local can be restarted without disturbing the other files). Each case runs a
// pipeline — FileStream source → Kafka → a mapping-fed FileStream sink and a polled one (topics.regex) —
// or Datagen → an HTTP sink, injects its fault while records move, and then requires: nothing lost,
// duplicates at most one batch per task per fault, every task RUNNING. Random points come from a seeded
// PRNG (SC_FAULT_SEED to replay); the figures are printed at the end.
const SEED = Number(process.env.SC_FAULT_SEED ?? Date.now() % 1_000_000);
const LINES = 20_000;
/** The runtime's bounded batch (BATCH_MAX_RECORDS default): the most one fault may replay per task. */
const BATCH = 10_000;
/**
 * A line reaches a sink's file through two tasks — the source's and the sink's — and a fault may make
 * each replay a batch, so a file may hold one batch per task per fault twice over: 2 × BATCH.
 */
const PER_FAULT = 2 * BATCH;
let random = prng(SEED);
let stack: PrivateStack;
let f: AwsFixture;
let http: Server;
let httpUrl = '';
let httpDown = false;
const posted: number[] = [];
const figures: Record<string, unknown>[] = [];

beforeAll(async () => {
  console.log(`fault suite: seed ${SEED} (SC_FAULT_SEED=${SEED} replays it)`);
  stack = await startPrivateStack();
  f = await awsFixture('faults', {
    brokers: stack.brokers,
    dynamodbEndpoint: stack.dynamodbEndpoint,
    simulator: {
      restart: { kafka: () => stack.restart('kafka'), dynamodb: () => stack.restart('dynamodb') },
      lambda: { async: { backoffMs: { initial: 200, max: 2_000 } } },
    },
  });
  http = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (httpDown) return res.writeHead(503, { 'retry-after': '1' }).end('down');
      posted.push(...(JSON.parse(body) as { orderid: number }[]).map((o) => o.orderid));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}, 300_000);

afterAll(async () => {
  console.table(figures);
  await f?.dispose();
  await new Promise((r) => http?.close(r));
  await stack?.stop();
}, 120_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const between = (lo: number, hi: number) => Math.round(lo + random() * (hi - lo));
const lines = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

interface Pipeline {
  expected: string[];
  outputs: string[];
  connectors: string[];
}

/** FileStream source → topic → one mapped sink and one polled sink; nothing waited for yet. */
async function startPipeline(tag: string): Promise<Pipeline> {
  const topic = uniqueName(`fault-${tag}`);
  const input = join(f.dir, `${topic}.txt`);
  const expected = Array.from({ length: LINES }, (_, i) => `${tag} ${i}`);
  writeFileSync(input, `${expected.join('\n')}\n`);
  const mapped = join(f.dir, `${topic}-mapped.txt`);
  const polled = join(f.dir, `${topic}-polled.txt`);
  const names = [uniqueName(`${tag}-src`), uniqueName(`${tag}-mapped`), uniqueName(`${tag}-polled`)];
  await f.create(names[0] as string, { 'connector.class': 'FileStreamSource', file: input, topic });
  await f.create(names[1] as string, {
    'connector.class': 'FileStreamSink',
    file: mapped,
    topics: topic,
    // Batches of Kafka Connect's 500 (the mapping's default is 10,000): enough invocations to be killed
    // mid-way; the faults would otherwise find the sink idle.
    'consumer.override.max.poll.records': '500',
  });
  await f.create(names[2] as string, {
    'connector.class': 'FileStreamSink',
    file: polled,
    'topics.regex': `^${topic}$`,
    // A frozen container's consumer is noticed within seconds, not Kafka's default 45 s.
    'consumer.override.session.timeout.ms': '6000',
    'consumer.override.heartbeat.interval.ms': '1000',
  });
  return { expected, outputs: [mapped, polled], connectors: names };
}

/** Waits for every line in every output; checks loss, duplicates and task states; records the figures. */
async function settle(fault: string, p: Pipeline, faults: number, started: number): Promise<void> {
  try {
    await f.until(
      () => p.outputs.every((o) => new Set(lines(o)).size >= p.expected.length),
      150_000,
      `every line after ${fault}`,
    );
  } catch (error) {
    const states = await Promise.all(
      p.connectors.map(async (c) => {
        const { body } = await f.call('GET', `/connectors/${c}/status`);
        return `${c}: ${JSON.stringify(body?.tasks?.map((t: { state: string; trace?: string }) => [t.state, t.trace?.slice(0, 300)]))}`;
      }),
    );
    const counts = p.outputs.map((o) => `${o}: ${new Set(lines(o)).size}/${p.expected.length}`);
    throw new Error(`${(error as Error).message}\n${counts.join('\n')}\n${states.join('\n')}`);
  }
  const row: Record<string, unknown> = {
    fault,
    seed: SEED,
    seconds: ((Date.now() - started) / 1000).toFixed(1),
  };
  for (const [i, output] of p.outputs.entries()) {
    const got = lines(output);
    const unique = new Set(got);
    row[`lost${i}`] = p.expected.filter((l) => !unique.has(l)).length;
    row[`dup${i}`] = got.length - unique.size;
    expect(row[`lost${i}`], `${fault}: lines lost in ${output}`).toBe(0);
    expect(got.length - unique.size, `${fault}: duplicates`).toBeLessThanOrEqual(faults * PER_FAULT);
  }
  await expectRunning(p.connectors);
  figures.push(row);
  // Done with: the next case's dispatcher ticks need not run these.
  for (const c of p.connectors) await f.call('DELETE', `/connectors/${c}`);
}

async function expectRunning(connectors: string[]): Promise<void> {
  await f.until(
    async () => {
      for (const c of connectors) {
        const { body } = await f.call('GET', `/connectors/${c}/status`);
        if (!body?.tasks?.length || body.tasks.some((t: { state: string }) => t.state !== 'RUNNING'))
          return false;
      }
      return true;
    },
    60_000,
    'every task RUNNING',
  );
}

/** Runs `inject` once the pipeline's source has started moving records. */
async function during(p: Pipeline, inject: () => Promise<void>): Promise<void> {
  await f.until(() => p.outputs.some((o) => lines(o).length > 0), 60_000, 'records to start moving');
  await inject();
}

const busyKill = async (prefix: string) => {
  const pool = f.pool(prefix);
  for (let i = 0; i < 40; i++) {
    const busy = pool.stats().environments.find((e) => e.state === 'busy');
    if (busy) return pool.kill(busy.id);
    await sleep(50);
  }
  return false;
};

describe('faults injected into a running deployment', { timeout: 240_000 }, () => {
  it('task runner killed mid-batch at random points', async () => {
    random = prng(SEED + 1);
    const p = await startPipeline('kill');
    const started = Date.now();
    let kills = 0;
    await during(p, async () => {
      for (let i = 0; i < 3; i++) {
        await sleep(between(100, 1_500));
        if (await busyKill('TasksTaskRunner')) kills++;
      }
    });
    await settle(`kill task runner ×${kills}`, p, Math.max(kills, 1), started);
  });

  it('sink function killed mid-invocation at random points', async () => {
    random = prng(SEED + 2);
    const p = await startPipeline('sinkkill');
    const started = Date.now();
    let kills = 0;
    await during(p, async () => {
      for (let i = 0; i < 3; i++) {
        await sleep(between(50, 800));
        if (await busyKill('TasksSink')) kills++;
      }
    });
    await settle(`kill sink ×${kills}`, p, Math.max(kills, 1), started);
  });

  it('Lambda timeout mid-batch, and async invocations delivered twice', async () => {
    random = prng(SEED + 3);
    const p = await startPipeline('timeout');
    const started = Date.now();
    f.pool('TasksTaskRunner').timeoutNext(2, between(300, 2_000));
    f.aws.simulator.lambda.duplicateNext(10);
    await settle('timeout ×2 + duplicates ×10', p, 12, started);
  });

  it('task runner frozen longer than the consumer session timeout', async () => {
    const p = await startPipeline('freeze');
    const started = Date.now();
    await during(p, async () => {
      const pool = f.pool('TasksTaskRunner');
      for (const env of pool.stats().environments) pool.freezeFor(env.id, 10_000);
    });
    await settle('freeze 10 s', p, 1, started);
  });

  it('Kafka restarted while records move', async () => {
    const p = await startPipeline('kafka');
    const started = Date.now();
    await during(p, () => stack.restart('kafka'));
    await settle('restart Kafka', p, 1, started);
  });

  it('DynamoDB Local restarted while records move', async () => {
    const p = await startPipeline('dynamodb');
    const started = Date.now();
    await during(p, () => stack.restart('dynamodb'));
    await settle('restart DynamoDB Local', p, 1, started);
  });

  it('an HTTP sink whose target is down for several batch budgets', async () => {
    const topic = uniqueName('fault-http');
    const sink = uniqueName('down-sink');
    const started = Date.now();
    posted.length = 0;
    httpDown = true;
    await f.create(uniqueName('down-datagen'), {
      'connector.class': 'io.confluent.kafka.connect.datagen.DatagenConnector',
      'kafka.topic': topic,
      quickstart: 'orders',
      'max.interval': '0',
      iterations: '300',
      'tasks.max': '1',
    });
    await f.create(sink, {
      'connector.class': 'HttpSink',
      topics: topic,
      'http.api.url': `${httpUrl}/orders`,
      'batch.max.size': '50',
      'retry.backoff.ms': '200',
      'tasks.max': '1',
    });
    await sleep(25_000);
    httpDown = false;
    await f.until(() => new Set(posted).size >= 300, 120_000, 'every order after the target came back');
    const unique = new Set(posted);
    expect([...unique].sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    await expectRunning([sink]);
    figures.push({
      fault: 'HTTP target down 25 s',
      seed: SEED,
      seconds: ((Date.now() - started) / 1000).toFixed(1),
      lost0: 0,
      dup0: posted.length - unique.size,
    });
  });
});
