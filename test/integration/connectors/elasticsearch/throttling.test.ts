import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENSEARCH_URL } from '../../../support/services.js';
import { type ConnectFixture, connectFixture } from '../support.js';
import { committed, documents, jsonValues, taskState, topicWith } from './support.js';

// Our test double for a cluster that throttles: a loopback proxy in front of the real OpenSearch that
// answers the first `reject` bulk requests 429, as a cluster whose write queue is full does, and
// forwards everything else.
let server: Server;
let proxyUrl = '';
let reject = 0;
const bulks: number[] = [];
beforeAll(async () => {
  const target = new URL(OPENSEARCH_URL);
  server = createServer((req, res) => {
    const isBulk = req.method === 'POST' && req.url?.startsWith('/_bulk');
    if (isBulk && reject > 0) {
      reject--;
      bulks.push(429);
      req.resume();
      res.writeHead(429, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          error: {
            type: 'es_rejected_execution_exception',
            reason: 'rejected execution (queue capacity 200)',
          },
          status: 429,
        }),
      );
      return;
    }
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        if (isBulk) bulks.push(answer.statusCode ?? 0);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  proxyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

let cf: ConnectFixture;
beforeAll(async () => {
  cf = await connectFixture('es-throttle');
});
afterAll(async () => {
  await cf.dispose();
  await new Promise((r) => server.close(r));
});

const messages = Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: { i } }));
const sink = (topic: string, retries: number) => ({
  'connector.class': 'ElasticsearchSink',
  topics: topic,
  'connection.url': proxyUrl,
  'schema.ignore': 'true',
  'batch.size': '10',
  'max.in.flight.requests': '1',
  'max.retries': String(retries),
  'retry.backoff.ms': '20',
  ...jsonValues(false),
});

describe('a cluster that answers 429', () => {
  it('is retried with backoff within max.retries, and every record is indexed once', async () => {
    // Prepare
    const topic = await topicWith('es-429', messages);
    bulks.length = 0;
    reject = 3;
    // Act
    await cf.create(topic, sink(topic, 5));
    await cf.until(async () => (await committed(cf, topic, topic))[0] === 30);
    // Assess
    expect(bulks).toEqual([429, 429, 429, 200, 200, 200]);
    const docs = await documents(topic);
    expect(docs.size).toBe(30);
    expect([...docs.values()].every((d) => d.version === Number(d.source.i))).toBe(true);
  });

  it('past max.retries ends the batch as retriable: the task stays RUNNING and the batch is written later', async () => {
    // Prepare
    const topic = await topicWith('es-429-long', messages);
    bulks.length = 0;
    reject = 7;
    // Act
    await cf.create(topic, sink(topic, 1));
    await cf.until(async () => (await committed(cf, topic, topic))[0] === 30);
    // Assess
    expect(bulks.filter((s) => s === 429)).toHaveLength(7);
    expect(bulks.filter((s) => s === 200)).toHaveLength(3);
    expect((await taskState(cf, topic)).state).toBe('RUNNING');
    expect((await documents(topic)).size).toBe(30);
  });
});
