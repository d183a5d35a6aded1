import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  CreateAliasCommand,
  InvokeCommand,
  LambdaClient,
  ResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lambdaInvoker } from '../../../functions/lambda-invoker.js';
import type { AsyncLogEntry } from '../../../local/aws/async-queue.js';
import {
  createFunctionPool,
  type FunctionPool,
  type FunctionPoolOptions,
} from '../../../local/aws/environment.js';
import type { FunctionRegistration } from '../../../local/aws/invoke.js';
import { type LambdaApi, startLambdaApi } from '../../../local/aws/lambda-api.js';

// Invoke against the simulated Lambda API with the real SDK client: sync results and errors, the async
// queue's retries, age limit and duplicate fault, payload limits, and our dispatcher's invoker.
const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

let api: LambdaApi;
let lambda: LambdaClient;
let dir: string;

beforeEach(async () => {
  api = await startLambdaApi({
    port: 0,
    region: REGION,
    accountId: ACCOUNT,
    async: { backoffMs: { initial: 50, max: 200 } },
  });
  // One attempt: the SDK's own retries would hide what the API answered.
  lambda = new LambdaClient({ endpoint: api.url, region: REGION, credentials, maxAttempts: 1 });
  dir = mkdtempSync(join(tmpdir(), 'invoke-test-'));
});

const pools: FunctionPool[] = [];

afterEach(async () => {
  lambda.destroy();
  const pids = pools.splice(0).flatMap((p) => p.stats().environments.map((e) => e.pid));
  await api.close(); // closes the pools registered through it
  rmSync(dir, { recursive: true, force: true });
  expect(pids.filter(alive)).toEqual([]);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function register(
  name: string,
  pool: Partial<FunctionPoolOptions> = {},
  registration: Omit<FunctionRegistration, 'pool'> = {},
): string {
  const created = createFunctionPool({
    name,
    modulePath: fixture('env-basic.mjs'),
    handler: 'env-basic.handler',
    timeoutMs: 10_000,
    region: REGION,
    accountId: ACCOUNT,
    onLog: () => {},
    ...pool,
  });
  pools.push(created);
  return api.registerFunction(name, { pool: created, ...registration });
}

function recorder(name: string, registration: Omit<FunctionRegistration, 'pool'> = {}): string {
  const file = join(dir, `${name}.jsonl`);
  register(
    name,
    {
      modulePath: fixture('invoke-record.mjs'),
      handler: 'invoke-record.handler',
      environment: { RECORD_FILE: file },
    },
    registration,
  );
  return file;
}

function recorded(file: string): { event: Record<string, unknown>; invokedFunctionArn: string }[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

const payload = (value: unknown) => Buffer.from(JSON.stringify(value));
const decode = (bytes: Uint8Array | undefined) => JSON.parse(Buffer.from(bytes ?? []).toString('utf8'));

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(20);
  }
}

const entries = (eventId: string | undefined, outcome?: AsyncLogEntry['outcome']) =>
  api.asyncLog().filter((e) => e.eventId === eventId && (outcome === undefined || e.outcome === outcome));

describe('Invoke RequestResponse', () => {
  it('answers the result, and the context ARN carries the alias qualifier', async () => {
    register('sync-fn');
    await lambda.send(
      new CreateAliasCommand({ FunctionName: 'sync-fn', Name: 'live', FunctionVersion: '$LATEST' }),
    );
    const plain = await lambda.send(
      new InvokeCommand({ FunctionName: 'sync-fn', Payload: payload({ a: 1 }) }),
    );
    expect(plain.StatusCode).toBe(200);
    expect(plain.FunctionError).toBeUndefined();
    expect(plain.ExecutedVersion).toBe('$LATEST');
    const result = decode(plain.Payload);
    expect(result.event).toEqual({ a: 1 });
    expect(result.context.invokedFunctionArn).toBe(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:sync-fn`);

    for (const command of [
      new InvokeCommand({ FunctionName: 'sync-fn:live', Payload: payload({}) }),
      new InvokeCommand({ FunctionName: 'sync-fn', Qualifier: 'live', Payload: payload({}) }),
      new InvokeCommand({ FunctionName: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:sync-fn:live` }),
    ]) {
      const aliased = await lambda.send(command);
      expect(aliased.ExecutedVersion).toBe('$LATEST');
      expect(decode(aliased.Payload).context.invokedFunctionArn).toBe(
        `arn:aws:lambda:${REGION}:${ACCOUNT}:function:sync-fn:live`,
      );
    }
    // An empty payload is the event {}.
    expect(decode((await lambda.send(new InvokeCommand({ FunctionName: 'sync-fn' }))).Payload).event).toEqual(
      {},
    );

    await expect(lambda.send(new InvokeCommand({ FunctionName: 'sync-fn:gone' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'nope' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(
      lambda.send(new InvokeCommand({ FunctionName: 'sync-fn:live', Qualifier: 'other' })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
  });

  it('a function error is a 200 with FunctionError Unhandled and the error payload; Tail gives a log', async () => {
    register('err-fn');
    const reply = await lambda.send(
      new InvokeCommand({ FunctionName: 'err-fn', Payload: payload({ action: 'throw' }), LogType: 'Tail' }),
    );
    expect(reply.StatusCode).toBe(200);
    expect(reply.FunctionError).toBe('Unhandled');
    const error = decode(reply.Payload);
    expect(error).toMatchObject({ errorType: 'TypeError', errorMessage: 'boom 1' });
    expect(Array.isArray(error.trace)).toBe(true);
    const log = Buffer.from(reply.LogResult ?? '', 'base64').toString('utf8');
    expect(log).toMatch(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST\n/);
    expect(log).toContain('REPORT RequestId:');
  });

  it('a throttle is the SDK TooManyRequestsException with its Reason', async () => {
    register('cold-fn', { reservedConcurrency: 0 });
    const error = await lambda.send(new InvokeCommand({ FunctionName: 'cold-fn' })).catch((e) => e);
    expect(error).toBeInstanceOf(TooManyRequestsException);
    expect(error.$metadata.httpStatusCode).toBe(429);
    expect(error.Reason).toBe('ReservedFunctionConcurrentInvocationLimitExceeded');
    expect(error.message).toBe('Rate Exceeded.');
  });

  it('DryRun answers 204 and runs nothing', async () => {
    const file = recorder('dry-fn');
    const reply = await lambda.send(new InvokeCommand({ FunctionName: 'dry-fn', InvocationType: 'DryRun' }));
    expect(reply.StatusCode).toBe(204);
    await sleep(100);
    expect(recorded(file)).toEqual([]);
  });

  it('payload limits: a request over 6 MB is a 413, a response over 6 MB a function error', async () => {
    register('big-fn');
    const tooBig = Buffer.from(JSON.stringify({ s: 'x'.repeat(6 * 1024 * 1024) }));
    const error = await lambda
      .send(new InvokeCommand({ FunctionName: 'big-fn', Payload: tooBig }))
      .catch((e) => e);
    expect(error.name).toBe('RequestEntityTooLargeException');
    expect(error.$metadata.httpStatusCode).toBe(413);
    expect(error.message).toBe('Request must be smaller than 6291456 bytes for the InvokeFunction operation');
    // The fixture echoes its event (plus its context and environment): just under 6 MB in, over 6 MB out.
    const echo = Buffer.from(JSON.stringify({ s: 'x'.repeat(6 * 1024 * 1024 - 200) }));
    const reply = await lambda.send(new InvokeCommand({ FunctionName: 'big-fn', Payload: echo }));
    expect(reply.FunctionError).toBe('Unhandled');
    expect(decode(reply.Payload)).toEqual({
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
      errorType: 'Function.ResponseSizeTooLarge',
    });
    // Async: 1 MB.
    const asyncBig = Buffer.from(JSON.stringify({ s: 'x'.repeat(1024 * 1024) }));
    const asyncError = await lambda
      .send(new InvokeCommand({ FunctionName: 'big-fn', InvocationType: 'Event', Payload: asyncBig }))
      .catch((e) => e);
    expect(asyncError.name).toBe('RequestEntityTooLargeException');
    expect(asyncError.$metadata.httpStatusCode).toBe(413);
    expect(api.asyncLog()).toEqual([]);
  });
});

describe('Invoke Event', () => {
  it('answers 202 at once, then the queue delivers the event', async () => {
    register('slow-fn');
    // The function takes 800 ms: the 202 comes while it still runs.
    const reply = await lambda.send(
      new InvokeCommand({
        FunctionName: 'slow-fn',
        InvocationType: 'Event',
        Payload: payload({ action: 'sleep', ms: 800 }),
      }),
    );
    expect(reply.StatusCode).toBe(202);
    expect(Buffer.from(reply.Payload ?? []).length).toBe(0);
    const id = reply.$metadata.requestId;
    expect(entries(id, 'queued')).toHaveLength(1);
    expect(entries(id, 'delivered')).toHaveLength(0);
    await until(() => entries(id, 'delivered').length === 1);

    const file = recorder('async-fn');
    const recordedReply = await lambda.send(
      new InvokeCommand({
        FunctionName: 'async-fn:$LATEST',
        InvocationType: 'Event',
        Payload: payload({ n: 7 }),
      }),
    );
    await until(() => entries(recordedReply.$metadata.requestId, 'delivered').length === 1);
    expect(recorded(file).map((r) => r.event)).toEqual([{ n: 7 }]);
  });

  it('an always-failing function gets exactly 1 + MaximumRetryAttempts attempts, then is dropped', async () => {
    register('fail-fn', {}, { asyncConfig: { maximumRetryAttempts: 2 }, retryDelaysMs: [50, 100] });
    register('fail-once-fn', {}, { asyncConfig: { maximumRetryAttempts: 0 }, retryDelaysMs: [50, 100] });
    const a = await lambda.send(
      new InvokeCommand({
        FunctionName: 'fail-fn',
        InvocationType: 'Event',
        Payload: payload({ action: 'throw' }),
      }),
    );
    const b = await lambda.send(
      new InvokeCommand({
        FunctionName: 'fail-once-fn',
        InvocationType: 'Event',
        Payload: payload({ action: 'throw' }),
      }),
    );
    await until(() => entries(a.$metadata.requestId, 'dropped').length === 1);
    await until(() => entries(b.$metadata.requestId, 'dropped').length === 1);
    const attempts = entries(a.$metadata.requestId, 'function-error');
    expect(attempts.map((e) => [e.attempts, e.detail])).toEqual([
      [1, 'TypeError'],
      [2, 'TypeError'],
      [3, 'TypeError'],
    ]);
    const scheduled = entries(a.$metadata.requestId, 'retry-scheduled');
    expect(scheduled.map((e) => (e.nextAt as number) - e.at)).toEqual([50, 100]);
    // Each retry starts no earlier than its delay after the failure before it.
    expect((attempts[1] as AsyncLogEntry).at - (attempts[0] as AsyncLogEntry).at).toBeGreaterThanOrEqual(50);
    expect((attempts[2] as AsyncLogEntry).at - (attempts[1] as AsyncLogEntry).at).toBeGreaterThanOrEqual(100);
    expect(entries(a.$metadata.requestId, 'dropped')[0]?.detail).toBe('RetriesExhausted');
    expect(entries(a.$metadata.requestId, 'delivered')).toEqual([]);
    expect(entries(b.$metadata.requestId, 'function-error')).toHaveLength(1);
    await sleep(200); // nothing more comes
    expect(entries(a.$metadata.requestId, 'function-error')).toHaveLength(3);
  });

  it('drops an event older than MaximumEventAgeSeconds instead of retrying it', async () => {
    register('old-fn', {}, { asyncConfig: { maximumEventAgeSeconds: 1 }, retryDelaysMs: [50, 1_500] });
    const reply = await lambda.send(
      new InvokeCommand({
        FunctionName: 'old-fn',
        InvocationType: 'Event',
        Payload: payload({ action: 'throw' }),
      }),
    );
    const id = reply.$metadata.requestId;
    await until(() => entries(id, 'dropped').length === 1);
    expect(entries(id, 'function-error')).toHaveLength(2);
    expect(entries(id, 'dropped')[0]?.detail).toBe('MaximumEventAgeExceeded');
  });

  it('a throttled event is retried with backoff until it is delivered; reserved concurrency 0 drops it', async () => {
    const file = recorder('busy-fn');
    register('one-fn', { reservedConcurrency: 1 });
    // Hold the only environment of one-fn with a sync invoke, then queue an event.
    const holding = lambda.send(
      new InvokeCommand({ FunctionName: 'one-fn', Payload: payload({ action: 'sleep', ms: 400 }) }),
    );
    await sleep(50);
    const reply = await lambda.send(new InvokeCommand({ FunctionName: 'one-fn', InvocationType: 'Event' }));
    const id = reply.$metadata.requestId;
    await until(() => entries(id, 'delivered').length === 1);
    expect(entries(id, 'throttled').length).toBeGreaterThanOrEqual(1);
    expect(entries(id, 'function-error')).toEqual([]);
    await holding;

    register('zero-fn', { reservedConcurrency: 0 });
    const zero = await lambda.send(new InvokeCommand({ FunctionName: 'zero-fn', InvocationType: 'Event' }));
    await until(() => entries(zero.$metadata.requestId, 'dropped').length === 1);
    expect(entries(zero.$metadata.requestId, 'dropped')[0]?.detail).toBe('ReservedConcurrencyZero');
    expect(recorded(file)).toEqual([]);
  });

  it('the duplicate fault delivers an event twice', async () => {
    const file = recorder('dup-fn');
    api.duplicateNext(1);
    const first = await lambda.send(
      new InvokeCommand({
        FunctionName: 'dup-fn',
        InvocationType: 'Event',
        Payload: payload({ k: 'twice' }),
      }),
    );
    const second = await lambda.send(
      new InvokeCommand({ FunctionName: 'dup-fn', InvocationType: 'Event', Payload: payload({ k: 'once' }) }),
    );
    await until(() => entries(first.$metadata.requestId, 'delivered').length === 2);
    await until(() => entries(second.$metadata.requestId, 'delivered').length === 1);
    expect(
      entries(first.$metadata.requestId, 'delivered')
        .map((e) => e.copy)
        .sort(),
    ).toEqual([1, 2]);
    expect(
      recorded(file)
        .map((r) => r.event.k)
        .sort(),
    ).toEqual(['once', 'twice', 'twice']);

    // The seeded rate is deterministic: the same seed duplicates the same events.
    const pattern = async (): Promise<number[]> => {
      api.setDuplicateRate(0.5, 42);
      const ids: (string | undefined)[] = [];
      for (let i = 0; i < 6; i++) {
        ids.push(
          (await lambda.send(new InvokeCommand({ FunctionName: 'dup-fn', InvocationType: 'Event' })))
            .$metadata.requestId,
        );
      }
      api.setDuplicateRate(0);
      return ids.map((id) => entries(id, 'queued').length);
    };
    const once = await pattern();
    expect(await pattern()).toEqual(once);
    expect(once).toContain(2);
    expect(once).toContain(1);
  });
});

describe('our code against it', () => {
  it("the dispatcher's lambdaInvoker starts a registered task runner (Event) and the request arrives", async () => {
    const file = recorder('task-runner');
    await lambdaInvoker(lambda, 'task-runner').invoke({
      connector: 'orders-sink',
      task: 2,
      shown: 'UNASSIGNED',
    });
    await until(() => recorded(file).length === 1);
    expect(recorded(file)[0]).toEqual({
      event: { connector: 'orders-sink', task: 2, shown: 'UNASSIGNED' },
      invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:task-runner`,
    });
    expect(api.asyncLog().filter((e) => e.outcome === 'delivered')).toHaveLength(1);
  });
});
