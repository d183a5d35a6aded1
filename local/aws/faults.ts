/**
 * Faults on demand, for tests and for a person trying things: kill or freeze an execution environment,
 * time out or throttle the next invocations of a function, deliver async events twice, restart a
 * service. One small HTTP interface on loopback (docs/lambda-simulator.md, "Faults"), and the same
 * operations in-process for tests.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FunctionPool, type InvokeOptions, TooManyRequestsException } from './environment.js';

/** A pool whose next invocations can be made to time out or be throttled. */
export interface FaultyPool extends FunctionPool {
  /**
   * The next `count` invocations are killed `afterMs` after they start, as at their timeout
   * (`Sandbox.Timedout`), while their context shows the real deadline: a batch that overran.
   */
  timeoutNext(count: number, afterMs?: number): void;
  /** The next `count` invocations are refused with TooManyRequestsException, as at a concurrency limit. */
  throttleNext(count: number): void;
}

export function faultyPool(pool: FunctionPool): FaultyPool {
  let timeouts: { count: number; afterMs: number } = { count: 0, afterMs: 0 };
  let throttles = 0;
  return {
    invoke(event: unknown, options: InvokeOptions = {}) {
      if (throttles > 0) {
        throttles--;
        return Promise.reject(new TooManyRequestsException('ConcurrentInvocationLimitExceeded'));
      }
      if (timeouts.count > 0) {
        timeouts = { ...timeouts, count: timeouts.count - 1 };
        return pool.invoke(event, { ...options, timeoutAt: Date.now() + timeouts.afterMs });
      }
      return pool.invoke(event, options);
    },
    stats: () => pool.stats(),
    kill: (id) => pool.kill(id),
    freezeFor: (id, ms) => pool.freezeFor(id, ms),
    close: () => pool.close(),
    timeoutNext(count, afterMs = 0) {
      timeouts = { count, afterMs };
    },
    throttleNext(count) {
      throttles = count;
    },
  };
}

export interface FaultTargets {
  /** The simulated functions' pools, by function name. */
  pools: ReadonlyMap<string, FaultyPool>;
  duplicateNext(n: number): void;
  setDuplicateRate(rate: number, seed?: number): void;
  /** Services that can be restarted (e.g. the dev stack's `kafka`, `dynamodb`). */
  restart?: Readonly<Record<string, () => Promise<void>>>;
}

type Body = Record<string, unknown>;

/** Applies one fault; answers what it did. Throws a FaultError (400/404) on a bad request. */
export async function applyFault(targets: FaultTargets, action: string, body: Body): Promise<unknown> {
  const pool = () => {
    const name = String(body.function ?? '');
    const found = targets.pools.get(name) ?? [...targets.pools].find(([n]) => n.includes(name))?.[1];
    if (!name || !found) throw new FaultError(404, `no function '${name}' (GET /faults lists them)`);
    return found;
  };
  const count = positive(body.count, 1);
  switch (action) {
    case 'kill':
    case 'freeze': {
      const p = pool();
      const envs = p.stats().environments.filter((e) => e.state !== 'dead');
      const chosen =
        body.environment === undefined
          ? (envs.find((e) => e.state === 'busy') ?? envs[0])
          : envs.find((e) => e.id === body.environment);
      if (!chosen) throw new FaultError(404, 'no such live environment');
      const ok =
        action === 'kill' ? p.kill(chosen.id) : p.freezeFor(chosen.id, positive(body.seconds, 10) * 1000);
      return { [action === 'kill' ? 'killed' : 'frozen']: ok ? chosen.id : null };
    }
    case 'timeout':
      pool().timeoutNext(count, positive(body.afterMs, 0));
      return { timeoutNext: count };
    case 'throttle':
      pool().throttleNext(count);
      return { throttleNext: count };
    case 'duplicate':
      if (typeof body.rate === 'number') targets.setDuplicateRate(body.rate, positive(body.seed, 1));
      else targets.duplicateNext(count);
      return typeof body.rate === 'number' ? { duplicateRate: body.rate } : { duplicateNext: count };
    case 'restart': {
      const service = String(body.service ?? '');
      const restart = targets.restart?.[service];
      if (!restart) {
        const known = Object.keys(targets.restart ?? {}).join(', ') || 'none';
        throw new FaultError(404, `cannot restart '${service}' (known: ${known})`);
      }
      await restart();
      return { restarted: service };
    }
    default:
      throw new FaultError(404, `no fault '${action}' (kill, freeze, timeout, throttle, duplicate, restart)`);
  }
}

export class FaultError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * `GET /faults` lists the functions and their environments; `POST /faults/<action>` with a JSON body
 * applies one (e.g. `{"function":"…TaskRunner…"}`). Loopback only, and no browser: it has no auth.
 */
export async function startFaultServer(
  targets: FaultTargets,
  options: { port?: number; host?: string } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    handle(req, targets).then(
      ([status, body]) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
      (error: unknown) => {
        const status = error instanceof FaultError ? error.status : 500;
        res
          .writeHead(status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: String((error as Error).message) }));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3002, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(req: IncomingMessage, targets: FaultTargets): Promise<[number, unknown]> {
  const host = /^([^:]*|\[[^\]]*\])(?::\d+)?$/.exec(req.headers.host ?? '')?.[1] ?? '';
  if (req.headers.origin !== undefined || !/^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(host))
    throw new FaultError(403, 'the fault interface answers clients on this machine only');
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (req.method === 'GET' && path === '/faults') {
    return [
      200,
      {
        functions: [...targets.pools].map(([, p]) => p.stats()),
        restart: Object.keys(targets.restart ?? {}),
      },
    ];
  }
  const action = /^\/faults\/([a-z]+)$/.exec(path)?.[1];
  if (req.method !== 'POST' || action === undefined)
    throw new FaultError(404, 'GET /faults or POST /faults/<action>');
  let text = '';
  for await (const chunk of req as AsyncIterable<Buffer>) {
    text += chunk.toString('utf8');
    if (text.length > 65_536) throw new FaultError(413, 'body too large');
  }
  let body: unknown = {};
  try {
    body = text.trim() ? JSON.parse(text) : {};
  } catch {
    throw new FaultError(400, 'the body must be a JSON object');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new FaultError(400, 'the body must be a JSON object');
  return [200, await applyFault(targets, action, body as Body)];
}

function positive(value: unknown, fallback: number): number {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) && n >= 0 ? n : fallback;
}
