import { isBinary } from './api-gateway-event.js';

/**
 * What API Gateway answers: its own gateway responses
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html)
 * and the mapping of a Lambda proxy integration's output
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format).
 * See docs/simulator/api-gateway.md.
 */

export interface HttpReply {
  status: number;
  /** Header name → values (a repeated header has several). */
  headers: [string, string[]][];
  body: Buffer;
}

/** A gateway response: `{"message": …}` with `x-amzn-ErrorType`, as API Gateway's defaults are. */
export function gatewayReply(status: number, errorType: string, message: string | null): HttpReply {
  return {
    status,
    headers: [
      ['Content-Type', ['application/json']],
      ['x-amzn-ErrorType', [errorType]],
    ],
    body: Buffer.from(JSON.stringify({ message })),
  };
}

export const GATEWAY = {
  missingToken: () =>
    gatewayReply(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token'),
  unauthorized: () => gatewayReply(401, 'UnauthorizedException', 'Unauthorized'),
  explicitDeny: () =>
    gatewayReply(
      403,
      'AccessDeniedException',
      'User is not authorized to access this resource with an explicit deny',
    ),
  implicitDeny: () =>
    gatewayReply(403, 'AccessDeniedException', 'User is not authorized to access this resource'),
  authorizerFailure: () => gatewayReply(500, 'AuthorizerConfigurationException', null),
  /** Lambda refused the invocation (a throttle included): 500. */
  integrationRejected: () => gatewayReply(500, 'InternalServerErrorException', 'Internal server error'),
  /** The function failed or answered something that is not a proxy result: 502. */
  badGateway: () => gatewayReply(502, 'InternalServerErrorException', 'Internal server error'),
  timeout: () => gatewayReply(504, 'InternalServerErrorException', 'Endpoint request timed out'),
  tooLarge: () => gatewayReply(413, 'RequestTooLongException', 'Request Too Long'),
  incompleteSignature: (detail: string) => gatewayReply(403, 'IncompleteSignatureException', detail),
};

const OUTPUT_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

/**
 * Response headers a Lambda proxy integration may not set as is (api-gateway-known-issues.html, REST
 * APIs): these come back as `x-amzn-Remapped-<name>`, and the rest of the list is dropped.
 */
const REMAPPED = new Set([
  'authorization',
  'connection',
  'content-md5',
  'date',
  'max-forwards',
  'server',
  'user-agent',
  'www-authenticate',
]);
const DROPPED = new Set([
  'content-length',
  'expect',
  'host',
  'proxy-authenticate',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * The client's response from the function's JSON result, or undefined when it is not a proxy result
 * (502): not a JSON object, a key beyond the five, `statusCode` not an integer 100–599, `body` not a
 * string, a header value not a string, `isBase64Encoded` not a boolean.
 */
export function proxyReply(
  payload: string,
  accept: string | undefined,
  binaryMediaTypes: string[],
): HttpReply | undefined {
  let output: unknown;
  try {
    output = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (output === null || typeof output !== 'object' || Array.isArray(output)) return undefined;
  const o = output as Record<string, unknown>;
  if (Object.keys(o).some((k) => !OUTPUT_KEYS.has(k))) return undefined;
  const { statusCode, body, isBase64Encoded } = o;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599)
    return undefined;
  if (body !== undefined && body !== null && typeof body !== 'string') return undefined;
  if (isBase64Encoded !== undefined && isBase64Encoded !== null && typeof isBase64Encoded !== 'boolean')
    return undefined;
  const merged = mergeHeaders(o.headers, o.multiValueHeaders);
  if (!merged) return undefined;
  const text = body ?? '';
  // Decoded only for an API with binary media types, when the client accepts one (its first type).
  const decode = isBase64Encoded === true && isBinary(binaryMediaTypes, accept?.split(',')[0]);
  const headers: [string, string[]][] = [];
  for (const [name, values] of merged) {
    const lower = name.toLowerCase();
    if (DROPPED.has(lower)) continue;
    headers.push([REMAPPED.has(lower) ? `x-amzn-Remapped-${name}` : name, values]);
  }
  if (!headers.some(([n]) => n.toLowerCase() === 'content-type'))
    headers.push(['Content-Type', ['application/json']]);
  return {
    status: statusCode,
    headers,
    body: decode ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8'),
  };
}

/** `headers` and `multiValueHeaders` merged; for a name in both, only `multiValueHeaders`' values. */
function mergeHeaders(single: unknown, multi: unknown): Map<string, string[]> | undefined {
  const out = new Map<string, string[]>();
  const isMap = (v: unknown) => v === undefined || v === null || (typeof v === 'object' && !Array.isArray(v));
  if (!isMap(single) || !isMap(multi)) return undefined;
  for (const [name, value] of Object.entries((single ?? {}) as Record<string, unknown>)) {
    if (typeof value !== 'string') return undefined;
    out.set(name, [value]);
  }
  for (const [name, values] of Object.entries((multi ?? {}) as Record<string, unknown>)) {
    if (!Array.isArray(values) || values.some((v) => typeof v !== 'string')) return undefined;
    out.set(name, [...(values as string[])]);
  }
  return out;
}
