import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, describe, expect, it } from 'vitest';
import { OPENSEARCH_URL, uniqueName } from '../../support/services.js';

// The dev stack's OpenSearch (local/stack/opensearch.ts), through the official client the sink will use.
const client = new Client({ node: OPENSEARCH_URL });

afterAll(async () => {
  await client.close();
});

describe('the dev stack’s OpenSearch', () => {
  it('answers as OpenSearch 2.19.6, without plugins (no security plugin: plain HTTP, no credentials)', async () => {
    // Act
    const info = await client.info();
    const plugins = await client.cat.plugins({ format: 'json' });
    const health = await client.cluster.health({ wait_for_status: 'yellow', timeout: '10s' });
    // Assess
    expect(info.body.version).toMatchObject({ distribution: 'opensearch', number: '2.19.6' });
    expect(plugins.body).toEqual([]);
    expect(health.body.timed_out).toBe(false);
    expect(health.body.number_of_nodes).toBe(1);
  });

  it('creates an index with a mapping, bulk-indexes 1 000 documents and finds them by search', async () => {
    // Prepare
    const index = uniqueName('sc-os');
    const docs = Array.from({ length: 1_000 }, (_, i) => ({
      id: i,
      name: `record-${i}`,
      at: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
    }));
    try {
      // Act
      await client.indices.create({
        index,
        body: {
          settings: { number_of_shards: 1, number_of_replicas: 0 },
          mappings: {
            dynamic: 'strict',
            properties: { id: { type: 'integer' }, name: { type: 'keyword' }, at: { type: 'date' } },
          },
        },
      });
      const bulk = await client.bulk({
        refresh: true,
        body: docs.flatMap((doc) => [{ index: { _index: index, _id: String(doc.id) } }, doc]),
      });
      const count = await client.count({ index });
      const byName = await client.search({ index, body: { query: { term: { name: 'record-421' } } } });
      const firstHundred = await client.count({ index, body: { query: { range: { id: { lt: 100 } } } } });
      const rejected = await client
        .index({ index, body: { id: 1, unmapped: true } })
        .then(() => undefined)
        .catch((error: { meta?: { statusCode?: number } }) => error.meta?.statusCode);
      const mapping = await client.indices.getMapping({ index });
      // Assess
      expect(bulk.body.errors).toBe(false);
      expect(bulk.body.items).toHaveLength(1_000);
      expect(count.body.count).toBe(1_000);
      expect(byName.body.hits.hits.map((hit) => hit._source)).toEqual([docs[421]]);
      expect(firstHundred.body.count).toBe(100);
      // The strict mapping holds: a field it does not name is refused.
      expect(rejected).toBe(400);
      expect(mapping.body[index]?.mappings.properties).toEqual({
        id: { type: 'integer' },
        name: { type: 'keyword' },
        at: { type: 'date' },
      });
    } finally {
      await client.indices.delete({ index, ignore_unavailable: true });
    }
  });

  it('listens on 127.0.0.1 only, HTTP and transport', async () => {
    // Prepare
    const outside = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && !a.internal && !a.address.startsWith('fe80:'))
      .map((a) => a?.address as string);
    // Act
    const nodes = await client.nodes.info({ node_id: '_local', metric: ['http', 'transport'] });
    const [node] = Object.values(nodes.body.nodes);
    const bound = [...(node?.http?.bound_address ?? []), ...(node?.transport?.bound_address ?? [])];
    const ports = bound.map((address) => Number(address.slice(address.lastIndexOf(':') + 1)));
    const fromOutside: string[] = [];
    for (const address of outside)
      for (const port of ports) if (await accepts(address, port)) fromOutside.push(`${address}:${port}`);
    // Assess
    expect(bound).toHaveLength(2);
    for (const address of bound) expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await accepts('127.0.0.1', ports[0] ?? 0)).toBe(true);
    expect(fromOutside).toEqual([]);
  });
});

/** True when a TCP connection to address:port is accepted. */
function accepts(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port, timeout: 2_000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}
