import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../support/services.js';
import { type ControlFixture, controlFixture, sinkConfig, sourceConfig } from './harness.js';

// biome-ignore lint/suspicious/noTemplateCurlyInString: a config provider placeholder, stored unresolved
const PLACEHOLDER = '${env:CONTROL_TEST_SECRET}';

let fx: ControlFixture;
beforeAll(async () => {
  fx = await controlFixture('ctl-conn');
});
afterAll(() => fx.dispose());

describe('POST /connectors', () => {
  it('creates a connector: 201, Location, ConnectorInfo with name added, numbers as strings, lowercase type', async () => {
    // Prepare
    const name = uniqueName('src');
    // Act
    const reply = await fx.call('POST', '/connectors', { name, config: sourceConfig({ 'tasks.max': 1 }) });
    // Assess
    expect(reply.status).toBe(201);
    expect(reply.headers.get('location')).toBe(`/connectors/${name}`);
    expect(reply.body).toEqual({
      name,
      config: { ...sourceConfig(), 'tasks.max': '1', name },
      tasks: [{ connector: name, task: 0 }],
      type: 'source',
    });
  });

  it('writes statuses at create (connector RUNNING, tasks UNASSIGNED), so status never 404s for a connector that exists', async () => {
    // Prepare
    const name = uniqueName('src');
    await fx.call('POST', '/connectors', { name, config: sourceConfig() });
    // Act
    const reply = await fx.call('GET', `/connectors/${name}/status`);
    // Assess
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      name,
      connector: { state: 'RUNNING', worker_id: '127.0.0.1:8083' },
      tasks: [{ id: 0, state: 'UNASSIGNED', worker_id: '127.0.0.1:8083' }],
      type: 'source',
    });
  });

  it('answers 409 "Connector <name> already exists" for a taken name', async () => {
    // Prepare
    const name = uniqueName('src');
    await fx.call('POST', '/connectors', { name, config: sourceConfig() });
    // Act
    const reply = await fx.call('POST', '/connectors', { name, config: sourceConfig({ topic: 'other' }) });
    // Assess
    expect(reply.status).toBe(409);
    expect(reply.body).toEqual({ error_code: 409, message: `Connector ${name} already exists` });
    expect((await fx.call('GET', `/connectors/${name}/config`)).body.topic).toBe('control-test');
  });

  it('gives exactly one 201 and one 409 for two simultaneous creates of one name', async () => {
    // Prepare
    const name = uniqueName('race');
    // Act
    const replies = await Promise.all([
      fx.call('POST', '/connectors', { name, config: sourceConfig({ topic: 'a' }) }),
      fx.call('POST', '/connectors', { name, config: sourceConfig({ topic: 'b' }) }),
    ]);
    // Assess
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it('trims the name and answers 400 when config.name differs from it', async () => {
    // Prepare
    const name = uniqueName('src');
    // Act
    const reply = await fx.call('POST', '/connectors', {
      name: ` ${name} `,
      config: sourceConfig({ name: 'other' }),
    });
    // Assess
    expect(reply.status).toBe(400);
    expect(reply.body.message).toBe(
      `Connector name configuration (other) doesn't match connector name in the URL (${name})`,
    );
  });

  it('answers 400 with Kafka\'s "configuration is invalid" message and writes nothing', async () => {
    // Prepare
    const name = uniqueName('bad');
    // Act
    const reply = await fx.call('POST', '/connectors', {
      name,
      config: { 'connector.class': 'FileStreamSource', 'tasks.max': '0' },
    });
    // Assess
    expect(reply.status).toBe(400);
    expect(reply.body.message).toBe(
      'Connector configuration is invalid and contains the following 2 error(s):\n' +
        'Invalid value 0 for configuration tasks.max: Value must be at least 1\n' +
        'Missing required configuration "topic" which has no default value.\n' +
        'You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`',
    );
    expect((await fx.call('GET', `/connectors/${name}`)).status).toBe(404);
  });

  it('rejects an empty name and a name with control characters with 400', async () => {
    // Act
    const empty = await fx.call('POST', '/connectors', { config: sourceConfig() });
    const control = await fx.call('POST', '/connectors', { name: 'a\u0007b', config: sourceConfig() });
    // Assess
    expect(empty.status).toBe(400);
    expect(empty.body.message).toContain('Invalid value  for configuration name: String may not be empty');
    expect(control.status).toBe(400);
    expect(control.body.message).toContain(
      'String may not contain control sequences but had the following ASCII chars: 7',
    );
  });

  it('answers 400 for an unknown connector class with Kafka\'s "Failed to find any class" message', async () => {
    // Act
    const reply = await fx.call('POST', '/connectors', {
      name: uniqueName('x'),
      config: { 'connector.class': 'Nope' },
    });
    // Assess
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(
      /^Failed to find any class that implements Connector and which name matches Nope/,
    );
  });

  it('answers 400 for a nested object value, an invalid initial_state and a missing connector.class', async () => {
    // Act
    const nested = await fx.call('POST', '/connectors', { name: uniqueName('x'), config: { a: { b: 1 } } });
    const state = await fx.call('POST', '/connectors', {
      name: uniqueName('x'),
      config: sourceConfig(),
      initial_state: 'SLEEPING',
    });
    const noClass = await fx.call('POST', '/connectors', { name: 'n', config: { topic: 't' } });
    // Assess
    expect(nested.status).toBe(400);
    expect(state.status).toBe(400);
    expect(noClass.status).toBe(400);
    expect(noClass.body.message).toBe('Connector config {topic=t, name=n} contains no connector type');
  });

  it('answers malformed JSON with 400, a non-JSON content type with 415 and a body over 1 MiB with 413', async () => {
    // Act
    const malformed = await fx.call('POST', '/connectors', '{"name": ');
    const form = await fx.call('POST', '/connectors', 'name=x', {
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    const huge = await fx.call('POST', '/connectors', {
      name: 'h',
      config: { big: 'x'.repeat(1024 * 1024) },
    });
    // Assess
    expect(malformed.status).toBe(400);
    expect(malformed.body.error_code).toBe(400);
    expect(malformed.body.message).toMatch(/^Malformed JSON/);
    expect(form.body).toEqual({ error_code: 415, message: 'HTTP 415 Unsupported Media Type' });
    expect(huge.status).toBe(413);
    expect(huge.body.error_code).toBe(413);
  });
});

describe('reads of one connector', () => {
  it('returns info, raw config, tasks and tasks-config; 404 "Connector <c> not found" when unknown', async () => {
    // Prepare
    const name = uniqueName('src');
    await fx.call('POST', '/connectors', {
      name,
      config: sourceConfig({ 'x.secret': PLACEHOLDER }),
    });
    // Act
    const info = await fx.call('GET', `/connectors/${name}`);
    const config = await fx.call('GET', `/connectors/${name}/config`);
    const tasks = await fx.call('GET', `/connectors/${name}/tasks`);
    const tasksConfig = await fx.call('GET', `/connectors/${name}/tasks-config`);
    const unknown = await fx.call('GET', '/connectors/does-not-exist/config');
    // Assess
    expect(info.body.tasks).toEqual([{ connector: name, task: 0 }]);
    expect(config.body['x.secret']).toBe(PLACEHOLDER);
    expect(tasks.body).toEqual([
      { id: { connector: name, task: 0 }, config: expect.objectContaining({ topic: 'control-test' }) },
    ]);
    expect(tasks.body[0].config['x.secret']).toBe(PLACEHOLDER);
    expect(Object.keys(tasksConfig.body)).toEqual([`${name}-0`]);
    expect(unknown.body).toEqual({ error_code: 404, message: 'Connector does-not-exist not found' });
  });

  it('lists names, and expands status and info only on repeated expand parameters', async () => {
    // Prepare
    const name = uniqueName('src');
    await fx.call('POST', '/connectors', { name, config: sourceConfig() });
    // Act
    const names = await fx.call('GET', '/connectors');
    const both = await fx.call('GET', '/connectors?expand=status&expand=info');
    const commaJoined = await fx.call('GET', '/connectors?expand=status,info&forward=true');
    // Assess
    expect(names.body).toContain(name);
    expect(Object.keys(both.body[name])).toEqual(['status', 'info']);
    expect(both.body[name].status.connector.state).toBe('RUNNING');
    expect(both.body[name].info.name).toBe(name);
    expect(commaJoined.body[name]).toEqual({});
  });
});

describe('PUT and PATCH /connectors/{c}/config', () => {
  it('creates with 201 + Location, then updates with 200 and a higher generation, keeping a PAUSED target', async () => {
    // Prepare
    const name = uniqueName('put');
    // Act
    const created = await fx.call('PUT', `/connectors/${name}/config`, sourceConfig());
    await fx.call('PUT', `/connectors/${name}/pause`);
    const updated = await fx.call('PUT', `/connectors/${name}/config`, sourceConfig({ topic: 'changed' }));
    // Assess
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/connectors/${name}`);
    expect(updated.status).toBe(200);
    expect(updated.body.config.topic).toBe('changed');
    const record = await fx.store.store.configs.get(name);
    expect(record?.targetState).toBe('PAUSED');
    expect(record?.generation).toBe(3);
  });

  it('never loses an update among concurrent PUTs: the generation rises once per PUT', async () => {
    // Prepare
    const name = uniqueName('put');
    await fx.call('PUT', `/connectors/${name}/config`, sourceConfig());
    const before = (await fx.store.store.configs.get(name))?.generation ?? 0;
    // Act
    const replies = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        fx.call('PUT', `/connectors/${name}/config`, sourceConfig({ topic: `t${i}` })),
      ),
    );
    // Assess
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect((await fx.store.store.configs.get(name))?.generation).toBe(before + 6);
  });

  it('answers 400 for a name in the body that differs from the URL', async () => {
    // Act
    const reply = await fx.call('PUT', '/connectors/a-name/config', sourceConfig({ name: 'b-name' }));
    // Assess
    expect(reply.body).toEqual({
      error_code: 400,
      message: "Connector name configuration (b-name) doesn't match connector name in the URL (a-name)",
    });
  });

  it('PATCH merges, removes null keys, validates, and 404s for an unknown connector', async () => {
    // Prepare
    const name = uniqueName('patch');
    await fx.call('POST', '/connectors', { name, config: sourceConfig({ 'batch.size': '10' }) });
    // Act
    const patched = await fx.call('PATCH', `/connectors/${name}/config`, {
      topic: 'patched',
      'batch.size': null,
    });
    const invalid = await fx.call('PATCH', `/connectors/${name}/config`, { 'tasks.max': 'x' });
    const unknown = await fx.call('PATCH', '/connectors/nobody/config', { topic: 'x' });
    // Assess
    expect(patched.status).toBe(200);
    expect(patched.body.config.topic).toBe('patched');
    expect(patched.body.config).not.toHaveProperty('batch.size');
    expect(invalid.status).toBe(400);
    expect(unknown.body).toEqual({ error_code: 404, message: 'Connector nobody not found' });
  });
});

describe('DELETE /connectors/{c}', () => {
  it('deletes config and status with 204 and answers 404 afterwards', async () => {
    // Prepare
    const name = uniqueName('del');
    await fx.call('POST', '/connectors', { name, config: sourceConfig() });
    // Act
    const deleted = await fx.call('DELETE', `/connectors/${name}?forward=false`);
    const again = await fx.call('DELETE', `/connectors/${name}`);
    // Assess
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect(again.body).toEqual({ error_code: 404, message: `Connector ${name} not found` });
    expect((await fx.call('GET', `/connectors/${name}/status`)).status).toBe(404);
  });

  it('ensures, disables and removes the event source mapping of a sink connector', async () => {
    // Prepare
    const name = uniqueName('sink');
    // Act
    await fx.call('POST', '/connectors', { name, config: sinkConfig() });
    await fx.call('PUT', `/connectors/${name}/pause`);
    await fx.call('DELETE', `/connectors/${name}`);
    // Assess
    expect(fx.sinkCalls.filter((c) => c.connector === name)).toEqual([
      {
        op: 'ensure',
        connector: name,
        spec: { topics: ['control-test'], groupId: `connect-${name}`, enabled: true },
      },
      { op: 'setEnabled', connector: name, enabled: false },
      { op: 'remove', connector: name },
    ]);
  });
});

describe('restarting a mapped sink', () => {
  it('enables its mapping at once (the dispatcher disabled it while the task was FAILED)', async () => {
    // Prepare
    const name = uniqueName('restarted');
    await fx.call('POST', '/connectors', { name, config: sinkConfig() });
    // Act
    const restart = await fx.call('POST', `/connectors/${name}/restart?includeTasks=true`);
    const task = await fx.call('POST', `/connectors/${name}/tasks/0/restart`);
    // Assess
    expect([restart.status, task.status]).toEqual([202, 204]);
    expect(fx.sinkCalls.filter((c) => c.connector === name && c.op === 'setEnabled')).toEqual([
      { op: 'setEnabled', connector: name, enabled: true },
      { op: 'setEnabled', connector: name, enabled: true },
    ]);
  });

  it('succeeds when Lambda refuses to change the mapping (still Disabling): the restart is stored, the reconciler enables it', async () => {
    // Prepare
    const name = uniqueName('refused');
    await fx.call('POST', '/connectors', { name, config: sinkConfig() });
    const inUse = Object.assign(new Error('Cannot update the event source mapping: State Disabling'), {
      name: 'ResourceInUseException',
    });
    fx.refuseSetEnabled(inUse);
    try {
      // Act
      const restart = await fx.call('POST', `/connectors/${name}/restart?includeTasks=true`);
      const pause = await fx.call('PUT', `/connectors/${name}/pause`);
      const resume = await fx.call('PUT', `/connectors/${name}/resume`);
      // Assess
      expect([restart.status, pause.status, resume.status]).toEqual([202, 202, 202]);
      expect((await fx.store.store.configs.get(name))?.restartRequest?.tasks).toEqual([0]);
      expect(fx.sinkCalls.filter((c) => c.connector === name && c.op === 'setEnabled')).toHaveLength(3);
    } finally {
      fx.refuseSetEnabled(undefined);
    }
  });
});

describe('unknown paths and methods', () => {
  it('answers 404 "HTTP 404 Not Found" and 405 "HTTP 405 Method Not Allowed" as JSON', async () => {
    // Act
    const path = await fx.call('GET', '/nothing/here');
    const method = await fx.call('DELETE', '/connectors');
    const badTask = await fx.call('GET', '/connectors/x/tasks/abc/status');
    // Assess
    expect(path.body).toEqual({ error_code: 404, message: 'HTTP 404 Not Found' });
    expect(method.body).toEqual({ error_code: 405, message: 'HTTP 405 Method Not Allowed' });
    expect(badTask.status).toBe(404);
  });
});
