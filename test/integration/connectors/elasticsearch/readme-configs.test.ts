import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../../support/services.js';
import { type ConnectFixture, connectFixture } from '../support.js';
import { documents, enveloped, topicWith } from './support.js';

// The two example configs of lib/connectors/elasticsearch/README.md, as written there, on fresh topics.
const readme = readFileSync(
  new URL('../../../../lib/connectors/elasticsearch/README.md', import.meta.url),
  'utf8',
);
const examples = [...readme.matchAll(/```json\n([\s\S]*?)```/g)]
  .map((m) => JSON.parse(m[1] ?? '') as { name?: string; config: Record<string, string> })
  .filter((e) => e.name !== undefined);

let cf: ConnectFixture;
beforeAll(async () => {
  cf = await connectFixture('es-readme');
});
afterAll(async () => {
  await cf.dispose();
});

const SCHEMA = { type: 'struct', optional: false, fields: [{ field: 'n', type: 'int32', optional: false }] };

describe('the README’s configs', () => {
  it('are the two examples, one per connector class', () => {
    expect(examples.map((e) => e.config['connector.class'])).toEqual([
      'io.confluent.connect.elasticsearch.ElasticsearchSinkConnector',
      'io.aiven.kafka.connect.opensearch.OpensearchSinkConnector',
    ]);
  });

  it('run against the dev stack as written', async () => {
    // Prepare
    const [confluent, aiven] = examples as [(typeof examples)[0], (typeof examples)[0]];
    const orders = await topicWith('orders', [{ key: 'o1', value: enveloped(SCHEMA, { n: 1 }) }]);
    const clicks = await topicWith('clicks', [
      { key: 'c1', value: { page: '/' } },
      { key: 'c1', value: { user: 'u' } },
    ]);
    // Act
    await cf.create(uniqueName('orders-to-search'), {
      ...confluent.config,
      topics: orders,
      'errors.deadletterqueue.topic.name': `${orders}-dlq`,
    });
    await cf.create(uniqueName('clicks-to-opensearch'), { ...aiven.config, topics: clicks });
    await cf.until(async () => {
      const [o, c] = await Promise.all([
        documents(orders).catch(() => null),
        documents(clicks).catch(() => null),
      ]);
      return o?.size === 1 && c?.get('c1')?.source.user === 'u';
    });
    // Assess
    expect((await documents(orders)).get('o1')?.source).toEqual({ n: 1 });
    expect((await documents(clicks)).get('c1')?.source).toEqual({ page: '/', user: 'u' });
  });
});
