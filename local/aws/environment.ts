/**
 * Lambda execution environments for one function: each environment is a child process running
 * local/aws/runtime-bootstrap.ts, which loads the function's module once (cold start) and then serves
 * one invocation at a time. Between invocations the process is stopped (SIGSTOP), so no timer fires and
 * no socket is served until the next invocation thaws it (SIGCONT). At the function's timeout it is
 * killed (SIGKILL) with no cleanup. The pool never runs more environments at once than the reserved
 * concurrency, and kills an environment left idle for `idleRecycleMs`.
 *
 * The simulator knows a function only by its module path, handler, environment and settings, so any
 * Node.js Lambda function can run here. See docs/simulator/environments.md.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  EnvironmentStats,
  FunctionPool,
  FunctionPoolOptions,
  InvokeOptions,
  InvokeOutcome,
} from './environment-types.js';
import { EventJson, TooManyRequestsException } from './environment-types.js';
import { lambdaVariables, logStreamName, refuseReserved } from './environment-variables.js';
import { exited, timedOut } from './runtime-errors.js';
import type { FromEnvironment, RuntimeError, ToEnvironment } from './runtime-protocol.js';

export type {
  EnvironmentState,
  EnvironmentStats,
  FunctionPool,
  FunctionPoolOptions,
  InvokeOptions,
  InvokeOutcome,
  PoolStats,
} from './environment-types.js';
export { EventJson, TooManyRequestsException } from './environment-types.js';
export type { RuntimeError } from './runtime-protocol.js';

const BOOTSTRAP = fileURLToPath(new URL('./runtime-bootstrap.ts', import.meta.url));

const DEFAULT_MEMORY_MB = 128;
const DEFAULT_TIMEOUT_MS = 3_000;
const DEFAULT_IDLE_RECYCLE_MS = 5 * 60_000;
/** Lambda's cap on the Init phase of an on-demand environment. */
const INIT_LIMIT_MS = 10_000;

type Event = FromEnvironment | { type: 'exit'; code: number | null; signal: NodeJS.Signals | null };

interface Environment extends EnvironmentStats {
  child: ChildProcess;
  /** Not reused before this time (freezeFor). */
  heldUntil: number;
  idleTimer?: NodeJS.Timeout;
  thawTimer?: NodeJS.Timeout;
  /** Where the next message or the exit goes while an init or an invocation waits. */
  listener?: (event: Event) => void;
  exited: Promise<void>;
}

export function createFunctionPool(options: FunctionPoolOptions): FunctionPool {
  const own = options.environment ?? {};
  refuseReserved(options.name, own);
  const memoryMb = options.memoryMb ?? DEFAULT_MEMORY_MB;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const idleRecycleMs = options.idleRecycleMs ?? DEFAULT_IDLE_RECYCLE_MS;
  const initLimitMs = options.initLimitMs ?? INIT_LIMIT_MS;
  const limit = options.reservedConcurrency;
  const functionArn = `arn:aws:lambda:${options.region}:${options.accountId}:function:${options.name}`;
  const taskRoot = dirname(options.modulePath);
  // An empty HOME of its own, so nothing reads the host user's files (~/.aws) through it.
  const home = mkdtempSync(join(tmpdir(), 'lambda-home-'));
  const credentials = options.credentials ?? {
    accessKeyId: 'ASIASIMULATEDLAMBDA0',
    secretAccessKey: 'simulated-execution-role-secret',
    sessionToken: 'simulated-execution-role-session',
  };
  const onLog =
    options.onLog ??
    ((line, from) => process.stderr.write(`[${options.name} ${from.environmentId}] ${line}\n`));

  const environments = new Set<Environment>();
  /** Frozen environments, the most recently used last: reuse is LIFO. */
  const idle: Environment[] = [];
  let serial = 0;
  let closed = false;
  const counts = { coldStarts: 0, invocations: 0, throttles: 0, timeouts: 0, crashes: 0, recycled: 0 };

  function spawn(): Environment {
    const now = new Date();
    const stream = logStreamName(now);
    const child = fork(BOOTSTRAP, [], {
      cwd: taskRoot,
      env: lambdaVariables({
        own,
        name: options.name,
        handler: options.handler,
        region: options.region,
        memoryMb,
        home,
        credentials,
        logStreamName: stream,
        taskRoot,
        runtimeDir: dirname(BOOTSTRAP),
      }),
      execPath: process.execPath,
      execArgv: options.execArgv ?? [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // V8's serializer: the event travels as the one string it is, not escaped into a second JSON.
      serialization: 'advanced',
    });
    const env: Environment = {
      id: `${options.name}-${++serial}`,
      child,
      pid: child.pid ?? -1,
      state: 'initializing',
      logStreamName: stream,
      invocations: 0,
      createdAt: now.getTime(),
      lastUsedAt: now.getTime(),
      heldUntil: 0,
      exited: new Promise((resolve) => child.once('exit', () => resolve())),
    };
    environments.add(env);
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) onLog(line, { environmentId: env.id, logStreamName: env.logStreamName });
      });
    }
    child.on('message', (message: FromEnvironment) => env.listener?.(message));
    child.on('error', () => {});
    child.once('exit', (code, signal) => {
      retire(env);
      environments.delete(env);
      const listener = env.listener;
      env.listener = undefined;
      listener?.({ type: 'exit', code, signal });
    });
    counts.coldStarts++;
    return env;
  }

  /** Takes the environment out of service (it is dead or about to be). */
  function retire(env: Environment): void {
    env.state = 'dead';
    clearTimeout(env.idleTimer);
    clearTimeout(env.thawTimer);
    const at = idle.indexOf(env);
    if (at >= 0) idle.splice(at, 1);
  }

  function destroy(env: Environment): void {
    retire(env);
    if (env.child.exitCode === null && env.child.signalCode === null) env.child.kill('SIGKILL');
  }

  function signal(env: Environment, sig: 'SIGSTOP' | 'SIGCONT'): void {
    try {
      process.kill(env.pid, sig);
    } catch {
      // Already gone: its exit event retires it.
    }
  }

  function freeze(env: Environment): void {
    if (env.state === 'dead') return;
    signal(env, 'SIGSTOP');
    env.state = 'frozen';
    env.lastUsedAt = Date.now();
    idle.push(env);
    env.idleTimer = setTimeout(() => {
      counts.recycled++;
      destroy(env);
    }, idleRecycleMs);
    env.idleTimer.unref();
  }

  /** The most recently used frozen environment that no fault holds. */
  function takeIdle(): Environment | undefined {
    const now = Date.now();
    for (let i = idle.length - 1; i >= 0; i--) {
      const env = idle[i]!;
      if (env.heldUntil <= now) {
        idle.splice(i, 1);
        clearTimeout(env.idleTimer);
        return env;
      }
    }
    return undefined;
  }

  const running = () =>
    [...environments].filter((e) => e.state === 'busy' || e.state === 'initializing').length;

  type InitResult =
    | { ok: true; initMs: number }
    | { ok: false; error: RuntimeError }
    | { ok: false; timedOut: true };

  function initialize(env: Environment, withinMs: number, awsRequestId: string): Promise<InitResult> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        env.listener = undefined;
        destroy(env);
        resolve({ ok: false, timedOut: true });
      }, withinMs);
      env.listener = (event) => {
        if (event.type !== 'ready' && event.type !== 'initError' && event.type !== 'exit') return;
        clearTimeout(timer);
        env.listener = undefined;
        if (event.type === 'ready') {
          env.initMs = event.initMs;
          resolve({ ok: true, initMs: event.initMs });
        } else if (event.type === 'initError') {
          destroy(env);
          resolve({ ok: false, error: event.error });
        } else {
          resolve({ ok: false, error: exited(awsRequestId, event.code, event.signal) });
        }
      };
      const message: ToEnvironment = {
        type: 'init',
        modulePath: options.modulePath,
        handler: options.handler,
      };
      env.child.send(message);
    });
  }

  type Answer = { result: unknown; payload: string } | { error: RuntimeError; kind: 'Unhandled' };

  function run(
    env: Environment,
    event: unknown,
    awsRequestId: string,
    arn: string,
    deadline: number,
    timeoutAt = deadline,
  ) {
    return new Promise<Answer>((resolve) => {
      const thaw = env.state === 'frozen';
      env.state = 'busy';
      env.invocations++;
      counts.invocations++;
      const timer = setTimeout(
        () => {
          env.listener = undefined;
          counts.timeouts++;
          destroy(env);
          resolve({ error: timedOut(awsRequestId, timeoutMs), kind: 'Unhandled' });
        },
        Math.max(0, Math.min(deadline, timeoutAt) - Date.now()),
      );
      env.listener = (message) => {
        if (message.type === 'exit') {
          clearTimeout(timer);
          counts.crashes++;
          resolve({ error: exited(awsRequestId, message.code, message.signal), kind: 'Unhandled' });
          return;
        }
        if (
          (message.type !== 'response' && message.type !== 'error') ||
          message.awsRequestId !== awsRequestId
        ) {
          return;
        }
        clearTimeout(timer);
        env.listener = undefined;
        freeze(env);
        resolve(
          message.type === 'response'
            ? { result: JSON.parse(message.payload), payload: message.payload }
            : { error: message.error, kind: 'Unhandled' },
        );
      };
      const message: ToEnvironment = {
        type: 'invoke',
        event: event instanceof EventJson ? event.json : JSON.stringify(event === undefined ? null : event),
        awsRequestId,
        invokedFunctionArn: arn,
        deadlineMs: deadline,
      };
      env.child.send(message);
      if (thaw) signal(env, 'SIGCONT');
    });
  }

  async function invoke(event: unknown, invokeOptions: InvokeOptions = {}): Promise<InvokeOutcome> {
    if (closed) throw new Error(`${options.name}: the function pool is closed`);
    const started = Date.now();
    const awsRequestId = randomUUID();
    const arn = invokeOptions.qualifier ? `${functionArn}:${invokeOptions.qualifier}` : functionArn;
    const deadlineFrom = (now: number) =>
      Math.min(now + timeoutMs, invokeOptions.deadline ?? Number.POSITIVE_INFINITY);
    let env = takeIdle();
    const coldStart = env === undefined;
    let initMs: number | undefined;
    let deadline: number;
    const facts = () => ({
      awsRequestId,
      environmentId: env?.id ?? '',
      coldStart,
      ...(initMs !== undefined ? { initMs } : {}),
      durationMs: Date.now() - started,
    });
    if (env === undefined) {
      if (limit !== undefined ? running() >= limit : false) {
        counts.throttles++;
        throw new TooManyRequestsException('ReservedFunctionConcurrentInvocationLimitExceeded');
      }
      env = spawn();
      let init = await initialize(env, initLimitMs, awsRequestId);
      if (!init.ok && 'timedOut' in init) {
        // Lambda retries an overrun Init within the first invocation, under the function's timeout.
        deadline = deadlineFrom(Date.now());
        env = spawn();
        init = await initialize(env, Math.max(0, deadline - Date.now()), awsRequestId);
        if (!init.ok && 'timedOut' in init) {
          counts.timeouts++;
          return { error: timedOut(awsRequestId, timeoutMs), kind: 'Unhandled', ...facts() };
        }
      } else {
        deadline = deadlineFrom(Date.now());
      }
      if (!init.ok) return { error: init.error, kind: 'Unhandled', ...facts() };
      initMs = init.initMs;
    } else {
      deadline = deadlineFrom(started);
    }
    const answer = await run(env, event, awsRequestId, arn, deadline, invokeOptions.timeoutAt);
    return { ...answer, ...facts() };
  }

  function find(id: string): Environment | undefined {
    for (const env of environments) if (env.id === id && env.state !== 'dead') return env;
    return undefined;
  }

  const killAll = () => {
    for (const env of environments) {
      try {
        process.kill(env.pid, 'SIGKILL');
      } catch {}
    }
  };
  // A pool whose owner exits leaves no environment behind, frozen ones included.
  process.on('exit', killAll);

  return {
    invoke,
    stats: () => ({
      name: options.name,
      environments: [...environments]
        .filter((e) => e.state !== 'dead')
        .map((e) => ({
          id: e.id,
          pid: e.pid,
          state: e.state,
          logStreamName: e.logStreamName,
          invocations: e.invocations,
          ...(e.initMs !== undefined ? { initMs: e.initMs } : {}),
          createdAt: e.createdAt,
          lastUsedAt: e.lastUsedAt,
        })),
      ...counts,
    }),
    kill(id) {
      const env = find(id);
      if (!env) return false;
      destroy(env);
      return true;
    },
    freezeFor(id, ms) {
      const env = find(id);
      if (!env) return false;
      env.heldUntil = Math.max(env.heldUntil, Date.now() + ms);
      if (env.state === 'busy' || env.state === 'initializing') {
        signal(env, 'SIGSTOP');
        clearTimeout(env.thawTimer);
        env.thawTimer = setTimeout(() => {
          if (env.state === 'busy' || env.state === 'initializing') signal(env, 'SIGCONT');
        }, ms);
      }
      return true;
    },
    async close() {
      closed = true;
      const all = [...environments];
      for (const env of all) destroy(env);
      await Promise.all(all.map((e) => e.exited));
      process.off('exit', killAll);
      rmSync(home, { recursive: true, force: true });
    },
  };
}
