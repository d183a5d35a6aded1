import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AsyncLogEntry, AsyncQueueOptions } from './async-queue.js';
import { EsmPollers, type KafkaOptions } from './esm-pollers.js';
import { EventSourceMappings } from './event-source-mappings.js';
import { FunctionRegistry } from './functions.js';
import { type FunctionRegistration, Invocations } from './invoke.js';
import type { PollerStats } from './kafka-poller.js';
import { LambdaApiError } from './lambda-errors.js';
import { functionArn } from './lambda-names.js';
import { loadLambdaState, saveLambdaState } from './lambda-state.js';
import { fromBrowser, isLoopback, listenOnLoopback } from './loopback.js';

export interface LambdaApiOptions {
  /** 0 picks a free port. @default 3001 (the port `sam local start-lambda` uses) */
  port?: number;
  /** A loopback address: the API has no authentication. @default '127.0.0.1' */
  host?: string;
  /** @default 'us-east-1' */
  region?: string;
  /** @default '000000000000' */
  accountId?: string;
  /**
   * Where aliases and event source mappings are kept across restarts, as AWS keeps them. @default none
   * (held in memory only)
   */
  stateFile?: string;
  /** The async (`Event`) queue: throttle backoff and the duplicate-delivery fault. */
  async?: AsyncQueueOptions;
  /** The Kafka event source mappings' pollers: MSK clusters' brokers, retry backoff. */
  kafka?: KafkaOptions;
}

export interface LambdaApi {
  /** `http://host:port`, with the port actually bound: the `endpoint` of a LambdaClient. */
  url: string;
  /**
   * Stops the mappings' pollers and the async worker (nothing is drained), closes the pools registered
   * here, waits for the pollers to leave their groups, then closes the server.
   */
  close(): Promise<void>;
  /**
   * Makes a function exist (with `$LATEST` only); answers its ARN. Idempotent. With a `pool`, Invoke runs
   * it there; the API then owns the pool and closes it on `close()`.
   */
  registerFunction(name: string, registration?: FunctionRegistration): string;
  /** What the async queue did with each `Event` invocation, in order. */
  asyncLog(): AsyncLogEntry[];
  /** Fault: deliver this share (0..1) of later `Event` invocations twice (seeded PRNG). */
  setDuplicateRate(rate: number, seed?: number): void;
  /** Fault: deliver each of the next `n` `Event` invocations twice. */
  duplicateNext(n: number): void;
  /** What a Kafka mapping's poller has done (invocations, records, errors, retries, commits); undefined if it never ran. */
  eventSourceMappingStats(uuid: string): PollerStats | undefined;
}

/**
 * The Lambda control plane over HTTP, as `@aws-sdk/client-lambda` (REST-JSON) speaks it: aliases and
 * Kafka event source mappings, held in memory. docs/simulator/lambda-api.md lists what follows AWS and what
 * is a choice.
 * @example
 * const api = await startLambdaApi({ port: 0 });
 * api.registerFunction('sink-fn');
 * const lambda = new LambdaClient({ endpoint: api.url, region: 'us-east-1', credentials });
 */
export async function startLambdaApi(options: LambdaApiOptions = {}): Promise<LambdaApi> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host))
    throw new Error(`refusing to listen on '${host}': the Lambda API listens on loopback only`);
  const scope = { region: options.region ?? 'us-east-1', accountId: options.accountId ?? '000000000000' };
  const functions = new FunctionRegistry(scope);
  const invocations = new Invocations(functions, options.async);
  const pollers = new EsmPollers(invocations, options.kafka);
  const mappings = new EventSourceMappings(functions, pollers);
  const routes = lambdaRoutes(functions, mappings);
  const { stateFile } = options;
  if (stateFile) loadLambdaState(stateFile, functions, mappings);
  const server = createServer((req, res) => {
    serve(req, routes, invocations).then(
      (reply) => {
        // A read may settle a mapping (a `Deleting` one goes), so any control-plane request may change state.
        if (stateFile && !req.url?.includes('/invocations')) saveLambdaState(stateFile, functions, mappings);
        send(res, reply);
      },
      (error) => send(res, errorReply(error)),
    );
  });
  const url = await listenOnLoopback(server, options.port ?? 3001, host, 'the Lambda API');
  return {
    url,
    async close() {
      // Pollers first, so none retries into a closing pool; an invocation in flight ends as the pool closes.
      const pollersStopped = pollers.close();
      await invocations.close();
      await pollersStopped;
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
    registerFunction(name, registration = {}) {
      functions.register(name);
      invocations.register(name, registration);
      pollers.functionRegistered(name);
      return functionArn(scope, name);
    },
    asyncLog: () => invocations.queue.log(),
    setDuplicateRate: (rate, seed) => invocations.queue.setDuplicateRate(rate, seed),
    duplicateNext: (n) => invocations.queue.duplicateNext(n),
    eventSourceMappingStats: (uuid) => pollers.stats(uuid),
  };
}

interface Reply {
  status: number;
  body?: unknown;
  /** A body sent as is (Invoke's payload), instead of `body` as JSON. */
  raw?: string;
  headers?: Record<string, string>;
}

type Route = (params: string[], body: Record<string, unknown>, query: URLSearchParams) => Reply;

/** `METHOD path-pattern` → handler; `*` matches one path segment, passed on decoded. */
function lambdaRoutes(functions: FunctionRegistry, mappings: EventSourceMappings): [string, Route][] {
  const FN = '/2015-03-31/functions/*/aliases';
  const ESM = '/2015-03-31/event-source-mappings';
  return [
    [`POST ${FN}`, ([fn], body) => ({ status: 201, body: functions.createAlias(fn as string, body) })],
    [`GET ${FN}`, ([fn], _, q) => ({ status: 200, body: functions.listAliases(fn as string, q) })],
    [
      `GET ${FN}/*`,
      ([fn, name]) => ({ status: 200, body: functions.getAlias(fn as string, name as string) }),
    ],
    [
      `DELETE ${FN}/*`,
      ([fn, name]) => {
        functions.deleteAlias(fn as string, name as string);
        return { status: 204 };
      },
    ],
    // The SDK sends no trailing slash; the API reference and older clients do.
    ...[ESM, `${ESM}/`].flatMap((path): [string, Route][] => [
      [`POST ${path}`, (_, body) => ({ status: 202, body: mappings.create(body) })],
      [`GET ${path}`, (_, __, q) => ({ status: 200, body: mappings.list(q) })],
    ]),
    [`GET ${ESM}/*`, ([id]) => ({ status: 200, body: mappings.get(id as string) })],
    [`PUT ${ESM}/*`, ([id], body) => ({ status: 202, body: mappings.update(id as string, body) })],
    [`DELETE ${ESM}/*`, ([id]) => ({ status: 202, body: mappings.delete(id as string) })],
  ];
}

async function serve(
  req: IncomingMessage,
  routes: [string, Route][],
  invocations: Invocations,
): Promise<Reply> {
  refuseBrowsers(req);
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const segments = (q < 0 ? url : url.slice(0, q)).split('/');
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  // Invoke: its body is the payload (up to 6 MB, any JSON), not a request document.
  if (req.method === 'POST' && segments.length === 5 && segments[1] === '2015-03-31') {
    if (segments[2] === 'functions' && segments[4] === 'invocations') {
      const requestId = randomUUID();
      const reply = await invocations.handle(req, decodeSegment(segments[3] as string), query, requestId);
      return { ...reply, headers: { 'x-amzn-RequestId': requestId, ...reply.headers } };
    }
  }
  for (const [key, route] of routes) {
    const [method, pattern] = key.split(' ') as [string, string];
    const parts = pattern.split('/');
    if (method !== req.method || parts.length !== segments.length) continue;
    if (!parts.every((p, i) => p === '*' || p === segments[i])) continue;
    const params = segments.filter((_, i) => parts[i] === '*').map(decodeSegment);
    return route(params, await readJson(req), query);
  }
  throw new LambdaApiError(
    'UnknownOperationException',
    `No Lambda operation is ${req.method} ${url.slice(0, 200)}`,
  );
}

/** Nothing here checks credentials: a web page (loopback.ts, `fromBrowser`) is refused. */
function refuseBrowsers(req: IncomingMessage): void {
  if (fromBrowser(req)) {
    throw new LambdaApiError(
      'AccessDeniedException',
      'The local Lambda API answers command-line clients and SDKs on this machine only',
    );
  }
}

const MAX_BODY = 1024 * 1024;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  // An oversized body is read to its end and dropped, so the client gets the 413 rather than a reset.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY) chunks.push(chunk);
  }
  if (size > MAX_BODY) {
    throw new LambdaApiError('RequestTooLargeException', `Request must be smaller than ${MAX_BODY} bytes`);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new LambdaApiError(
      'InvalidRequestContentException',
      'Could not parse request body into json: expected a JSON object',
    );
  }
  return body as Record<string, unknown>;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new LambdaApiError(
      'InvalidParameterValueException',
      `Malformed path segment '${segment.slice(0, 200)}'`,
    );
  }
}

function errorReply(error: unknown): Reply {
  // Anything not raised on purpose is the service's fault: a 500 the SDK retries, never a crash.
  const e = error instanceof LambdaApiError ? error : new LambdaApiError('ServiceException', String(error));
  return { status: e.status, body: e.body(), headers: { 'x-amzn-ErrorType': e.code } };
}

function send(res: ServerResponse, reply: Reply): void {
  const body = reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
  const headers = { 'Content-Type': 'application/json', 'x-amzn-RequestId': randomUUID(), ...reply.headers };
  res.writeHead(reply.status, headers).end(body);
}
