import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Route } from './api-gateway-routing.js';
import type { RestApiModel } from './api-gateway-template.js';

/**
 * The Lambda proxy integration's input event (payload format 1.0), as API Gateway REST builds it:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
 * See docs/simulator/api-gateway.md.
 */

/** What API Gateway knows of a request before it invokes anything. */
export interface RequestInfo {
  requestId: string;
  extendedRequestId: string;
  /** ms since the epoch. */
  time: number;
  sourceIp: string;
  protocol: string;
  /** `Host` without the port. */
  domainName: string;
  /** Header names as the client spelled them, in order, each with every value. */
  headers: [string, string[]][];
  /** The raw query string (after `?`), undefined when none. */
  query?: string;
  body: Buffer;
}

/** Headers API Gateway does not pass on to a Lambda proxy integration (api-gateway-known-issues.html, REST APIs). */
const DROPPED_REQUEST_HEADERS = new Set([
  'connection',
  'content-md5',
  'expect',
  'max-forwards',
  'proxy-authenticate',
  'server',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'www-authenticate',
]);

export function requestInfo(req: IncomingMessage, body: Buffer, query: string | undefined): RequestInfo {
  const headers: [string, string[]][] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string;
    const value = req.rawHeaders[i + 1] as string;
    if (DROPPED_REQUEST_HEADERS.has(name.toLowerCase())) continue;
    const entry = headers.find(([n]) => n === name);
    if (entry) entry[1].push(value);
    else headers.push([name, [value]]);
  }
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  // The headers API Gateway adds for the integration (a regional endpoint; no CloudFront headers).
  const add = (name: string, value: string, append = false) => {
    const entry = headers.find(([n]) => n.toLowerCase() === name.toLowerCase());
    if (!entry) headers.push([name, [value]]);
    else if (append) entry[1] = [`${entry[1].join(', ')}, ${value}`];
  };
  add('X-Forwarded-For', sourceIp, true);
  add('X-Forwarded-Port', String(req.socket.localPort ?? ''));
  add('X-Forwarded-Proto', 'http');
  const time = Date.now();
  add('X-Amzn-Trace-Id', `Root=1-${Math.floor(time / 1000).toString(16)}-${randomBytes(12).toString('hex')}`);
  const host = req.headers.host ?? '';
  return {
    requestId: randomUUID(),
    extendedRequestId: `${randomBytes(11).toString('base64').replace(/[+/]/g, 'A').slice(0, 15)}=`,
    time,
    sourceIp,
    protocol: `HTTP/${req.httpVersion}`,
    domainName: host.replace(/:\d+$/, ''),
    headers,
    query,
    body,
  };
}

/** `requestContext.authorizer` from a Lambda authorizer: `principalId`, `integrationLatency` and its context. */
export type AuthorizerContext = Record<string, string | number>;

export interface EventOptions {
  api: RestApiModel;
  route: Route;
  httpMethod: string;
  request: RequestInfo;
  authorizer?: AuthorizerContext;
  /** The SigV4 access key of an `AWS_IAM` method's caller. */
  accessKey?: string;
}

export function proxyEvent(options: EventOptions): Record<string, unknown> {
  const { api, route, request } = options;
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, values] of request.headers) {
    // `headers` holds the last value of a repeated header, `multiValueHeaders` every value.
    headers[name] = values[values.length - 1] as string;
    multiValueHeaders[name] = [...values];
  }
  const query = parseQuery(request.query);
  const userAgent = request.headers.find(([n]) => n.toLowerCase() === 'user-agent')?.[1].at(-1) ?? null;
  const binary = isBinary(api.binaryMediaTypes, contentType(request.headers));
  const body =
    request.body.length === 0
      ? null
      : binary
        ? request.body.toString('base64')
        : request.body.toString('utf8');
  return {
    resource: route.resource.path,
    path: route.path,
    httpMethod: options.httpMethod,
    headers: request.headers.length ? headers : null,
    multiValueHeaders: request.headers.length ? multiValueHeaders : null,
    queryStringParameters: query
      ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v.at(-1)]))
      : null,
    multiValueQueryStringParameters: query,
    pathParameters: route.pathParameters,
    stageVariables: null,
    requestContext: {
      accountId: api.accountId,
      apiId: api.apiId,
      authorizer: options.authorizer ?? { claims: null, scopes: null },
      domainName: request.domainName,
      domainPrefix: request.domainName.split('.')[0] ?? '',
      extendedRequestId: request.extendedRequestId,
      httpMethod: options.httpMethod,
      identity: {
        accessKey: options.accessKey ?? null,
        accountId: null,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent,
        userArn: null,
      },
      path: `/${api.stageName}${route.path === '/' ? '/' : route.path}`,
      protocol: request.protocol,
      requestId: request.requestId,
      requestTime: clfTime(request.time),
      requestTimeEpoch: request.time,
      resourceId: route.resource.id,
      resourcePath: route.resource.path,
      stage: api.stageName,
    },
    body,
    isBase64Encoded: body !== null && binary,
  };
}

/**
 * The query string decoded as a form (`+` is a space, then percent-decoding), every value of a repeated
 * name in order; null when there is none. A name without `=` has the value ''.
 */
export function parseQuery(raw: string | undefined): Record<string, string[]> | null {
  if (!raw) return null;
  const out: Record<string, string[]> = {};
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const [name, value] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    const key = formDecode(name);
    if (!Object.hasOwn(out, key)) out[key] = [];
    out[key]?.push(formDecode(value));
  }
  return Object.keys(out).length ? out : null;
}

function formDecode(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

export function contentType(headers: [string, string[]][]): string | undefined {
  return headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1].at(-1);
}

/** Whether a media type is one of the API's binary media types (`*` wildcards per part, as `*\/*` or `image/*`). */
export function isBinary(binaryMediaTypes: string[], mediaType: string | undefined): boolean {
  if (!mediaType || !binaryMediaTypes.length) return false;
  const [type = '', subtype = ''] = mediaType.split(';')[0]?.trim().toLowerCase().split('/') ?? [];
  return binaryMediaTypes.some((b) => {
    const [bt = '', bs = ''] = b.toLowerCase().split('/');
    return (bt === '*' || bt === type) && (bs === '*' || bs === subtype);
  });
}

/** `$context.requestTime`: CLF, `dd/MMM/yyyy:HH:mm:ss +0000`. */
function clfTime(ms: number): string {
  const d = new Date(ms);
  const months = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
