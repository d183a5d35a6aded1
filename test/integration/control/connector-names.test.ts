import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../support/services.js';
import { type ControlFixture, controlFixture, sourceConfig } from './harness.js';

let fx: ControlFixture;
beforeAll(async () => {
  fx = await controlFixture('ctl-names');
});
afterAll(() => fx.dispose());

describe('connector names every store accepts', () => {
  it('answers 400 in Kafka’s error shape, not DynamoDB’s 500, for a 3000-character name on POST', async () => {
    // Prepare
    const name = 'n'.repeat(3000);
    // Act
    const reply = await fx.call('POST', '/connectors', { name, config: sourceConfig() });
    // Assess
    expect(reply.status).toBe(400);
    expect(reply.body.error_code).toBe(400);
    expect(reply.body.message).toMatch(/configuration name: .*at most 192 characters/);
  });

  it('answers 400 for a 3000-character name on PUT /connectors/{name}/config', async () => {
    // Act
    const reply = await fx.call('PUT', `/connectors/${'p'.repeat(3000)}/config`, sourceConfig());
    // Assess
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/at most 192 characters/);
  });

  it('answers 404, not 500, for reads and deletes of a name no store can hold', async () => {
    for (const [method, path] of [
      ['GET', `/connectors/${'g'.repeat(3000)}`],
      ['GET', `/connectors/${'g'.repeat(3000)}/status`],
      ['DELETE', `/connectors/${'g'.repeat(3000)}`],
      ['GET', '/connectors//status'],
      ['PUT', '/connectors//pause'],
    ] as const) {
      // Act
      const reply = await fx.call(method, path);
      // Assess
      expect({ method, status: reply.status }).toEqual({ method, status: 404 });
      expect(reply.body.error_code).toBe(404);
    }
  });

  it('takes a name of 192 characters and refuses 193, and refuses "/", ".." and invisible format characters', async () => {
    // Prepare
    const ok = uniqueName('x').padEnd(192, 'x');
    // Act
    const created = await fx.call('POST', '/connectors', { name: ok, config: sourceConfig() });
    const tooLong = await fx.call('POST', '/connectors', { name: `${ok}y`, config: sourceConfig() });
    const slash = await fx.call('POST', '/connectors', { name: 'a/b', config: sourceConfig() });
    const dots = await fx.call('POST', '/connectors', { name: '..', config: sourceConfig() });
    const bidi = await fx.call('POST', '/connectors', { name: 'abc\u202Edef', config: sourceConfig() });
    // Assess
    expect(created.status).toBe(201);
    expect([tooLong.status, slash.status, dots.status, bidi.status]).toEqual([400, 400, 400, 400]);
    expect(slash.body.message).toMatch(/configuration name: .*'\/'/);
    expect((await fx.call('DELETE', `/connectors/${ok}`)).status).toBe(204);
  });

  it('keeps Kafka’s own messages for an empty name and a name with control characters', async () => {
    // Act
    const empty = await fx.call('POST', '/connectors', { name: '  ', config: sourceConfig() });
    const control = await fx.call('POST', '/connectors', { name: 'a\u0085b', config: sourceConfig() });
    // Assess
    expect(empty.status).toBe(400);
    expect(empty.body.message).toContain('Invalid value  for configuration name: String may not be empty');
    expect(control.status).toBe(400);
    expect(control.body.message).toContain(
      'String may not contain control sequences but had the following ASCII chars: 133',
    );
  });
});
