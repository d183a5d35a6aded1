import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECT_ROUTES } from '../../../cdk/control-api.js';
import { basicAuthorizer } from '../../../functions/basic-auth.js';
import { type ApiGateway, type Invoker, startApiGateway } from '../../../local/aws/api-gateway.js';
import { lambdaInvoker } from '../../../local/aws/api-gateway-invoke.js';
import { createFunctionPool, type FunctionPool } from '../../../local/aws/environment.js';
import { type LambdaApi, startLambdaApi } from '../../../local/aws/lambda-api.js';
import { readAssemblyStack, readFunctions } from '../../../local/aws/template.js';
import { BASIC_SECRET, synthStack } from '../../cdk/synth.js';

// The API Gateway front against the simulated Lambda API: a small hand-written template for the edge
// cases (apigw-template.json), and the app's own template (IAM and HTTP Basic variants) for the routing
// of every Kafka Connect path. The handlers are fixtures; the Basic variant also runs our real
// authorizer (functions/basic-auth.ts) in-process behind the front.
const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const SCOPE = { region: REGION, accountId: ACCOUNT };
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const small = JSON.parse(readFileSync(fixture('apigw-template.json'), 'utf8')) as {
  Resources: Record<string, { Properties: Record<string, unknown> }>;
};

let lambda: LambdaApi;
let gw: ApiGateway;
/** checkPermissions off, a short integration timeout, binary media types: the faults. */
let faults: ApiGateway;
let pools: Record<string, FunctionPool>;
const closers: (() => Promise<void> | void)[] = [];

function pool(name: string, file: string, extra: { reservedConcurrency?: number } = {}): FunctionPool {
  return createFunctionPool({
    name,
    modulePath: fixture(file),
    handler: `${file.replace(/\.mjs$/, '')}.handler`,
    timeoutMs: 10_000,
    region: REGION,
    accountId: ACCOUNT,
    onLog: () => {},
    ...extra,
  });
}

beforeAll(async () => {
  lambda = await startLambdaApi({ port: 0, ...SCOPE });
  closers.push(() => lambda.close());
  pools = {
    echo: pool('echo', 'apigw-echo.mjs'),
    authz: pool('authz', 'apigw-token-authorizer.mjs'),
    unpermitted: pool('unpermitted', 'apigw-echo.mjs', { reservedConcurrency: 0 }),
  };
  for (const [name, p] of Object.entries(pools)) lambda.registerFunction(name, { pool: p });
  gw = await startApiGateway({ template: small, scope: SCOPE, lambdaEndpoint: lambda.url, port: 0 });
  const binary = structuredClone(small);
  (binary.Resources.Api as { Properties: Record<string, unknown> }).Properties.BinaryMediaTypes = [
    'application/octet-stream',
    'image/png',
  ];
  faults = await startApiGateway({
    template: binary,
    scope: SCOPE,
    lambdaEndpoint: lambda.url,
    port: 0,
    checkPermissions: false,
    integrationTimeoutMs: 400,
  });
  closers.push(
    () => gw.close(),
    () => faults.close(),
  );
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: () => Record<string, unknown>;
}

async function call(g: ApiGateway, path: string, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(`${g.url}${path}`, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

/** An echoed event: JSON read back, navigated freely. */
// biome-ignore lint/suspicious/noExplicitAny: the echoed event is JSON the assertions walk into
type Echoed = Record<string, any>;

/** The event the echo fixture got. */
async function echo(g: ApiGateway, path: string, init: RequestInit = {}): Promise<Echoed> {
  const reply = await call(g, path, init);
  expect(reply.status, reply.text).toBe(200);
  return reply.json();
}

/** A request with repeated header lines (fetch would join them), answering the echoed event. */
function rawGet(g: ApiGateway, path: string, headers: Record<string, string | string[]>): Promise<Echoed> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${g.url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    });
    req.on('error', reject);
    req.end();
  });
}

const ALLOW = { headers: { Authorization: 'Bearer allow-all' } };

describe('routing', () => {
  it('serves the stage at the root and under /v1, with the event naming the resource template', async () => {
    const [root, prefixed] = await Promise.all([echo(gw, '/'), echo(gw, '/v1/open')]);
    expect(root).toMatchObject({ resource: '/', path: '/', httpMethod: 'GET', pathParameters: null });
    expect(root.requestContext).toMatchObject({ path: '/v1/', resourcePath: '/', stage: 'v1' });
    expect(prefixed).toMatchObject({ resource: '/open', path: '/open' });
    expect(prefixed.requestContext.path).toBe('/v1/open');
  });

  it('answers 403 Missing Authentication Token for an unknown path or method, without invoking', async () => {
    for (const [method, path] of [
      ['GET', '/nowhere'],
      ['DELETE', '/open'],
      ['GET', '/items//x'],
      ['GET', '/files'],
    ] as const) {
      const reply = await call(gw, path, { method });
      expect(reply.status, `${method} ${path}`).toBe(403);
      expect(reply.json()).toEqual({ message: 'Missing Authentication Token' });
      expect(reply.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    }
  });

  it('prefers a literal part to a {param}, and a {param} to a greedy {proxy+} (ANY)', async () => {
    const special = await echo(gw, '/items/special');
    expect(special).toMatchObject({ resource: '/items/special', pathParameters: null });
    const tags = await echo(gw, '/items/42/tags');
    expect(tags).toMatchObject({ resource: '/items/{id}/tags', pathParameters: { id: '42' } });
    const files = await echo(gw, '/files/a/b/c.txt', { method: 'DELETE' });
    expect(files).toMatchObject({
      resource: '/files/{proxy+}',
      httpMethod: 'DELETE',
      pathParameters: { proxy: 'a/b/c.txt' },
    });
  });

  it('decodes path segments except %2F, keeps a + in the path, and decodes + as a space in the query', async () => {
    const slash = await echo(gw, '/items/a%2Fb/tags');
    expect(slash).toMatchObject({ path: '/items/a%2Fb/tags', pathParameters: { id: 'a%2Fb' } });
    const unicode = await echo(gw, '/items/%E6%97%A5+x%20y/tags?q=a+b%2Bc');
    expect(unicode.pathParameters).toEqual({ id: '日+x y' });
    expect(unicode.path).toBe('/items/日+x y/tags');
    expect(unicode.queryStringParameters).toEqual({ q: 'a b+c' });
  });

  it('keeps every value of a repeated query parameter and header; the single maps hold the last', async () => {
    const event = await rawGet(gw, '/open?tag=a&tag=b&empty', {
      'X-Multi': ['one', 'two'],
      'x-case': 'kept',
    });
    expect(event.queryStringParameters).toEqual({ tag: 'b', empty: '' });
    expect(event.multiValueQueryStringParameters).toEqual({ tag: ['a', 'b'], empty: [''] });
    expect(event.headers['X-Multi']).toBe('two');
    expect(event.multiValueHeaders['X-Multi']).toEqual(['one', 'two']);
    expect(event.headers['x-case']).toBe('kept');
    expect(event.headers['X-Forwarded-For']).toBe('127.0.0.1');
    expect(event.headers.Connection ?? event.headers.connection).toBeUndefined();
  });
});

describe('the proxy event', () => {
  it('has exactly the keys and value types of AWS documented example', async () => {
    // AWS's example: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
    // Exceptions: `identity.clientCert` comes only with mutual TLS (not simulated); `resourceId` is
    // null in the example and the resource's id in live REST events (the page's older example).
    const example = JSON.parse(readFileSync(fixture('apigw-proxy-event.aws-example.json'), 'utf8'));
    delete example.requestContext.identity.clientCert;
    const ours = await echo(gw, '/open?parameter1=value1&parameter1=value2&parameter2=value', {
      method: 'POST',
      body: 'Hello from Lambda!',
    });
    const shape = (v: unknown, nullable: boolean): unknown => {
      if (v === null) return nullable ? 'null|string' : 'null';
      if (Array.isArray(v)) return v.map((x) => shape(x, false));
      if (typeof v === 'object') return 'object';
      return typeof v;
    };
    const flat = (o: Record<string, unknown>, prefix = ''): Record<string, unknown> =>
      Object.fromEntries(
        Object.entries(o).flatMap(([k, v]) =>
          // headers and query maps hold the request's own names; their shape is compared below
          v &&
          typeof v === 'object' &&
          !Array.isArray(v) &&
          !/^(multiValue)?(headers|Headers|queryStringParameters|QueryStringParameters)$/.test(k)
            ? Object.entries(flat(v as Record<string, unknown>, `${prefix}${k}.`))
            : [[`${prefix}${k}`, v]],
        ),
      );
    const want = flat(example);
    const got = flat(ours);
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const [key, value] of Object.entries(want)) {
      const nullable = value === null && key !== 'pathParameters' && key !== 'stageVariables';
      const expected = shape(value, nullable);
      const actual = shape(got[key], false);
      if (expected === 'null|string') expect(['null', 'string'], key).toContain(actual);
      else expect(actual, key).toEqual(expected);
    }
    expect(ours.multiValueQueryStringParameters).toEqual(example.multiValueQueryStringParameters);
    // The example's single map shows the first value of parameter1; the page's other example (and
    // live events) show the last, which is what the front gives: docs/simulator/api-gateway.md.
    expect(ours.queryStringParameters).toEqual({ ...example.queryStringParameters, parameter1: 'value2' });
    expect(ours.requestContext).toMatchObject({
      accountId: ACCOUNT,
      apiId: gw.api.apiId,
      httpMethod: 'POST',
      protocol: 'HTTP/1.1',
    });
    expect(ours.requestContext.identity.sourceIp).toBe('127.0.0.1');
    expect(ours.requestContext.requestTime).toMatch(/^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
  });

  it('has body null when empty, and text (not base64) without binary media types', async () => {
    const empty = await echo(gw, '/open');
    expect(empty).toMatchObject({ body: null, isBase64Encoded: false });
    const bytes = await echo(gw, '/open', {
      method: 'POST',
      body: 'é\u0000',
      headers: { 'Content-Type': 'application/octet-stream' },
    });
    expect(bytes).toMatchObject({ body: 'é\u0000', isBase64Encoded: false });
  });

  it('base64-encodes a body of a binary media type, and decodes a base64 result the client accepts as binary', async () => {
    const event = await echo(faults, '/open', {
      method: 'POST',
      body: Buffer.from([0, 255]),
      headers: { 'Content-Type': 'application/octet-stream' },
    });
    expect(event).toMatchObject({ body: 'AP8=', isBase64Encoded: true });
    const decoded = await fetch(`${faults.url}/open?reply=base64`, { headers: { Accept: 'image/png' } });
    expect([...new Uint8Array(await decoded.arrayBuffer())]).toEqual([0, 1, 2, 255]);
    const text = await call(gw, '/open?reply=base64', { headers: { Accept: 'image/png' } });
    expect(text.text).toBe(Buffer.from([0, 1, 2, 255]).toString('base64'));
  });
});

describe('the response', () => {
  it('merges headers and multiValueHeaders (multi wins), remaps reserved ones, and adds its own', async () => {
    const reply = await call(gw, '/open?reply=headers');
    expect(reply.status).toBe(201);
    expect(reply.text).toBe('{"ok":true}');
    expect(reply.headers.get('x-single')).toBe('one');
    expect(reply.headers.get('x-both')).toBe('m1, m2');
    expect(reply.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(reply.headers.get('www-authenticate')).toBeNull();
    expect(reply.headers.get('x-amzn-remapped-www-authenticate')).toBe('Basic realm="connect"');
    expect(reply.headers.get('x-amzn-remapped-server')).toBe('fixture');
    expect(reply.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(reply.headers.get('x-amz-apigw-id')).toMatch(/^[A-Za-z0-9]{15}=$/);
    expect((await call(gw, '/open?reply=no-body')).status).toBe(204);
  });

  it('answers 502 Internal server error for a malformed result or a function error', async () => {
    for (const reply of [
      'not-object',
      'no-status',
      'string-status',
      'object-body',
      'extra-key',
      'number-header',
      'throw',
    ]) {
      const r = await call(gw, `/open?reply=${reply}`);
      expect(r.status, reply).toBe(502);
      expect(r.json(), reply).toEqual({ message: 'Internal server error' });
    }
  });

  it('answers 500 when Lambda refuses (no permission, a throttle), 504 past the timeout, 413 over 10 MB', async () => {
    const denied = await call(gw, '/noperm');
    expect(denied.status).toBe(500);
    expect(pools.unpermitted?.stats().throttles).toBe(0);
    const throttled = await call(faults, '/noperm');
    expect([throttled.status, throttled.json()]).toEqual([500, { message: 'Internal server error' }]);
    expect(pools.unpermitted?.stats().throttles).toBe(1);
    const slow = await call(faults, '/open?reply=sleep&ms=1500');
    expect([slow.status, slow.json()]).toEqual([504, { message: 'Endpoint request timed out' }]);
    const big = await call(gw, '/open', { method: 'POST', body: Buffer.alloc(10 * 1024 * 1024 + 1, 97) });
    expect(big.status).toBe(413);
  });

  it('refuses a request with an Origin or a non-loopback Host, in Kafka Connect’s error shape', async () => {
    const fromPage = await call(gw, '/open', { headers: { Origin: 'http://evil.example' } });
    expect(fromPage.status).toBe(403);
    expect(fromPage.json()).toEqual({
      error_code: 403,
      message: expect.stringContaining("Origin 'http://evil.example'"),
    });
    // Local mode's REST API is this front: the rebinding rule of docs/local-mode-security.md holds here,
    // a name judged by its spelling, never by what it resolves to.
    const withHost = (host: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(`${gw.url}/open`, { headers: { Host: host } }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            body += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    const refused = ['evil.example', 'localhost.evil.example', '127.0.0.1.nip.io', 'localhost.', '0.0.0.0'];
    refused.push('127.1', '[::ffff:127.0.0.1]');
    for (const host of refused) {
      const reply = await withHost(host);
      expect([host, reply.status]).toEqual([host, 403]);
      expect(JSON.parse(reply.body)).toEqual({
        error_code: 403,
        message: `Host '${host}' is not a loopback name: this server answers only requests addressed to localhost, 127.0.0.0/8 or [::1] (DNS rebinding protection)`,
      });
    }
    for (const host of ['localhost', '127.0.0.1:8083', '127.1.2.3', '[::1]:8083'])
      expect([host, (await withHost(host)).status]).toEqual([host, 200]);
  });
});

describe('the TOKEN authorizer', () => {
  const invocations = () => gw.authorizerInvocations().get('Tok') ?? 0;

  it('answers 401 without invoking when the header is missing or fails the validation expression', async () => {
    const before = invocations();
    for (const headers of [{}, { Authorization: 'Basic abc' }, { Authorization: '' }]) {
      const r = await call(gw, '/items', { headers });
      expect([r.status, r.json()]).toEqual([401, { message: 'Unauthorized' }]);
    }
    expect(invocations()).toBe(before);
  });

  it('maps the outcomes: Unauthorized 401, other errors and malformed policies 500, Deny 403', async () => {
    const r = async (token: string) => {
      const reply = await call(gw, '/items', { headers: { Authorization: `Bearer ${token}` } });
      return [reply.status, reply.json()];
    };
    expect(await r('reject')).toEqual([401, { message: 'Unauthorized' }]);
    expect(await r('boom')).toEqual([500, { message: null }]);
    expect(await r('malformed')).toEqual([500, { message: null }]);
    expect(await r('deny')).toEqual([
      403,
      { message: 'User is not authorized to access this resource with an explicit deny' },
    ]);
  });

  it('forwards an Allow with principalId and the context as strings', async () => {
    const event = await echo(gw, '/items/7', ALLOW);
    expect(event.requestContext.authorizer).toMatchObject({
      principalId: 'user-1',
      team: 'a',
      level: '3',
      admin: 'true',
    });
    expect(typeof event.requestContext.authorizer.integrationLatency).toBe('number');
  });

  it('caches per token, and evaluates a cached policy against each new method ARN', async () => {
    gw.flushAuthorizerCache();
    const before = invocations();
    const one = { headers: { Authorization: 'Bearer allow-one' } };
    expect((await call(gw, '/items', one)).status).toBe(200);
    expect((await call(gw, '/items', one)).status).toBe(200);
    expect(invocations()).toBe(before + 1);
    // The policy allowed GET /items only; the cached copy now decides POST /items and GET /items/1.
    const post = await call(gw, '/items', { ...one, method: 'POST' });
    expect([post.status, post.json()]).toEqual([
      403,
      { message: 'User is not authorized to access this resource' },
    ]);
    expect((await call(gw, '/items/1', one)).status).toBe(403);
    expect(invocations()).toBe(before + 1);
  });

  it('invokes every time with a TTL of 0', async () => {
    const before = gw.authorizerInvocations().get('TokNoCache') ?? 0;
    for (let i = 0; i < 2; i++) expect((await call(gw, '/nocache', ALLOW)).status).toBe(200);
    expect(gw.authorizerInvocations().get('TokNoCache')).toBe(before + 2);
  });

  it('lets an AWS_IAM method through only with a SigV4 signature', async () => {
    expect((await call(gw, '/iam')).json()).toEqual({ message: 'Missing Authentication Token' });
    const bad = await call(gw, '/iam', {
      headers: { Authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/x' },
    });
    expect([bad.status, bad.headers.get('x-amzn-errortype')]).toEqual([403, 'IncompleteSignatureException']);
    const signed = await echo(gw, '/iam', {
      headers: {
        Authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/eu-west-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc',
      },
    });
    expect(signed.requestContext.identity.accessKey).toBe('AKIDEXAMPLE');
  });
});

describe("the app's template", () => {
  const sample = (path: string) => path.replace(/\{[^}]+\}/g, (p) => `${p.slice(1, -1)}-1`);
  let iam: ApiGateway;
  let basic: ApiGateway;
  const secret = JSON.stringify({ username: 'connect', password: 's3cret' });
  const good = `Basic ${Buffer.from('connect:s3cret').toString('base64')}`;

  beforeAll(async () => {
    const load = (context: Record<string, unknown>) => {
      const { app } = synthStack(context);
      const { template, stackName } = readAssemblyStack(app.synth().directory);
      const fns = readFunctions(template, { ...SCOPE, stackName });
      const named = (prefix: string) => fns.find((f) => f.logicalId.startsWith(prefix))?.name ?? '';
      return {
        template,
        stackName,
        control: named('ControlApiFunction'),
        auth: named('ControlApiBasicAuth'),
      };
    };
    const plain = load({});
    const withBasic = load({ basicAuthSecretArn: BASIC_SECRET });
    lambda.registerFunction(plain.control, { pool: pool(plain.control, 'apigw-echo.mjs') });
    if (withBasic.control !== plain.control)
      lambda.registerFunction(withBasic.control, { pool: pool(withBasic.control, 'apigw-echo.mjs') });
    iam = await startApiGateway({
      template: plain.template,
      scope: { ...SCOPE, stackName: plain.stackName },
      lambdaEndpoint: lambda.url,
      port: 0,
    });
    // Our real authorizer in-process (its bundle is not staged here); everything else through Lambda.
    const sdk = lambdaInvoker({ endpoint: lambda.url, region: REGION });
    const ours = basicAuthorizer(async () => secret);
    const invoke: Invoker = async (name, qualifier, event, timeoutMs) => {
      if (name !== withBasic.auth) return sdk.invoke(name, qualifier, event, timeoutMs);
      try {
        return { payload: JSON.stringify(await ours(event as Parameters<typeof ours>[0])) };
      } catch (error) {
        return {
          functionError: 'Unhandled',
          payload: JSON.stringify({ errorType: 'Error', errorMessage: (error as Error).message }),
        };
      }
    };
    basic = await startApiGateway({
      template: withBasic.template,
      scope: { ...SCOPE, stackName: withBasic.stackName },
      invoke,
      port: 0,
    });
    closers.push(
      () => iam.close(),
      () => basic.close(),
      () => sdk.close(),
    );
  }, 30_000);

  it('routes every Kafka Connect path and method to the control API, and nothing else', async () => {
    const signed = {
      Authorization:
        'AWS4-HMAC-SHA256 Credential=AKID/20250101/eu-west-1/execute-api/aws4_request, SignedHeaders=host, Signature=00',
    };
    for (const [path, methods] of Object.entries(CONNECT_ROUTES)) {
      for (const method of methods) {
        for (const [g, headers] of [
          [iam, signed],
          [basic, { Authorization: good }],
        ] as const) {
          const event = await echo(g, sample(path), { method, headers });
          expect([event.resource, event.httpMethod, event.path]).toEqual([path, method, sample(path)]);
        }
      }
      const unknown = await call(iam, sample(path), { method: 'OPTIONS', headers: signed });
      expect(unknown.status, `OPTIONS ${path}`).toBe(403);
    }
  });

  it('asks for a signature on the IAM variant', async () => {
    expect((await call(iam, '/connectors')).status).toBe(403);
  });

  it('runs our Basic authorizer: 401 on a wrong password, one Allow that serves every path from the cache', async () => {
    basic.flushAuthorizerCache();
    const wrong = await call(basic, '/connectors', {
      headers: { Authorization: `Basic ${Buffer.from('connect:nope').toString('base64')}` },
    });
    expect([wrong.status, wrong.json(), wrong.headers.get('www-authenticate')]).toEqual([
      401,
      { message: 'Unauthorized' },
      null,
    ]);
    const first = await echo(basic, '/connectors', { headers: { Authorization: good } });
    expect(first.requestContext.authorizer.principalId).toBe('basic');
    const [id] = [...basic.authorizerInvocations().keys()];
    const count = basic.authorizerInvocations().get(id ?? '');
    await echo(basic, '/connectors/x/config', { method: 'PUT', headers: { Authorization: good } });
    expect(basic.authorizerInvocations().get(id ?? '')).toBe(count);
  });
});
