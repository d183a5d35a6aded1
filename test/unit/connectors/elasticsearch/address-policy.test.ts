import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetriableError, SinkRecord } from '../../../../lib/api/index.js';
import { ElasticsearchSinkTask } from '../../../../lib/connectors/elasticsearch/elasticsearch-sink-connector.js';
import type { SearchSinkConnector } from '../../../../lib/connectors/elasticsearch/sink-connector.js';
import type { SearchSinkTask } from '../../../../lib/connectors/elasticsearch/sink-task.js';
import { RefusedAddressError, type Resolver } from '../../../../lib/connectors/http/address-policy.js';
import { plugins } from '../../../../lib/plugins.js';
import { inertSinkContext } from '../../../support/sink-context.js';

// A loopback server stands in for the cluster and records every request: a refused address must
// leave it untouched. It answers what one put needs (version, index exists, bulk items created).
let server: Server;
let port = 0;
const received: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const json = (value: unknown) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (req.url?.startsWith('/_bulk')) {
        const count = body.split('\n').filter(Boolean).length / 2;
        json({ errors: false, items: Array.from({ length: count }, () => ({ index: { status: 201 } })) });
      } else if (req.method === 'HEAD') res.writeHead(200).end();
      else json({ version: { number: '2.19.0', distribution: 'opensearch' } });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** Starts the task and puts one record: undefined when indexed, else what start or put threw. */
async function send(task: SearchSinkTask, url: string, props: Record<string, string> = {}): Promise<unknown> {
  task.initialize(inertSinkContext());
  try {
    task.start({
      'connection.url': url,
      topics: 't',
      'key.ignore': 'true',
      'schema.ignore': 'true',
      'max.retries': '0',
      'retry.backoff.ms': '0',
      ...props,
    });
    await task.put([new SinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: 0, value: { a: 1 } })]);
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await task.stop();
  }
}

const registry = (httpAllowPrivateNetworks: boolean) =>
  plugins({ fileStream: false, fileStreamAllowedPaths: [], httpAllowPrivateNetworks });
const taskOf = (alias: string, allowPrivate: boolean) =>
  new ((registry(allowPrivate).newConnector(alias) as SearchSinkConnector).taskClass())();

const resolving =
  (address: string): Resolver =>
  (_host, _options, callback) =>
    callback(null, [{ address, family: 4 }]);

describe('the Elasticsearch and OpenSearch sinks under the deployment’s address policy', () => {
  it('refuses loopback, by IP and by name, when private networks are not allowed, without a request or a retry', async () => {
    // Prepare
    const before = received.length;
    // Act
    const byIp = await send(taskOf('ElasticsearchSink', false), `http://127.0.0.1:${port}`);
    const byName = await send(taskOf('ElasticsearchSink', false), `http://localhost:${port}`);
    const aiven = await send(taskOf('OpenSearchSink', false), `http://127.0.0.1:${port}`);
    // Assess
    expect(byIp).toBeInstanceOf(RefusedAddressError);
    expect(byIp).not.toBeInstanceOf(RetriableError);
    expect((byIp as Error).message).toBe(
      `The Elasticsearch sink may not connect to 127.0.0.1:${port}: loopback addresses are refused`,
    );
    expect(byName).toBeInstanceOf(RefusedAddressError);
    expect((byName as Error).message).toMatch(
      /^The Elasticsearch sink may not connect to localhost: it resolves to (127\.0\.0\.1|::1), and loopback addresses are refused$/,
    );
    expect((aiven as Error).message).toBe(
      `The OpenSearch sink may not connect to 127.0.0.1:${port}: loopback addresses are refused`,
    );
    expect(received.length).toBe(before);
  });

  it('refuses a name resolving to 127.0.0.1 at the socket’s lookup, and indexes on loopback in local mode', async () => {
    // Prepare
    const before = received.length;
    // Act
    const rebound = await send(
      new ElasticsearchSinkTask({ allowPrivateNetworks: false, resolve: resolving('127.0.0.1') }),
      `http://cluster.example.com:${port}`,
    );
    const refusedCount = received.length;
    const local = await send(taskOf('ElasticsearchSink', true), `http://127.0.0.1:${port}`);
    // Assess
    expect((rebound as Error).message).toBe(
      'The Elasticsearch sink may not connect to cluster.example.com: it resolves to 127.0.0.1, and loopback addresses are refused',
    );
    expect(refusedCount).toBe(before);
    expect(local).toBeUndefined();
    expect(received.slice(before)).toEqual(['GET /', 'HEAD /t', 'POST /_bulk']);
  });

  it('refuses link-local (instance metadata) under every policy, by IP, by name and as the proxy (by IP and by name)', async () => {
    // Act
    const results = [
      await send(taskOf('ElasticsearchSink', true), 'http://169.254.169.254'),
      await send(taskOf('OpenSearchSink', false), 'http://169.254.169.254'),
      await send(
        new ElasticsearchSinkTask({ allowPrivateNetworks: true, resolve: resolving('169.254.169.254') }),
        'http://metadata.attacker.example',
      ),
    ];
    const viaProxy = await send(taskOf('ElasticsearchSink', true), `http://127.0.0.1:${port}`, {
      'proxy.host': '169.254.169.254',
      'proxy.port': '3128',
    });
    const viaProxyName = await send(
      new ElasticsearchSinkTask({ allowPrivateNetworks: true, resolve: resolving('169.254.169.254') }),
      `http://127.0.0.1:${port}`,
      {
        'proxy.host': 'proxy.example',
        'proxy.port': '3128',
        'proxy.username': 'u',
        'proxy.password': 'pw-secret',
      },
    );
    // Assess
    expect(results.map((e) => (e as Error).message)).toEqual([
      'The Elasticsearch sink may not connect to 169.254.169.254: link-local (instance metadata) addresses are refused',
      'The OpenSearch sink may not connect to 169.254.169.254: link-local (instance metadata) addresses are refused',
      'The Elasticsearch sink may not connect to metadata.attacker.example: it resolves to 169.254.169.254, and link-local (instance metadata) addresses are refused',
    ]);
    expect((viaProxy as Error).message).toBe(
      'The Elasticsearch sink may not connect to 169.254.169.254:3128: link-local (instance metadata) addresses are refused',
    );
    expect((viaProxyName as Error).message).toBe(
      'The Elasticsearch sink may not connect to proxy.example: it resolves to 169.254.169.254, and link-local (instance metadata) addresses are refused',
    );
    expect((viaProxyName as Error).message).not.toContain('pw-secret');
  });
});
