import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { ConnectError, type Password, RetriableError, type SinkRecord, SinkTask } from '../../api/index.js';
import {
  type AddressPolicy,
  displayUrl,
  guardedLookup,
  ipLiteral,
  RefusedAddressError,
  type Resolver,
  refusedAddress,
} from './address-policy.js';
import {
  AUTH_TYPE,
  BATCH_MAX_BYTES,
  BATCH_MAX_SIZE,
  BEARER_TOKEN,
  HEADER_SEPARATOR,
  HEADERS,
  httpConfigDef,
  MAX_RETRIES,
  METHOD,
  PASSWORD,
  REQUEST_TIMEOUT,
  RETRY_AFTER_MAX,
  RETRY_BACKOFF,
  RETRY_BACKOFF_MAX,
  URL_CONFIG,
  USER,
  VERSION,
} from './config.js';
import { toJson } from './json-body.js';

/** How one request ended. */
type Outcome =
  | { ok: true }
  | { ok: false; retriable: boolean; status: number; message: string; waitMs?: number };

/** Parses Retry-After (delta seconds or an HTTP date) into milliseconds. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Splits records into batches of at most `maxSize` records and about `maxBytes` body bytes. */
export function batches(bodies: readonly string[], maxSize: number, maxBytes: number): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  let bytes = 2;
  bodies.forEach((body, i) => {
    const size = Buffer.byteLength(body) + 1;
    if (current.length > 0 && (current.length >= maxSize || bytes + size > maxBytes)) {
      out.push(current);
      current = [];
      bytes = 2;
    }
    current.push(i);
    bytes += size;
  });
  if (current.length > 0) out.push(current);
  return out;
}

/** How the task reaches the network: the address policy, and (tests) a resolver in place of DNS. */
export interface HttpSinkOptions extends AddressPolicy {
  resolve?: Resolver;
}

/** Secure by default: a task built without options reaches public addresses only. */
const PUBLIC_ONLY: HttpSinkOptions = { allowPrivateNetworks: false };

/**
 * Sends each `put` as requests of JSON arrays of record values. 408/429/5xx and network failures are
 * retried with exponential backoff (or the server's Retry-After, bounded); past `max.retries` the put
 * throws a RetriableError and the runtime redelivers. Any other 4xx is the records' fault: a batch is
 * split to find the bad records, which go to the errant record reporter (DLQ) under
 * `errors.tolerance=all`, or fail the task otherwise.
 *
 * Where it may send is checked on the address connected to (`address-policy.ts`): an IP literal before
 * the request, a host name by the sockets' own lookup, so DNS rebinding cannot slip past. A refused
 * address fails the task (not retried). Redirects are not followed: a 3xx fails the task too, since a
 * redirect is where an allowed URL would lead to a refused address.
 */
export class HttpSinkTask extends SinkTask {
  private url = '';
  private parsedUrl?: URL;
  private readonly options: HttpSinkOptions;
  private agent?: HttpAgent;
  private method = 'POST';
  private headers: Record<string, string> = {};
  private maxSize = 100;
  private maxBytes = 1_048_576;
  private maxRetries = 5;
  private backoffMs = 200;
  private backoffMaxMs = 5_000;
  private retryAfterMaxMs = 10_000;
  private timeoutMs = 30_000;
  private tolerateAll = false;

  version = () => VERSION;

  constructor(options: HttpSinkOptions = PUBLIC_ONLY) {
    super();
    this.options = options;
  }

  start(props: Readonly<Record<string, string>>): void {
    const p = httpConfigDef(this.options).parse(props);
    this.url = p[URL_CONFIG] as string;
    this.parsedUrl = new URL(this.url);
    const lookup = guardedLookup(this.options, this.options.resolve);
    const Agent = this.parsedUrl.protocol === 'https:' ? HttpsAgent : HttpAgent;
    this.agent = new Agent({ keepAlive: true, lookup });
    this.method = p[METHOD] as string;
    this.maxSize = p[BATCH_MAX_SIZE] as number;
    this.maxBytes = p[BATCH_MAX_BYTES] as number;
    this.maxRetries = p[MAX_RETRIES] as number;
    this.backoffMs = p[RETRY_BACKOFF] as number;
    this.backoffMaxMs = p[RETRY_BACKOFF_MAX] as number;
    this.retryAfterMaxMs = p[RETRY_AFTER_MAX] as number;
    this.timeoutMs = p[REQUEST_TIMEOUT] as number;
    this.tolerateAll = (props['errors.tolerance'] ?? 'none').toLowerCase() === 'all';
    this.headers = { 'Content-Type': 'application/json' };
    const sep = p[HEADER_SEPARATOR] as string;
    for (const pair of String(p[HEADERS])
      .split(sep)
      .filter((x) => x.trim())) {
      const colon = pair.indexOf(':');
      if (colon <= 0) throw new ConnectError(`Invalid header '${pair}': expected Name:Value`);
      this.headers[pair.slice(0, colon).trim()] = pair.slice(colon + 1).trim();
    }
    const auth = p[AUTH_TYPE] as string;
    if (auth === 'BASIC') {
      const password = (p[PASSWORD] as Password | null)?.value() ?? '';
      this.headers.Authorization = `Basic ${Buffer.from(`${p[USER] ?? ''}:${password}`).toString('base64')}`;
    } else if (auth === 'BEARER') {
      const token = (p[BEARER_TOKEN] as Password | null)?.value();
      if (!token) throw new ConnectError('auth.type BEARER needs bearer.token');
      this.headers.Authorization = `Bearer ${token}`;
    }
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    if (records.length === 0) return;
    const bodies = records.map((r) => JSON.stringify(toJson(r.value, r.valueSchema)) ?? 'null');
    for (const batch of batches(bodies, this.maxSize, this.maxBytes)) {
      const outcome = await this.sendWithRetries(batch.map((i) => bodies[i] as string));
      if (outcome.ok) continue;
      // A client error: find the records at fault by sending each alone.
      for (const i of batch) {
        const single = batch.length === 1 ? outcome : await this.sendWithRetries([bodies[i] as string]);
        if (!single.ok) await this.reject(records[i] as SinkRecord, single);
      }
    }
  }

  private async reject(record: SinkRecord, outcome: Outcome & { ok: false }): Promise<void> {
    const error = new ConnectError(
      `HTTP ${outcome.status} from ${this.method} ${displayUrl(this.url)}: ${outcome.message}`,
    );
    if (!this.tolerateAll) throw error;
    await this.context.errantRecordReporter()?.report(record, error);
  }

  /** Sends one request, retrying retriable failures; answers the final non-retriable outcome. */
  private async sendWithRetries(bodies: readonly string[]): Promise<Outcome> {
    const body = `[${bodies.join(',')}]`;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.send(body);
      if (outcome.ok || !outcome.retriable) return outcome;
      const backoff = Math.min(this.backoffMaxMs, this.backoffMs * 2 ** attempt);
      const wait = outcome.waitMs === undefined ? backoff : Math.min(outcome.waitMs, this.retryAfterMaxMs);
      if (attempt >= this.maxRetries) {
        this.context.timeout(wait);
        throw new RetriableError(
          `HTTP ${outcome.status || 'error'} from ${displayUrl(this.url)} after ${attempt + 1} attempts: ${outcome.message}`,
        );
      }
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  private async send(body: string): Promise<Outcome> {
    const url = this.parsedUrl as URL;
    const literal = ipLiteral(url.hostname);
    const reason = literal === undefined ? undefined : refusedAddress(literal, this.options);
    if (literal !== undefined && reason) throw new RefusedAddressError(url.host, literal, reason);
    let res: { status: number; text: string; headers: IncomingMessage['headers'] };
    try {
      res = await this.request(url, body);
    } catch (error) {
      if (error instanceof RefusedAddressError) throw error;
      return { ok: false, retriable: true, status: 0, message: (error as Error).message };
    }
    if (res.status >= 200 && res.status < 300) return { ok: true };
    if (res.status >= 300 && res.status < 400) {
      const location =
        typeof res.headers.location === 'string'
          ? ` to ${displayUrl(new URL(res.headers.location, url))}`
          : '';
      throw new ConnectError(
        `HTTP ${res.status} from ${this.method} ${displayUrl(url)}: the HTTP sink does not follow redirects (this one${location}); set ${URL_CONFIG} to the final URL`,
      );
    }
    const retriable = res.status === 408 || res.status === 429 || res.status >= 500;
    const retryAfter = res.headers['retry-after'];
    return {
      ok: false,
      retriable,
      status: res.status,
      message: res.text.slice(0, 500),
      waitMs: retryAfterMs(typeof retryAfter === 'string' ? retryAfter : null),
    };
  }

  /** One request on the task's agent (whose lookup checks every address); the body read to the end. */
  private request(
    url: URL,
    body: string,
  ): Promise<{ status: number; text: string; headers: IncomingMessage['headers'] }> {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        url,
        {
          method: this.method,
          headers: { ...this.headers, 'Content-Length': String(Buffer.byteLength(body)) },
          agent: this.agent,
          signal: AbortSignal.timeout(this.timeoutMs),
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            // Only the first 500 characters are reported; the rest is drained, not kept.
            if (size < 4096) chunks.push(chunk);
            size += chunk.length;
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              text: Buffer.concat(chunks).toString('utf8'),
              headers: res.headers,
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  stop(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }
}

const TASK_CLASSES = new Map<string, new () => HttpSinkTask>();

/**
 * The task class a connector hands the runtime (which builds tasks with `new TaskClass()`), bound to
 * the connector's address policy. One class per policy, named as the task.
 */
export function httpSinkTaskClass(options: HttpSinkOptions): new () => HttpSinkTask {
  const key = `${options.allowPrivateNetworks}`;
  if (options.resolve)
    return class HttpSinkTaskWithResolver extends HttpSinkTask {
      constructor() {
        super(options);
      }
    };
  let cls = TASK_CLASSES.get(key);
  if (!cls) {
    const bound = { allowPrivateNetworks: options.allowPrivateNetworks };
    cls = class HttpSinkTask_ extends HttpSinkTask {
      constructor() {
        super(bound);
      }
    };
    Object.defineProperty(cls, 'name', { value: 'HttpSinkTask' });
    TASK_CLASSES.set(key, cls);
  }
  return cls;
}
