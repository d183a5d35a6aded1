import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../support/services.js';
import { type ControlFixture, controlFixture, sinkConfig } from './harness.js';

// Requests the REST fuzz (rest-fuzz.test.ts) found answered with a 500, pinned down one by one.
let fx: ControlFixture;
beforeAll(async () => {
  fx = await controlFixture('ctl-errors');
});
afterAll(() => fx.dispose());

describe('caller mistakes the fuzz found answered 500', () => {
  it('answers 400, not 500, to sink offsets naming a topic Kafka refuses (300 characters)', async () => {
    // Prepare
    const name = uniqueName('osink');
    await fx.call('POST', '/connectors', { name, config: sinkConfig(), initial_state: 'STOPPED' });
    // Act
    const reply = await fx.call('PATCH', `/connectors/${name}/offsets`, {
      offsets: [
        { partition: { kafka_topic: 'a'.repeat(300), kafka_partition: 0 }, offset: { kafka_offset: 1 } },
      ],
    });
    // Assess
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({
      error_code: 400,
      message: 'set group offsets failed: The request attempted to perform an operation on an invalid topic',
    });
  });

  it('answers 400, not 500, to sink offsets naming a partition that does not exist', async () => {
    // Prepare
    const name = uniqueName('osink');
    await fx.call('POST', '/connectors', { name, config: sinkConfig(), initial_state: 'STOPPED' });
    // Act
    const reply = await fx.call('PATCH', `/connectors/${name}/offsets`, {
      offsets: [
        {
          partition: { kafka_topic: uniqueName('no-such-topic'), kafka_partition: 2 },
          offset: { kafka_offset: 361 },
        },
      ],
    });
    // Assess
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({
      error_code: 400,
      message: 'set group offsets failed: This server does not host this topic-partition',
    });
  });
});
