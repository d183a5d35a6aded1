import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventSourceMappingGroupIdProblem } from '../../../lib/config/connector-name.js';
import { uniqueName } from '../../support/services.js';
import { type ControlFixture, controlFixture } from './harness.js';

// On AWS a single-topic sink is fed by an event source mapping in its consumer group, and Lambda takes
// only [a-zA-Z0-9-/*:_+=.@] there. Such a sink is refused before its config is stored, instead of being
// stored and never run.
let fx: ControlFixture;
beforeAll(async () => {
  fx = await controlFixture('ctl-esm-groups', { groupIdProblem: eventSourceMappingGroupIdProblem });
});
afterAll(() => fx.dispose());

const sink = (extra: Record<string, string> = {}) => ({
  'connector.class': 'FileStreamSink',
  topics: 'orders',
  file: '/tmp/esm-groups.txt',
  ...extra,
});

describe('sink consumer groups an event source mapping can use', () => {
  it('refuses a mapped sink whose connect-<name> group Lambda would not take, naming the group', async () => {
    const reply = await fx.call('POST', '/connectors', {
      name: `orders sink ${uniqueName('x')}`,
      config: sink(),
    });

    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(
      /A Lambda event source mapping's consumer group id .* but this one is 'connect-orders sink /,
    );
    expect(fx.sinkCalls).toEqual([]);
  });

  it('refuses a consumer.override.group.id Lambda would not take', async () => {
    const reply = await fx.call('POST', '/connectors', {
      name: uniqueName('orders'),
      config: sink({ 'consumer.override.group.id': 'connect-orders sink' }),
    });

    expect(reply.status).toBe(400);
    expect(reply.body.message).toContain("but this one is 'connect-orders sink'");
  });

  it('takes such a name for a source and for a topics.regex sink, which no mapping feeds', async () => {
    const source = await fx.call('POST', '/connectors', {
      name: `orders source ${uniqueName('x')}`,
      config: { 'connector.class': 'FileStreamSource', topic: 'orders', file: '/tmp/esm-groups-in.txt' },
    });
    const regex = await fx.call('POST', '/connectors', {
      name: `orders regex ${uniqueName('x')}`,
      config: {
        'connector.class': 'FileStreamSink',
        'topics.regex': 'orders.*',
        file: '/tmp/esm-groups.txt',
      },
    });

    expect(source.status).toBe(201);
    expect(regex.status).toBe(201);
  });
});
