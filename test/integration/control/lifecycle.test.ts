import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../support/services.js';
import { type ControlFixture, controlFixture, sourceConfig, WORKER_ID } from './harness.js';

// A provider that answers validation and then fails when the connector is started: the way to make
// an otherwise valid connector fail in `start`.
let providerCalls = 0;
const flaky = {
  get: async (_path: string, keys: readonly string[]) => {
    providerCalls++;
    if (providerCalls % 2 === 0) throw new Error('the secret store is down');
    return { data: Object.fromEntries(keys.map((k) => [k, 'resolved'])) };
  },
};

let fx: ControlFixture;
beforeAll(async () => {
  fx = await controlFixture('ctl-life', { providers: { flaky } });
});
afterAll(() => fx.dispose());

async function create(initialState?: string): Promise<string> {
  const name = uniqueName('life');
  const reply = await fx.call('POST', '/connectors', {
    name,
    config: sourceConfig(),
    initial_state: initialState,
  });
  expect(reply.status).toBe(201);
  return name;
}

async function status(name: string) {
  return (await fx.call('GET', `/connectors/${name}/status`)).body;
}

describe('initial_state', () => {
  it('creates a PAUSED connector with paused tasks and a STOPPED one without tasks', async () => {
    // Act
    const paused = await create('paused');
    const stopped = await create('STOPPED');
    // Assess
    expect(await status(paused)).toMatchObject({
      connector: { state: 'PAUSED' },
      tasks: [{ id: 0, state: 'PAUSED' }],
    });
    expect(await status(stopped)).toMatchObject({ connector: { state: 'STOPPED' }, tasks: [] });
    expect((await fx.call('GET', `/connectors/${stopped}/tasks`)).body).toEqual([]);
  });
});

describe('pause, resume and stop', () => {
  it('pauses (202, idempotent), resumes (202) and 404s "Unknown connector <c>"', async () => {
    // Prepare
    const name = await create();
    // Act
    const paused = await fx.call('PUT', `/connectors/${name}/pause`);
    const again = await fx.call('PUT', `/connectors/${name}/pause`);
    const afterPause = await status(name);
    const resumed = await fx.call('PUT', `/connectors/${name}/resume`);
    const afterResume = await status(name);
    const unknown = await fx.call('PUT', '/connectors/nobody/pause');
    // Assess
    expect([paused.status, again.status, resumed.status]).toEqual([202, 202, 202]);
    expect(afterPause).toMatchObject({ connector: { state: 'PAUSED' }, tasks: [{ state: 'PAUSED' }] });
    expect(afterResume).toMatchObject({ connector: { state: 'RUNNING' }, tasks: [{ state: 'UNASSIGNED' }] });
    expect((await fx.store.store.configs.get(name))?.targetState).toBe('STARTED');
    expect(unknown.body).toEqual({ error_code: 404, message: 'Unknown connector nobody' });
  });

  it('stops with 204: no task configs, no task statuses, connector STOPPED; resume computes tasks again', async () => {
    // Prepare
    const name = await create();
    // Act
    const stopped = await fx.call('PUT', `/connectors/${name}/stop`);
    const whileStopped = await status(name);
    const tasksWhileStopped = await fx.call('GET', `/connectors/${name}/tasks`);
    await fx.call('PUT', `/connectors/${name}/resume`);
    // Assess
    expect(stopped.status).toBe(204);
    expect(whileStopped).toEqual({
      name,
      connector: { state: 'STOPPED', worker_id: WORKER_ID },
      tasks: [],
      type: 'source',
    });
    expect(tasksWhileStopped.body).toEqual([]);
    expect(await status(name)).toMatchObject({
      connector: { state: 'RUNNING' },
      tasks: [{ id: 0, state: 'UNASSIGNED' }],
    });
    expect((await fx.call('GET', `/connectors/${name}/tasks`)).body).toHaveLength(1);
    expect((await fx.call('PUT', '/connectors/nobody/stop')).body.message).toBe('Unknown connector nobody');
  });
});

describe('restart', () => {
  it('answers 204 for a plain restart and 404 "Unknown connector: <c>" when unknown', async () => {
    // Prepare
    const name = await create();
    // Act
    const plain = await fx.call('POST', `/connectors/${name}/restart`);
    const unknown = await fx.call('POST', '/connectors/nobody/restart');
    // Assess
    expect(plain.status).toBe(204);
    expect(unknown.body).toEqual({ error_code: 404, message: 'Unknown connector: nobody' });
    expect((await status(name)).connector.state).toBe('RUNNING');
  });

  it('answers 202 with RESTARTING instances for includeTasks and writes a restart request', async () => {
    // Prepare
    const name = await create();
    // Act
    const reply = await fx.call('POST', `/connectors/${name}/restart?includeTasks=true`);
    // Assess
    expect(reply.status).toBe(202);
    expect(reply.body).toEqual({
      name,
      connector: { state: 'RESTARTING', worker_id: WORKER_ID },
      tasks: [{ id: 0, state: 'RESTARTING', worker_id: WORKER_ID }],
      type: 'source',
    });
    expect((await fx.store.store.configs.get(name))?.restartRequest).toMatchObject({
      epoch: 1,
      includeTasks: true,
      onlyFailed: false,
      tasks: [0],
    });
    expect((await status(name)).tasks[0].state).toBe('RESTARTING');
  });

  it("restarts only FAILED instances with onlyFailed, showing a FAILED task's trace before", async () => {
    // Prepare
    const name = await create();
    const generation = (await fx.store.store.configs.get(name))?.generation ?? 1;
    await fx.store.store.status.putTask(name, 0, {
      state: 'FAILED',
      workerId: 'w',
      generation,
      trace: 'Error: boom',
    });
    const failed = await fx.call('GET', `/connectors/${name}/tasks/0/status`);
    // Act
    const reply = await fx.call('POST', `/connectors/${name}/restart?includeTasks=true&onlyFailed=true`);
    // Assess
    expect(failed.body).toEqual({ id: 0, state: 'FAILED', worker_id: 'w', trace: 'Error: boom' });
    expect(reply.status).toBe(202);
    expect(reply.body.connector.state).toBe('RUNNING');
    expect(reply.body.tasks).toEqual([{ id: 0, state: 'RESTARTING', worker_id: 'w' }]);
  });

  it('restarts one task with 204 and 404s an unknown task or connector', async () => {
    // Prepare
    const name = await create();
    // Act
    const ok = await fx.call('POST', `/connectors/${name}/tasks/0/restart`);
    const second = await fx.call('POST', `/connectors/${name}/tasks/0/restart`);
    const task = await fx.call('POST', `/connectors/${name}/tasks/5/restart`);
    const connector = await fx.call('POST', '/connectors/nobody/tasks/0/restart');
    // Assess
    expect([ok.status, second.status]).toEqual([204, 204]);
    expect((await fx.store.store.configs.get(name))?.restartRequest).toMatchObject({ epoch: 2, tasks: [0] });
    expect(task.body).toEqual({ error_code: 404, message: `Unknown task: ${name}-5` });
    expect(connector.body).toEqual({ error_code: 404, message: 'Unknown connector: nobody' });
  });
});

describe('status', () => {
  it('404s "No status found" for an unknown connector and an unknown task', async () => {
    // Prepare
    const name = await create();
    // Act
    const connector = await fx.call('GET', '/connectors/nobody/status');
    const task = await fx.call('GET', `/connectors/${name}/tasks/3/status`);
    // Assess
    expect(connector.body).toEqual({ error_code: 404, message: 'No status found for connector nobody' });
    expect(task.body).toEqual({ error_code: 404, message: `No status found for task ${name}-3` });
  });

  it('stores a connector whose start fails and shows it FAILED with a trace', async () => {
    // Prepare
    const name = uniqueName('fail');
    providerCalls = 0;
    // Act
    const created = await fx.call('POST', '/connectors', {
      name,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a reference to the flaky provider
      config: sourceConfig({ file: '${flaky:x}' }),
    });
    const shown = await status(name);
    // Assess
    expect(created.status).toBe(201);
    expect(created.body.tasks).toEqual([]);
    expect(shown.connector.state).toBe('FAILED');
    expect(shown.connector.trace).toContain('the secret store is down');
    expect(shown.tasks).toEqual([]);
  });
});

describe('topics', () => {
  it('shows recorded topics sorted, resets them with 202, and answers for unknown connectors too', async () => {
    // Prepare
    const name = await create();
    await fx.store.store.status.addActiveTopics(name, ['b', 'a']);
    // Act
    const before = await fx.call('GET', `/connectors/${name}/topics`);
    const reset = await fx.call('PUT', `/connectors/${name}/topics/reset`);
    const after = await fx.call('GET', `/connectors/${name}/topics`);
    const unknown = await fx.call('GET', '/connectors/nobody/topics');
    // Assess
    expect(before.body).toEqual({ [name]: { topics: ['a', 'b'] } });
    expect(reset.status).toBe(202);
    expect(after.body).toEqual({ [name]: { topics: [] } });
    expect(unknown.body).toEqual({ nobody: { topics: [] } });
  });
});
