import type { RuntimeError } from './runtime-protocol.js';

/** The public shapes of an execution-environment pool (environment.ts). */

/** An event its caller already serialised (to check Invoke's payload limit): sent as is, not again. */
export class EventJson {
  constructor(readonly json: string) {}
}

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
  /**
   * Fault, Unix ms: the invocation is killed then as at its timeout, while its context still shows the
   * real deadline — a batch that ran past its time, as a slow call can make it.
   */
  timeoutAt?: number;
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
