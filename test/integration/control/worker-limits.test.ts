import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerLimits } from '../../../lib/config/worker-properties.js';
import { uniqueName } from '../../support/services.js';
import { type ControlFixture, controlFixture, sinkConfig, sourceConfig } from './harness.js';

let byDefault: ControlFixture;
let strict: ControlFixture;
beforeAll(async () => {
  byDefault = await controlFixture('ctl-limits');
  strict = await controlFixture('ctl-limits-strict', {
    limits: workerLimits({
      'connector.client.config.override.policy': 'Principal',
      'tasks.max.limit': '4',
      'consumer.group.id.allowed.prefixes': 'team-a-',
    }),
  });
});
afterAll(async () => {
  await byDefault.dispose();
  await strict.dispose();
});

const INVALID = /^Connector configuration is invalid and contains the following 1 error\(s\):\n/;

describe('the worker’s limits on create and update', () => {
  it('refuses tasks.max above the default ceiling of 64 on POST, PUT and PATCH with Kafka’s validation 400', async () => {
    // Prepare
    const name = uniqueName('tm');
    await byDefault.call('POST', '/connectors', { name, config: sinkConfig({ 'tasks.max': '64' }) });
    // Act
    const post = await byDefault.call('POST', '/connectors', {
      name: uniqueName('tm'),
      config: sinkConfig({ 'tasks.max': '1000000' }),
    });
    const put = await byDefault.call('PUT', `/connectors/${name}/config`, sinkConfig({ 'tasks.max': 65 }));
    const patch = await byDefault.call('PATCH', `/connectors/${name}/config`, { 'tasks.max': '65' });
    // Assess
    expect(post.status).toBe(400);
    expect(post.body).toEqual({
      error_code: 400,
      message: expect.stringMatching(INVALID),
    });
    expect(post.body.message).toContain(
      "Invalid value 1000000 for configuration tasks.max: must be at most 64 (the worker's tasks.max.limit)",
    );
    expect([put.status, patch.status]).toEqual([400, 400]);
    expect((await byDefault.call('GET', `/connectors/${name}/config`)).body['tasks.max']).toBe('64');
  });

  it('honours a deployment’s tasks.max.limit', async () => {
    // Act
    const reply = await strict.call('POST', '/connectors', {
      name: uniqueName('tm'),
      config: sinkConfig({ 'tasks.max': '5' }),
    });
    // Assess
    expect(reply.status).toBe(400);
    expect(reply.body.message).toContain('must be at most 4');
  });

  it('refuses client overrides the Principal policy forbids, per key, and takes the ones it allows', async () => {
    // Act
    const refused = await strict.call('POST', '/connectors', {
      name: uniqueName('ov'),
      config: sourceConfig({ 'producer.override.bootstrap.servers': 'evil:9092' }),
    });
    const allowed = await strict.call('POST', '/connectors', {
      name: uniqueName('ov'),
      config: sourceConfig({ 'producer.override.security.protocol': 'SASL_SSL' }),
    });
    // Assess
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(INVALID);
    expect(refused.body.message).toContain(
      "The 'Principal' policy does not allow 'bootstrap.servers' to be overridden in the connector configuration.",
    );
    expect(allowed.status).toBe(201);
  });

  it('refuses a consumer group outside the allowed prefixes, and accepts connect- and the deployment’s own', async () => {
    // Prepare
    const all = await controlFixture('ctl-limits-group', {
      limits: workerLimits({ 'consumer.group.id.allowed.prefixes': 'team-a-' }),
    });
    try {
      // Act
      const other = await all.call('POST', '/connectors', {
        name: uniqueName('grp'),
        config: sinkConfig({ 'consumer.override.group.id': 'someone-elses-group' }),
      });
      const ours = await all.call('POST', '/connectors', {
        name: uniqueName('grp'),
        config: sinkConfig({ 'consumer.override.group.id': 'team-a-orders' }),
      });
      const connect = await all.call('POST', '/connectors', {
        name: uniqueName('grp'),
        config: sinkConfig({ 'consumer.override.group.id': 'connect-x' }),
      });
      // Assess
      expect(other.status).toBe(400);
      expect(other.body.message).toContain(
        'Invalid value someone-elses-group for configuration consumer.override.group.id: must start with one of connect-, team-a-',
      );
      expect([ours.status, connect.status]).toEqual([201, 201]);
    } finally {
      await all.dispose();
    }
  });
});
