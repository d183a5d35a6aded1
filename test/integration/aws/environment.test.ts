import { connect } from 'node:net';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createFunctionPool,
  type FunctionPool,
  type FunctionPoolOptions,
  type InvokeOutcome,
  TooManyRequestsException,
} from '../../../local/aws/environment.js';

// Simulated Lambda execution environments (child processes) running fixture handlers. Timings are short
// but generous: the machine has 2 cores and other test files run beside this one.
const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const pools: FunctionPool[] = [];
const logs: string[] = [];

function pool(overrides: Partial<FunctionPoolOptions> = {}): FunctionPool {
  const created = createFunctionPool({
    name: 'env-fn',
    modulePath: fixture('env-basic.mjs'),
    handler: 'env-basic.handler',
    memoryMb: 256,
    timeoutMs: 10_000,
    region: REGION,
    accountId: ACCOUNT,
    onLog: (line) => logs.push(line),
    ...overrides,
  });
  pools.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
  logs.length = 0;
});

interface Report {
  pid: number;
  moduleLoads: number;
  invocations: number;
  remainingMs: number;
  context: Record<string, unknown>;
  env: Record<string, string>;
  cwd: string;
}

function result<T = Report>(outcome: InvokeOutcome): T {
  if ('error' in outcome) throw new Error(`function error: ${JSON.stringify(outcome.error)}`);
  return outcome.result as T;
}

function failure(outcome: InvokeOutcome) {
  if (!('error' in outcome)) throw new Error(`expected a function error, got ${outcome.payload}`);
  return outcome;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(20);
  }
}

describe('execution environments', () => {
  it('starts cold once, then reuses the warm environment without loading the module again', async () => {
    const fn = pool();
    const first = await fn.invoke({ n: 1 });
    const second = await fn.invoke({ n: 2 });
    expect(first.coldStart).toBe(true);
    expect(first.initMs).toBeGreaterThan(0);
    expect(second.coldStart).toBe(false);
    expect(second.initMs).toBeUndefined();
    expect(second.environmentId).toBe(first.environmentId);
    const [a, b] = [result(first), result(second)];
    expect(b.pid).toBe(a.pid);
    expect([a.moduleLoads, b.moduleLoads]).toEqual([1, 1]);
    expect([a.invocations, b.invocations]).toEqual([1, 2]);
    const stats = fn.stats();
    expect(stats.coldStarts).toBe(1);
    expect(stats.invocations).toBe(2);
    expect(stats.environments).toHaveLength(1);
    expect(stats.environments[0]).toMatchObject({ state: 'frozen', invocations: 2, pid: a.pid });
    console.info(
      `env-basic.mjs cold start: init ${first.initMs?.toFixed(1)} ms, whole first invoke ${first.durationMs} ms`,
    );
  });

  it('builds the context and the environment variables as Lambda does', async () => {
    const fn = pool({ environment: { OWN_SETTING: 'x', TZ: 'Europe/Paris' } });
    const plain = result(await fn.invoke({}));
    const aliased = await fn.invoke({}, { qualifier: 'live' });
    const viaAlias = result(aliased);
    const arn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:env-fn`;
    expect(plain.context).toMatchObject({
      functionName: 'env-fn',
      functionVersion: '$LATEST',
      invokedFunctionArn: arn,
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/env-fn',
      hasCallbackWaits: false,
    });
    expect(viaAlias.context.invokedFunctionArn).toBe(`${arn}:live`);
    expect(viaAlias.context.awsRequestId).toBe(aliased.awsRequestId);
    expect(viaAlias.context.awsRequestId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(plain.context.awsRequestId).not.toBe(viaAlias.context.awsRequestId);
    expect(plain.context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(viaAlias.context.logStreamName).toBe(plain.context.logStreamName);
    expect(plain.remainingMs).toBeGreaterThan(5_000);
    expect(plain.remainingMs).toBeLessThanOrEqual(10_000);
    expect(plain.env).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: 'env-fn',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/env-fn',
      AWS_LAMBDA_LOG_STREAM_NAME: plain.context.logStreamName,
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      LAMBDA_TASK_ROOT: dirname(fixture('env-basic.mjs')),
      _HANDLER: 'env-basic.handler',
      LANG: 'en_US.UTF-8',
      TZ: 'Europe/Paris',
      OWN_SETTING: 'x',
    });
    expect(plain.env.AWS_ACCESS_KEY_ID).toBeTruthy();
    expect(plain.cwd).toBe(dirname(fixture('env-basic.mjs')));
  });

  it('gives no variable of the parent process to the function besides PATH', async () => {
    process.env.SIMULATOR_TEST_SECRET = 'must-not-leak';
    try {
      const fn = pool();
      const { env } = result(await fn.invoke({}));
      expect(env.SIMULATOR_TEST_SECRET).toBeUndefined();
      expect(Object.values(env)).not.toContain('must-not-leak');
      const lambda = /^(AWS_|LAMBDA_|_HANDLER$)/;
      const others = Object.keys(env).filter((key) => !lambda.test(key));
      expect(others.sort()).toEqual(['HOME', 'LANG', 'PATH', 'TZ']);
      expect(env.HOME).not.toBe(process.env.HOME);
      expect(env.TZ).toBe(':UTC');
    } finally {
      delete process.env.SIMULATOR_TEST_SECRET;
    }
  });

  it('refuses an environment that sets a key Lambda reserves', () => {
    expect(() => pool({ environment: { AWS_REGION: 'us-east-1' } })).toThrow(/AWS_REGION/);
  });

  it('fires no timer while frozen between invocations', async () => {
    const fn = pool({ name: 'ticker', modulePath: fixture('env-ticker.mjs'), handler: 'env-ticker.handler' });
    const first = result<{ ticks: number[] }>(await fn.invoke({ waitMs: 60 }));
    const frozenFrom = Date.now();
    expect(first.ticks.length).toBeGreaterThan(0);
    await sleep(300);
    const frozenTo = Date.now();
    const second = result<{ ticks: number[] }>(await fn.invoke({ waitMs: 60 }));
    const duringFreeze = second.ticks.filter((t) => t > frozenFrom && t < frozenTo);
    expect(duringFreeze).toEqual([]);
    // Thawed, the same interval ticks again.
    expect(second.ticks.filter((t) => t >= frozenTo).length).toBeGreaterThan(0);
  });

  it('serves no socket while frozen; the next invocation thaws it and the reply comes', async () => {
    const fn = pool({ name: 'ticker', modulePath: fixture('env-ticker.mjs'), handler: 'env-ticker.handler' });
    const { port } = result<{ port: number }>(await fn.invoke({}));
    const socket = connect({ host: '127.0.0.1', port });
    const received: string[] = [];
    socket.setEncoding('utf8');
    socket.on('data', (data: string) => received.push(data));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    socket.write('ping');
    await sleep(300);
    expect(received).toEqual([]);
    // Thawed only while the invocation runs: the event loop serves the socket during these 200 ms.
    await fn.invoke({ waitMs: 200 });
    await until(() => received.join('') === 'ping', 3_000);
    socket.destroy();
  });

  it('kills the environment at the timeout and starts the next invocation cold', async () => {
    const fn = pool({ timeoutMs: 400 });
    const warm = result(await fn.invoke({}));
    const timedOut = failure(await fn.invoke({ action: 'sleep', ms: 5_000 }));
    expect(timedOut.kind).toBe('Unhandled');
    expect(timedOut.error).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${timedOut.awsRequestId} Error: Task timed out after 0.40 seconds`,
    });
    expect(timedOut.durationMs).toBeGreaterThanOrEqual(400);
    await until(() => !alive(warm.pid));
    const after = await fn.invoke({});
    expect(after.coldStart).toBe(true);
    expect(result(after).pid).not.toBe(warm.pid);
    expect(fn.stats().timeouts).toBe(1);
  });

  it('times out an invocation on demand while its context still shows the real deadline', async () => {
    const fn = pool({ timeoutMs: 10_000 });
    const pending = fn.invoke({ action: 'sleep', ms: 5_000 }, { timeoutAt: Date.now() + 300 });
    const timedOut = failure(await pending);
    expect(timedOut.error.errorType).toBe('Sandbox.Timedout');
    // The configured timeout, as Lambda words it, not the fault's.
    expect(timedOut.error.errorMessage).toMatch(/Task timed out after 10.00 seconds$/);
    expect(timedOut.durationMs).toBeLessThan(5_000);
    const next = result(await fn.invoke({}));
    expect(next.remainingMs).toBeGreaterThan(8_000);
  });

  it("answers a thrown error in the Node runtime's shape and keeps the environment", async () => {
    const fn = pool();
    const thrown = failure(await fn.invoke({ action: 'throw' }));
    expect(thrown.kind).toBe('Unhandled');
    expect(thrown.error.errorType).toBe('TypeError');
    expect(thrown.error.errorMessage).toBe('boom 1');
    expect(thrown.error.trace?.[0]).toBe('TypeError: boom 1');
    expect(thrown.error.trace?.some((line) => line.includes('env-basic.mjs'))).toBe(true);
    const next = await fn.invoke({});
    expect(next.coldStart).toBe(false);
    expect(result(next).invocations).toBe(2);
  });

  it('answers Runtime.ExitError when the process dies, and starts cold afterwards', async () => {
    const fn = pool();
    const exit = failure(await fn.invoke({ action: 'exit', code: 3 }));
    expect(exit.error).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${exit.awsRequestId} Error: Runtime exited with error: exit status 3`,
    });
    const uncaught = failure(await fn.invoke({ action: 'uncaught' }));
    expect(uncaught.coldStart).toBe(true);
    expect(uncaught.error.errorType).toBe('Runtime.ExitError');
    expect(uncaught.error.errorMessage).toMatch(/exit status 1$/);
    expect(logs.some((line) => line.includes('thrown outside the handler'))).toBe(true);
    expect((await fn.invoke({})).coldStart).toBe(true);
    expect(fn.stats().crashes).toBe(2);
  });

  it('fails the invocation with the init error and retries Init on the next one', async () => {
    const fn = pool({ environment: { THROW_AT_INIT: '1' } });
    const failed = failure(await fn.invoke({}));
    expect(failed.error.errorType).toBe('Error');
    expect(failed.error.errorMessage).toBe('init failed on purpose');
    expect(failed.coldStart).toBe(true);
    expect((await fn.invoke({})).coldStart).toBe(true);
    expect(fn.stats().environments).toHaveLength(0);
  });

  it('retries an Init that overruns its limit within the invocation, under the function timeout', async () => {
    const fn = pool({ environment: { INIT_SLEEP_MS: '400' }, initLimitMs: 150, timeoutMs: 8_000 });
    const outcome = await fn.invoke({});
    expect(result(outcome).moduleLoads).toBe(1);
    expect(fn.stats().coldStarts).toBe(2);
  });

  it('refuses a callback-style handler as the Node.js 24 runtime does', async () => {
    const fn = pool({ modulePath: fixture('env-callback.mjs'), handler: 'env-callback.handler' });
    const refused = failure(await fn.invoke({}));
    expect(refused.error.errorType).toBe('Runtime.CallbackHandlerDeprecated');
    expect(refused.error.errorMessage).toContain('removed support for callback-based function handlers');
  });

  it('answers Runtime.HandlerNotFound for a handler the module does not export', async () => {
    const fn = pool({ handler: 'env-basic.missing' });
    const refused = failure(await fn.invoke({}));
    expect(refused.error).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'env-basic.missing is undefined or not exported',
    });
  });

  it('runs N parallel invocations in N environments, one invocation each', async () => {
    const fn = pool();
    // Each environment is frozen just before its invocation resolves, so this is the order of freezing.
    const frozenOrder: string[] = [];
    const outcomes = await Promise.all(
      [1, 2, 3].map(() =>
        fn.invoke({ action: 'sleep', ms: 300 }).then((o) => {
          frozenOrder.push(o.environmentId);
          return o;
        }),
      ),
    );
    const pids = new Set(outcomes.map((o) => result(o).pid));
    expect(pids.size).toBe(3);
    expect(outcomes.every((o) => o.coldStart)).toBe(true);
    expect(outcomes.map((o) => result(o).invocations)).toEqual([1, 1, 1]);
    expect(fn.stats().environments.map((e) => e.state)).toEqual(['frozen', 'frozen', 'frozen']);
    // The environments are reused afterwards: the most recently frozen one first (LIFO).
    const again = await fn.invoke({});
    expect(again.coldStart).toBe(false);
    expect(again.environmentId).toBe(frozenOrder[2]);
  });

  it('throttles beyond the reserved concurrency without queueing', async () => {
    const fn = pool({ reservedConcurrency: 2 });
    const running = [fn.invoke({ action: 'sleep', ms: 800 }), fn.invoke({ action: 'sleep', ms: 800 })];
    const third = fn.invoke({});
    await expect(third).rejects.toBeInstanceOf(TooManyRequestsException);
    await expect(third).rejects.toMatchObject({
      name: 'TooManyRequestsException',
      message: 'Rate Exceeded.',
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
    await Promise.all(running);
    expect((await fn.invoke({})).coldStart).toBe(false);
    expect(fn.stats()).toMatchObject({ throttles: 1, coldStarts: 2 });
    const none = pool({ reservedConcurrency: 0 });
    await expect(none.invoke({})).rejects.toBeInstanceOf(TooManyRequestsException);
  });

  it('recycles an environment left idle', async () => {
    const fn = pool({ idleRecycleMs: 300 });
    const first = await fn.invoke({});
    const { pid } = result(first);
    await until(() => !alive(pid));
    expect(fn.stats()).toMatchObject({ recycled: 1, environments: [] });
    expect((await fn.invoke({})).coldStart).toBe(true);
  });

  it('kills an environment mid-invocation on demand', async () => {
    const fn = pool();
    const pending = fn.invoke({ action: 'sleep', ms: 5_000 });
    await until(() => fn.stats().environments.some((e) => e.state === 'busy' && e.invocations === 1));
    const [env] = fn.stats().environments;
    expect(fn.kill(env!.id)).toBe(true);
    const killed = failure(await pending);
    expect(killed.error.errorMessage).toMatch(/Runtime exited with error: signal: killed$/);
    expect(fn.kill(env!.id)).toBe(false);
  });

  it('freezes a busy environment on demand; its timeout keeps running', async () => {
    const fn = pool({ timeoutMs: 1_500 });
    const pending = fn.invoke({ action: 'sleep', ms: 400 });
    await until(() => fn.stats().environments.some((e) => e.state === 'busy' && e.invocations === 1));
    expect(fn.freezeFor(fn.stats().environments[0]!.id, 3_000)).toBe(true);
    expect(failure(await pending).error.errorType).toBe('Sandbox.Timedout');
  });

  it('leaves no process behind after close', async () => {
    const fn = pool();
    const busy = fn.invoke({ action: 'sleep', ms: 5_000 });
    await Promise.all([fn.invoke({}), fn.invoke({})]);
    expect(fn.stats().environments).toHaveLength(3);
    await until(() => fn.stats().environments.every((e) => e.state !== 'initializing'));
    const pids = fn.stats().environments.map((e) => e.pid);
    expect(pids.every(alive)).toBe(true);
    await fn.close();
    expect(pids.filter(alive)).toEqual([]);
    expect(failure(await busy).error.errorType).toBe('Runtime.ExitError');
    await expect(fn.invoke({})).rejects.toThrow(/closed/);
  });
});
