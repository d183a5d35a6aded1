/**
 * Lambda execution environments for one function: each environment is a child process running
 * local/aws/runtime-bootstrap.ts, which loads the function's module once (cold start) and then serves
 * one invocation at a time. Between invocations the process is stopped (SIGSTOP), so no timer fires and
 * no socket is served until the next invocation thaws it (SIGCONT). At the function's timeout it is
 * killed (SIGKILL) with no cleanup. The pool never runs more environments at once than the reserved
 * concurrency, and kills an environment left idle for `idleRecycleMs`.
 *
 * The simulator knows a function only by its module path, handler, environment and settings, so any
 * Node.js Lambda function can run here. See docs/lambda-simulator.md, "Execution environments".
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FromEnvironment, RuntimeError, ToEnvironment } from './runtime-protocol.js';

export type { RuntimeError } from './runtime-protocol.js';

const BOOTSTRAP = fileURLToPath(new URL('./runtime-bootstrap.ts', import.meta.url));

/** The runtime the CDK app deploys (`Runtime.NODEJS_24_X`). */
export const EXECUTION_ENV = 'AWS_Lambda_nodejs24.x';
const DEFAULT_MEMORY_MB = 128;
const DEFAULT_TIMEOUT_MS = 3_000;
const DEFAULT_IDLE_RECYCLE_MS = 5 * 60_000;
/** Lambda's cap on the Init phase of an on-demand environment. */
const INIT_LIMIT_MS = 10_000;

/**
 * Environment variables Lambda sets itself and refuses in a function's configuration
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html).
 */
const RESERVED = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

export interface FunctionPoolOptions {
  name: string;
  /** The file that holds the handler (a bundle, or a source when `execArgv` brings a loader). */
  modulePath: string;
  /** `index.handler` style: the export after the first dot of the last path segment (`a.b` nests). */
  handler: string;
  /** The function's own variables. Lambda's reserved keys are refused, as CreateFunction refuses them. */
  environment?: Record<string, string>;
  memoryMb?: number;
  timeoutMs?: number;
  /** At most this many environments run at once; beyond, an invoke is throttled. 0 throttles all. */
  reservedConcurrency?: number;
  idleRecycleMs?: number;
  /** Init phase limit (Lambda: 10 s); overridable for tests. */
  initLimitMs?: number;
  region: string;
  accountId: string;
  /**
   * What the execution role's credentials would be. Lambda always sets them; by default the
   * environment gets inert placeholders, so an SDK client never looks for the host's own credentials.
   */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Node flags for the environment's process (e.g. a loader to run TypeScript sources). */
  execArgv?: string[];
  /** Each line an environment writes to stdout or stderr (Lambda sends these to CloudWatch Logs). */
  onLog?: (line: string, from: { environmentId: string; logStreamName: string }) => void;
}

export interface InvokeOptions {
  /** The alias (or version) the caller named; it ends `context.invokedFunctionArn`. */
  qualifier?: string;
  /** Unix ms: an earlier deadline than the function's timeout (a fault, or a caller's own budget). */
  deadline?: number;
}

interface InvokeFacts {
  awsRequestId: string;
  environmentId: string;
  coldStart: boolean;
  /** The module load, measured inside the environment (cold starts only). */
  initMs?: number;
  durationMs: number;
}

export type InvokeOutcome =
  | ({ result: unknown; payload: string } & InvokeFacts)
  | ({ error: RuntimeError; kind: 'Unhandled' | 'Handled' } & InvokeFacts);

/** Sync invoke refused at the concurrency limit: Lambda's 429. Nothing is queued. */
export class TooManyRequestsException extends Error {
  override readonly name = 'TooManyRequestsException';
  constructor(
    readonly reason:
      | 'ReservedFunctionConcurrentInvocationLimitExceeded'
      | 'ConcurrentInvocationLimitExceeded',
  ) {
    super('Rate Exceeded.');
  }
}

export type EnvironmentState = 'initializing' | 'busy' | 'frozen' | 'dead';

export interface EnvironmentStats {
  id: string;
  pid: number;
  state: EnvironmentState;
  logStreamName: string;
  invocations: number;
  initMs?: number;
  createdAt: number;
  lastUsedAt: number;
}

export interface PoolStats {
  name: string;
  environments: EnvironmentStats[];
  coldStarts: number;
  invocations: number;
  throttles: number;
  timeouts: number;
  crashes: number;
  recycled: number;
}

export interface FunctionPool {
  invoke(event: unknown, options?: InvokeOptions): Promise<InvokeOutcome>;
  stats(): PoolStats;
  /** Fault: SIGKILL one environment now; an invocation running there fails as Lambda reports a crash. */
  kill(environmentId: string): boolean;
  /**
   * Fault: stop one environment for `ms`. A busy one stalls mid-invocation (its timeout keeps running);
   * an idle one is not reused until the time has passed.
   */
  freezeFor(environmentId: string, ms: number): boolean;
  /** Kills every environment and waits until each process is gone. */
  close(): Promise<void>;
}

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

/** `YYYY/MM/DD/[$LATEST]<32 hex>`, the stream each environment writes to. */
function logStreamName(now: Date): string {
  const date = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${date}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

/** `Task timed out after 3.00 seconds`, in the shape the Invoke API answers today. */
function timedOut(awsRequestId: string, timeoutMs: number): RuntimeError {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${awsRequestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
  };
}

const SIGNAL_TEXT: Partial<Record<NodeJS.Signals, string>> = {
  SIGKILL: 'killed',
  SIGTERM: 'terminated',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
};

/** The runtime process died during an invocation (process.exit, an uncaught exception, a kill). */
function exited(awsRequestId: string, code: number | null, signal: NodeJS.Signals | null): RuntimeError {
  const reason =
    signal !== null
      ? `Runtime exited with error: signal: ${SIGNAL_TEXT[signal] ?? signal}`
      : code === 0
        ? 'Runtime exited without providing a reason'
        : `Runtime exited with error: exit status ${code}`;
  return { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${awsRequestId} Error: ${reason}` };
}

export function createFunctionPool(options: FunctionPoolOptions): FunctionPool {
  const own = options.environment ?? {};
  const reservedUsed = Object.keys(own).filter((key) => RESERVED.has(key));
  if (reservedUsed.length > 0) {
    throw new Error(
      `${options.name}: the environment sets keys Lambda reserves for itself: ${reservedUsed.join(', ')}`,
    );
  }
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

  function variables(stream: string): Record<string, string> {
    return {
      // Lambda's unreserved defaults, which the function's own variables may override.
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      LANG: 'en_US.UTF-8',
      TZ: ':UTC',
      HOME: home,
      ...own,
      _HANDLER: options.handler,
      AWS_REGION: options.region,
      AWS_DEFAULT_REGION: options.region,
      AWS_EXECUTION_ENV: EXECUTION_ENV,
      AWS_LAMBDA_FUNCTION_NAME: options.name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${options.name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: stream,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
      LAMBDA_TASK_ROOT: taskRoot,
      LAMBDA_RUNTIME_DIR: dirname(BOOTSTRAP),
    };
  }

  function spawn(): Environment {
    const now = new Date();
    const stream = logStreamName(now);
    const child = fork(BOOTSTRAP, [], {
      cwd: taskRoot,
      env: variables(stream),
      execPath: process.execPath,
      execArgv: options.execArgv ?? [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
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

  function run(env: Environment, event: unknown, awsRequestId: string, arn: string, deadline: number) {
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
        Math.max(0, deadline - Date.now()),
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
        event: JSON.stringify(event === undefined ? null : event),
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
        // Lambda retries an Init that overran its limit within the first invocation, under the
        // function's timeout.
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
    const answer = await run(env, event, awsRequestId, arn, deadline);
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
