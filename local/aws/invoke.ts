/**
 * The Invoke operation (`POST /2015-03-31/functions/{FunctionName}/invocations`) as
 * `@aws-sdk/client-lambda` sends and reads it: `RequestResponse` runs the event in the function's pool,
 * `Event` hands it to the async queue, `DryRun` only checks the request. See docs/simulator/invoke.md.
 */
import type { IncomingMessage } from 'node:http';
import { type AsyncInvokeConfig, AsyncQueue, type AsyncQueueOptions } from './async-queue.js';
import { EventJson, type FunctionPool } from './environment.js';
import type { FunctionRegistry } from './functions.js';
import { constraint, LambdaApiError } from './lambda-errors.js';
import { parseFunctionName } from './lambda-names.js';

/** Sync request and response limit: 6 MB (Invoke API reference). */
export const SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;
/** Async request limit: 1 MB since the raise from 256 KB (AWS announced the raise to 1 MB for async invocations). */
export const ASYNC_PAYLOAD_LIMIT = 1024 * 1024;
/** The figure AWS's `Function.ResponseSizeTooLarge` message names (6 MB + 100 bytes) [3p]. */
const RESPONSE_LIMIT_IN_MESSAGE = 6_291_556;
const CLIENT_CONTEXT_LIMIT = 3_583;

export interface FunctionRegistration {
  /** The execution environments that run the function. Without one, Invoke answers 404 UnknownOperationException. */
  pool?: FunctionPool;
  asyncConfig?: AsyncInvokeConfig;
  /** The delays before the async retries after a function error. @default [60000, 120000] */
  retryDelaysMs?: readonly [number, number];
}

export interface InvokeReply {
  status: number;
  headers: Record<string, string>;
  raw: string;
}

const INVOCATION_TYPES = ['Event', 'RequestResponse', 'DryRun'];
const LOG_TYPES = ['None', 'Tail'];

export class Invocations {
  readonly #targets = new Map<string, FunctionRegistration>();
  readonly queue: AsyncQueue;

  constructor(
    readonly functions: FunctionRegistry,
    queueOptions: AsyncQueueOptions = {},
  ) {
    this.queue = new AsyncQueue(queueOptions);
  }

  register(name: string, registration: FunctionRegistration): void {
    const known = this.#targets.get(name);
    // A later call without a pool keeps the pool already given (registerFunction stays idempotent).
    this.#targets.set(name, { ...known, ...stripUndefined(registration) });
  }

  /** Whether Invoke can run the function: it was registered with a pool. */
  hasPool(name: string): boolean {
    return this.#targets.get(name)?.pool !== undefined;
  }

  /**
   * RequestResponse from inside the service, as an event source mapping's poller invokes: the same path
   * as Invoke's (the alias must exist, 6 MB each way). Throws TooManyRequestsException on a throttle and
   * LambdaApiError when the function, the alias or its pool is missing.
   */
  async invokeSync(functionName: string, event: unknown): Promise<SyncRun> {
    const fn = this.functions.resolve(parseFunctionName(functionName));
    const pool = this.#targets.get(fn.name)?.pool;
    if (pool === undefined) {
      throw new LambdaApiError(
        'UnknownOperationException',
        `Invoke is not simulated for ${fn.name}: no pool`,
      );
    }
    const json = JSON.stringify(event ?? null);
    if (Buffer.byteLength(json) > SYNC_PAYLOAD_LIMIT) {
      throw new LambdaApiError(
        'RequestTooLargeException',
        `Request must be smaller than ${SYNC_PAYLOAD_LIMIT} bytes for the InvokeFunction operation`,
      );
    }
    const qualified = fn.qualifier !== undefined && fn.qualifier !== '$LATEST' ? fn.qualifier : undefined;
    return runSync(pool, new EventJson(json), qualified);
  }

  /** Stops the async worker and closes every pool registered here, waiting for their processes. */
  async close(): Promise<void> {
    this.queue.stop();
    const pools = new Set([...this.#targets.values()].flatMap((t) => (t.pool ? [t.pool] : [])));
    await Promise.all([...pools].map((p) => p.close()));
  }

  async handle(
    req: IncomingMessage,
    functionName: string,
    query: URLSearchParams,
    requestId: string,
  ): Promise<InvokeReply> {
    const type = header(req, 'x-amz-invocation-type') ?? 'RequestResponse';
    // Read first: an error answered before the body is consumed could reset a large upload.
    const limit = type === 'Event' ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT;
    const body = await readBody(req, limit);
    const ref = parseFunctionName(functionName);
    const qualifierParam = query.get('Qualifier') ?? undefined;
    if (qualifierParam !== undefined && ref.qualifier !== undefined && qualifierParam !== ref.qualifier) {
      throw new LambdaApiError(
        'InvalidParameterValueException',
        'The derived qualifier from the function name does not match the specified qualifier.',
      );
    }
    const qualifier = ref.qualifier ?? qualifierParam;
    const fn = this.functions.resolve({ ...ref, qualifier });
    if (!INVOCATION_TYPES.includes(type)) {
      throw constraint(type, 'invocationType', `satisfy enum value set: [${INVOCATION_TYPES.join(', ')}]`);
    }
    const logType = header(req, 'x-amz-log-type') ?? 'None';
    if (!LOG_TYPES.includes(logType)) {
      throw constraint(logType, 'logType', `satisfy enum value set: [${LOG_TYPES.join(', ')}]`);
    }
    checkClientContext(header(req, 'x-amz-client-context'));
    if (body === undefined) {
      return errorReply(413, 'RequestEntityTooLargeException', {
        message: `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
      });
    }
    const event = parsePayload(body);
    const target = this.#targets.get(fn.name);
    const pool = target?.pool;
    if (pool === undefined || target === undefined) {
      // Not a 5xx, which the SDK would retry: nothing here can run this function.
      throw new LambdaApiError(
        'UnknownOperationException',
        `Invoke is not simulated for ${fn.name}: it was registered without a pool (registerFunction(name, { pool }))`,
      );
    }
    const qualified = fn.qualifier !== undefined && fn.qualifier !== '$LATEST' ? fn.qualifier : undefined;
    // Aliases can point only at $LATEST here (functions.ts), so that is always the version executed.
    const executed = { 'X-Amz-Executed-Version': '$LATEST' };
    if (type === 'DryRun') return { status: 204, headers: executed, raw: '' };
    if (type === 'Event') {
      this.queue.enqueue({ name: fn.name, ...target, pool }, event, qualified, requestId);
      return { status: 202, headers: {}, raw: '' };
    }
    let run: SyncRun;
    try {
      run = await runSync(pool, event, qualified);
    } catch (error) {
      if (error instanceof Error && error.name === 'TooManyRequestsException') {
        const reason = (error as { reason?: string }).reason ?? 'ConcurrentInvocationLimitExceeded';
        return errorReply(429, 'TooManyRequestsException', { message: error.message, Reason: reason });
      }
      throw error;
    }
    const { outcome, payload, functionError } = run;
    const headers: Record<string, string> = { ...executed };
    if (functionError) headers['X-Amz-Function-Error'] = 'Unhandled';
    if (logType === 'Tail') headers['X-Amz-Log-Result'] = tailLog(outcome, functionError);
    return { status: 200, headers, raw: payload };
  }
}

/** A RequestResponse run: the payload Invoke answers, and whether it carries `X-Amz-Function-Error`. */
export interface SyncRun {
  outcome: Awaited<ReturnType<FunctionPool['invoke']>>;
  payload: string;
  functionError: boolean;
}

/** RequestResponse in the pool, with the 6 MB response check; a throttle throws TooManyRequestsException. */
async function runSync(pool: FunctionPool, event: unknown, qualifier: string | undefined): Promise<SyncRun> {
  const outcome = await pool.invoke(event, qualifier ? { qualifier } : {});
  if ('error' in outcome) return { outcome, payload: JSON.stringify(outcome.error), functionError: true };
  if (Buffer.byteLength(outcome.payload) > SYNC_PAYLOAD_LIMIT) {
    const payload = JSON.stringify({
      errorMessage: `Response payload size exceeded maximum allowed payload size (${RESPONSE_LIMIT_IN_MESSAGE} bytes).`,
      errorType: 'Function.ResponseSizeTooLarge',
    });
    return { outcome, payload, functionError: true };
  }
  return { outcome, payload: outcome.payload, functionError: false };
}

/**
 * The function's own output is not captured here (the pool sends it to its `onLog`), so the tail holds
 * only the lines the Lambda service itself writes.
 */
function tailLog(outcome: { awsRequestId: string; durationMs: number; initMs?: number }, failed: boolean) {
  const id = outcome.awsRequestId;
  const lines = [
    `START RequestId: ${id} Version: $LATEST`,
    `END RequestId: ${id}`,
    `REPORT RequestId: ${id}\tDuration: ${outcome.durationMs.toFixed(2)} ms${
      outcome.initMs !== undefined ? `\tInit Duration: ${outcome.initMs.toFixed(2)} ms` : ''
    }${failed ? '\tStatus: error' : ''}\t`,
  ];
  return Buffer.from(`${lines.join('\n')}\n`)
    .subarray(-4096)
    .toString('base64');
}

function errorReply(status: number, code: string, body: Record<string, string>): InvokeReply {
  return {
    status,
    headers: { 'x-amzn-ErrorType': code, 'Content-Type': 'application/json' },
    raw: JSON.stringify({ Type: 'User', ...body }),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `X-Amz-Client-Context`: base64 of a JSON object, at most 3,583 bytes (model). Not passed on. */
function checkClientContext(value: string | undefined): void {
  if (value === undefined) return;
  if (value.length > CLIENT_CONTEXT_LIMIT) {
    throw constraint('...', 'clientContext', `have length less than or equal to ${CLIENT_CONTEXT_LIMIT}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new LambdaApiError(
      'InvalidRequestContentException',
      'Client context must be a valid Base64-encoded JSON object.',
    );
  }
}

/** The body, or undefined when it is over `limit` (read to its end, so the client gets the 413). */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  return size > limit ? undefined : Buffer.concat(chunks);
}

/** An empty payload is the event `{}`; anything else must be JSON. */
function parsePayload(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new LambdaApiError(
      'InvalidRequestContentException',
      `Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`,
    );
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
