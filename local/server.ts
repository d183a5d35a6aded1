import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { redactMessage } from '../lib/config/redaction.js';
import { RestError } from '../lib/control/errors.js';
import { errorReply } from '../lib/control/rest/error-reply.js';

/** The control-api handler's shape (functions/control-api.ts), or any other API Gateway REST handler. */
export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface ControlServerOptions {
  /** 0 picks a free port. @default 8083 (Kafka Connect's) */
  port?: number;
  /**
   * A loopback address to listen on: `127.0.0.1` (or anything in 127.0.0.0/8), `::1` or `localhost`;
   * anything else is refused, since the API has no authentication (docs/local-mode-security.md).
   * @default '127.0.0.1'
   */
  host?: string;
  handler: ProxyHandler;
}

export interface ControlServer {
  /** `http://host:port`, with the port actually bound. */
  url: string;
  close(): Promise<void>;
}

/**
 * Local mode's REST endpoint: every request becomes the API Gateway REST proxy event the Lambda would
 * get, and the same handler answers it — one code path for local and AWS.
 *
 * It is for this machine only (docs/local-mode-security.md): it listens on loopback, and answers 403
 * to a request whose Host header is not a loopback name (a web page that rebinds its DNS name to
 * 127.0.0.1) or that a web page of another origin sent (its Origin header), before reading the body.
 * @example
 * const server = await startControlServer({ handler });
 * // curl -s http://127.0.0.1:8083/connectors
 * await server.close();
 */
export async function startControlServer(options: ControlServerOptions): Promise<ControlServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackAddress(host)) {
    throw new Error(
      `refusing to listen on '${host}': the local REST API has no authentication, so it listens on a loopback address only (127.0.0.1, ::1 or localhost)`,
    );
  }
  let port = 0;
  const server = createServer(async (req, res) => {
    try {
      const refusal = refusalOf(req, port);
      if (refusal !== undefined) {
        refuse(res, refusal);
        return;
      }
      const body = await readBody(req);
      if (body === undefined) {
        res.writeHead(413, { 'Content-Type': 'application/json', Connection: 'close' });
        res.end(
          JSON.stringify({ error_code: 413, message: `Request body is larger than ${MAX_PAYLOAD} bytes` }),
        );
        return;
      }
      const result = await options.handler(proxyEvent(req, body), lambdaContext());
      const headers = { ...result.headers, ...result.multiValueHeaders };
      res.writeHead(result.statusCode, headers as Record<string, string | string[]>);
      res.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
    } catch (error) {
      // The handler answers errors itself; this is the last resort if it throws anyway. Still a reply
      // the system writes on its own account: the one redaction rule applies (docs/security.md).
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error_code: 500, message: redactMessage(String((error as Error)?.message)) }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8083, host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  // `localhost` is resolved by the OS: check what was actually bound, not only what was asked for.
  if (!isLoopbackAddress(bound.address)) {
    server.close();
    throw new Error(
      `refusing to serve on '${bound.address}' ('${host}' resolved to it): not a loopback address`,
    );
  }
  port = bound.port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * A Host header (or URL host) naming this machine's loopback: `localhost`, an address in 127.0.0.0/8 in
 * dotted-decimal form, or `[::1]`, each with an optional port. Everything else — `evil.example`,
 * `localhost.evil.example`, `127.0.0.1.nip.io`, which may all resolve to 127.0.0.1 — is not: a name is
 * judged by its spelling, never by what it resolves to, because resolving is what an attacker controls.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  const match = host === undefined ? null : LOOPBACK_HOST.exec(host);
  return match !== null && (match[1] === undefined || Number(match[1]) <= 65_535);
}

// Same rule in local/stack/LoopbackDynamoDB.java. Octets without leading zeros: browsers send canonical form.
const LOOPBACK_HOST =
  /^(?:localhost|127(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}|\[::1\])(?::(\d{1,5}))?$/i;

/** A listen address on loopback: as isLoopbackHost, without a port, IPv6 without brackets. */
function isLoopbackAddress(host: string): boolean {
  return host === '::1' || (!host.includes(':') && isLoopbackHost(host));
}

/**
 * Why a request is refused, or undefined to serve it. Both rules only ever stop browsers, which always
 * send Host and send Origin with every cross-origin write; command-line clients and SDKs are unaffected.
 * - Host must be one loopback name (DNS rebinding: a page on evil.example whose name now resolves to
 *   127.0.0.1 is same-origin with this server as far as the browser knows, but its Host says evil.example).
 *   A missing Host (HTTP/1.0) is refused too: browsers always send one, so letting it in would open no
 *   rebinding hole, but every real client sends Host and a rule without exceptions is easier to trust.
 * - Origin, when present, must be this server's own (`http://<loopback name>:<port>`): any other page
 *   — even one on localhost — could otherwise POST a connector config without a preflight (no
 *   Content-Type is a "simple" request, and the JSON parser accepts a body without one).
 */
function refusalOf(req: IncomingMessage, port: number): string | undefined {
  const hosts = headerValues(req, 'host');
  if (hosts.length !== 1)
    return hosts.length === 0
      ? 'Host header missing: the local REST API answers only requests addressed to localhost, 127.0.0.0/8 or [::1]'
      : 'More than one Host header';
  const host = hosts[0] as string;
  if (!isLoopbackHost(host))
    return `Host '${host}' is not a loopback name: the local REST API answers only requests addressed to localhost, 127.0.0.0/8 or [::1] (DNS rebinding protection)`;
  for (const origin of headerValues(req, 'origin')) {
    if (!isOwnOrigin(origin, port))
      return `Requests from web pages of other origins are refused (Origin '${origin}'): the local REST API serves this machine's command-line clients`;
  }
  return undefined;
}

function isOwnOrigin(origin: string, port: number): boolean {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && isLoopbackHost(url.host) && Number(url.port || 80) === port;
  } catch {
    // `null` (sandboxed frames, file: pages) and anything unparsable.
    return false;
  }
}

/** Every value the client sent for a header, from the raw list (Node keeps only the first Host). */
function headerValues(req: IncomingMessage, name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]?.toLowerCase() === name) values.push(req.rawHeaders[i + 1] ?? '');
  }
  return values;
}

/** Kafka Connect's 403 (`{"error_code":403,"message":...}`); the body is not read, so the connection closes. */
function refuse(res: ServerResponse, message: string): void {
  const { status, body } = errorReply(new RestError(403, message));
  res.writeHead(status, { 'Content-Type': 'application/json', Connection: 'close' });
  res.end(JSON.stringify(body));
}

/** The API Gateway REST (v1) proxy event for a request; the body is base64 when it is not UTF-8 text. */
export function proxyEvent(req: IncomingMessage, body: Buffer): APIGatewayProxyEvent {
  // `//x` alone would parse as a host: the path is taken as written, as API Gateway does.
  const url = new URL(`http://localhost${(req.url ?? '/').startsWith('/') ? '' : '/'}${req.url ?? ''}`);
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const key = req.rawHeaders[i] as string;
    const value = req.rawHeaders[i + 1] as string;
    headers[key] = value;
    multiValueHeaders[key] = [...(multiValueHeaders[key] ?? []), value];
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [key, value] of url.searchParams) {
    query[key] = value;
    multiQuery[key] = [...(multiQuery[key] ?? []), value];
  }
  const text = body.toString('utf8');
  const binary = body.length > 0 && !Buffer.from(text, 'utf8').equals(body);
  const hasQuery = Object.keys(query).length > 0;
  const method = req.method ?? 'GET';
  return {
    httpMethod: method,
    // API Gateway hands the path over percent-encoded as sent; the router decodes each segment.
    path: url.pathname,
    resource: '/{proxy+}',
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: { proxy: url.pathname.slice(1) },
    stageVariables: null,
    body: body.length === 0 ? null : binary ? body.toString('base64') : text,
    isBase64Encoded: binary,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      authorizer: null,
      protocol: `HTTP/${req.httpVersion}`,
      httpMethod: method,
      identity: identity(
        req.socket.remoteAddress ?? '127.0.0.1',
        headers['User-Agent'] ?? headers['user-agent'] ?? null,
      ),
      path: url.pathname,
      stage: 'local',
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: '/{proxy+}',
    },
  };
}

function identity(
  sourceIp: string,
  userAgent: string | null,
): APIGatewayProxyEvent['requestContext']['identity'] {
  return {
    accessKey: null,
    accountId: null,
    apiKey: null,
    apiKeyId: null,
    caller: null,
    clientCert: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp,
    user: null,
    userAgent,
    userArn: null,
  };
}

function lambdaContext(): Context {
  const requestId = randomUUID();
  const deadline = Date.now() + 29_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'control-api-local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:control-api-local',
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: 'local',
    logStreamName: 'local',
    // API Gateway's 29 s integration timeout.
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/** API Gateway's payload limit: larger requests never reach the handler there, nor here. */
const MAX_PAYLOAD = 10 * 1024 * 1024;

/** The whole body, or undefined once it grows past MAX_PAYLOAD (the rest is not buffered). */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_PAYLOAD) {
      req.resume();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
