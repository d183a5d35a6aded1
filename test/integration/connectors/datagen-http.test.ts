import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../support/services.js';
import { type ConnectFixture, connectFixture, readTopic } from './support.js';

let cf: ConnectFixture;
let server: Server;
let url = '';
const received: Record<string, unknown>[] = [];
const auth: string[] = [];
let calls = 0;

beforeAll(async () => {
  cf = await connectFixture('http');
  // Fails now and then: every third request 503 (with Retry-After), every fifth 429; rejects userid "bad".
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      calls++;
      auth.push(String(req.headers.authorization));
      if (calls % 3 === 0) return res.writeHead(503, { 'retry-after': '0' }).end('busy');
      if (calls % 5 === 0) return res.writeHead(429).end('slow down');
      const items = JSON.parse(body) as Record<string, unknown>[];
      if (items.some((i) => i.side === 'SHORT' && req.url === '/strict'))
        return res.writeHead(400).end('no shorts');
      received.push(...items);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await cf.dispose();
});

describe('Datagen → Kafka → HTTP sink through the REST API', () => {
  it('delivers every generated record once despite 503 and 429 answers', async () => {
    // Prepare
    const topic = uniqueName('orders');
    process.env.SC_TEST_HTTP_TOKEN = 's3cr3t';
    // Act
    await cf.create('datagen-orders', {
      'connector.class': 'io.confluent.kafka.connect.datagen.DatagenConnector',
      'kafka.topic': topic,
      quickstart: 'orders',
      'max.interval': '0',
      iterations: '250',
      'random.seed': '42',
      'tasks.max': '1',
    });
    await cf.create('http-orders', {
      'connector.class': 'HttpSink',
      topics: topic,
      'http.api.url': `${url}/orders`,
      'auth.type': 'BEARER',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a config provider placeholder
      'bearer.token': '${env:SC_TEST_HTTP_TOKEN}',
      'batch.max.size': '40',
      'retry.backoff.ms': '10',
      'tasks.max': '1',
    });
    await cf.until(() => received.length >= 250);
    for (let i = 0; i < 2; i++) await cf.tick();
    // Assess
    const ids = received.map((r) => r.orderid);
    expect(ids).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(received[0]).toMatchObject({
      orderid: 0,
      itemid: expect.stringMatching(/^BYOC_Item_/),
      address: { zipcode: expect.any(Number) },
    });
    expect(new Set(auth)).toEqual(new Set(['Bearer s3cr3t']));
    const keys = (await readTopic(topic)).map((r) => JSON.parse(String(r.key)).payload);
    expect(keys.slice(0, 3)).toEqual(['0', '1', '2']);
    const config = await cf.call('GET', '/connectors/http-orders/config');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a config provider placeholder
    expect(config.body['bearer.token']).toBe('${env:SC_TEST_HTTP_TOKEN}');
  });

  it('sends records the server rejects with a 4xx to the DLQ under errors.tolerance=all', async () => {
    // Prepare
    const topic = uniqueName('trades');
    const dlq = uniqueName('dlq');
    received.length = 0;
    // Act
    await cf.create('datagen-trades', {
      'connector.class': 'Datagen',
      'kafka.topic': topic,
      quickstart: 'stock_trades',
      'max.interval': '0',
      iterations: '60',
      'random.seed': '7',
    });
    await cf.create('http-trades', {
      'connector.class': 'serverless.connect.http.HttpSinkConnector',
      topics: topic,
      'http.api.url': `${url}/strict`,
      'batch.max.size': '10',
      'retry.backoff.ms': '10',
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': dlq,
      'errors.deadletterqueue.topic.replication.factor': '1',
    });
    let dead = 0;
    await cf.until(async () => {
      dead = (await readTopic(dlq).catch(() => [])).length;
      return received.length + dead >= 60 && dead > 0;
    }, 90_000);
    // Assess
    expect(received.every((r) => r.side !== 'SHORT')).toBe(true);
    expect(received.length + dead).toBe(60);
    const status = await cf.call('GET', '/connectors/http-trades/status');
    expect(status.body.tasks[0].state).toBe('RUNNING');
  });
});
