import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFunctionPool, type InvokeOutcome } from '../../../local/aws/environment.js';
import { type FaultyPool, faultyPool, startFaultServer } from '../../../local/aws/faults.js';

// The fault interface over HTTP, against a real pool of execution environments (fixture handler).
const fixture = fileURLToPath(new URL('./fixtures/env-basic.mjs', import.meta.url));
let pool: FaultyPool;
let server: { url: string; close(): Promise<void> };
const duplicates: unknown[] = [];
const restarts: string[] = [];

beforeAll(async () => {
  pool = faultyPool(
    createFunctionPool({
      name: 'Stack-TaskRunnerAB12-XYZ',
      modulePath: fixture,
      handler: 'env-basic.handler',
      timeoutMs: 10_000,
      region: 'us-east-1',
      accountId: '000000000000',
      onLog: () => {},
    }),
  );
  server = await startFaultServer(
    {
      pools: new Map([['Stack-TaskRunnerAB12-XYZ', pool]]),
      duplicateNext: (n) => duplicates.push({ next: n }),
      setDuplicateRate: (rate, seed) => duplicates.push({ rate, seed }),
      restart: { kafka: async () => void restarts.push('kafka') },
    },
    { port: 0 },
  );
});

afterAll(async () => {
  await server.close();
  await pool.close();
});

const post = async (action: string, body: unknown, headers: Record<string, string> = {}) => {
  const reply = await fetch(`${server.url}/faults/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: reply.status, body: (await reply.json()) as Record<string, unknown> };
};
const failed = (o: InvokeOutcome) => ('error' in o ? o.error.errorType : 'ok');

describe('the fault interface', () => {
  it('kills the busy environment of a function named by part of its name', async () => {
    const pending = pool.invoke({ action: 'sleep', ms: 5_000 });
    for (let i = 0; i < 100 && !pool.stats().environments.some((e) => e.state === 'busy'); i++)
      await new Promise((r) => setTimeout(r, 20));
    const reply = await post('kill', { function: 'TaskRunner' });
    expect(reply).toMatchObject({ status: 200, body: { killed: expect.stringContaining('TaskRunner') } });
    expect(failed(await pending)).toBe('Runtime.ExitError');
  });

  it('times out and throttles the next invocations, then lets the rest through', async () => {
    expect((await post('timeout', { function: 'TaskRunner', count: 1, afterMs: 200 })).status).toBe(200);
    expect(failed(await pool.invoke({ action: 'sleep', ms: 3_000 }))).toBe('Sandbox.Timedout');
    expect((await post('throttle', { function: 'TaskRunner', count: 2 })).status).toBe(200);
    const throttled = await Promise.allSettled([pool.invoke({}), pool.invoke({})]);
    expect(throttled.map((t) => (t.status === 'rejected' ? (t.reason as Error).name : 'ok'))).toEqual([
      'TooManyRequestsException',
      'TooManyRequestsException',
    ]);
    expect(failed(await pool.invoke({}))).toBe('ok');
  });

  it('freezes an idle environment, duplicates async events, restarts a service', async () => {
    const freeze = await post('freeze', { function: 'TaskRunner', seconds: 1 });
    expect(freeze.body.frozen).toEqual(expect.stringContaining('TaskRunner'));
    await post('duplicate', { count: 3 });
    await post('duplicate', { rate: 0.5, seed: 7 });
    expect(duplicates).toEqual([{ next: 3 }, { rate: 0.5, seed: 7 }]);
    expect((await post('restart', { service: 'kafka' })).body).toEqual({ restarted: 'kafka' });
    expect(restarts).toEqual(['kafka']);
    const listed = (await (await fetch(`${server.url}/faults`)).json()) as { restart: string[] };
    expect(listed.restart).toEqual(['kafka']);
  });

  it('refuses a web page, an unknown function, action or service, and a body that is not JSON', async () => {
    expect((await post('kill', { function: 'TaskRunner' }, { origin: 'https://evil.example' })).status).toBe(
      403,
    );
    expect((await post('kill', { function: 'Nobody' })).status).toBe(404);
    expect((await post('explode', {})).status).toBe(404);
    expect((await post('restart', { service: 'postgres' })).status).toBe(404);
    expect((await post('throttle', '{oops')).status).toBe(400);
  });
});
