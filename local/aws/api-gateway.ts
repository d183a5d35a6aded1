import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { TokenAuthorizers, wildcard } from './api-gateway-authorizer.js';
import { type AuthorizerContext, proxyEvent, type RequestInfo, requestInfo } from './api-gateway-event.js';
import { type InvokeOutcome, type Invoker, lambdaInvoker } from './api-gateway-invoke.js';
import { GATEWAY, type HttpReply, proxyReply } from './api-gateway-response.js';
import { route, stagePath } from './api-gateway-routing.js';
import { type RestApiModel, readRestApis } from './api-gateway-template.js';
import type { TemplateScope } from './intrinsics.js';
import { browserRefusal, isLoopback, listenOnLoopback } from './loopback.js';

export type { InvokeOutcome, Invoker } from './api-gateway-invoke.js';

export interface ApiGatewayOptions {
  /** The synthesized template (`readAssemblyStack(...).template`). Required. */
  template: object;
  /** Stack name, region, account, physical names, as for `readFunctions` (the same scope gives the same names). */
  scope?: TemplateScope;
  /** The `AWS::ApiGateway::RestApi` to serve, by logical id. @default the only one */
  restApi?: string;
  /** The Lambda API to invoke through (`startLambdaApi`'s `url`), with `@aws-sdk/client-lambda`. */
  lambdaEndpoint?: string;
  /** Instead of `lambdaEndpoint`: a callback shaped like Lambda's synchronous Invoke. */
  invoke?: Invoker;
  /** 0 picks a free port. @default 8083 (Kafka Connect's REST port) */
  port?: number;
  /** A loopback address. @default '127.0.0.1' */
  host?: string;
  /**
   * `AWS_IAM` methods: `signed` lets through a request with a well-formed SigV4 `Authorization` header or
   * presigned query (the signature is not verified) and answers 403 otherwise; `open` lets every request
   * through, as if the method had no authorization. @default 'signed'
   */
  iam?: 'signed' | 'open';
  /** Refuse to invoke a function no `AWS::Lambda::Permission` lets API Gateway invoke for this ARN. @default true */
  checkPermissions?: boolean;
  /** The integration timeout's upper bound in ms (API Gateway's 29 s); lower it to test 504s. @default 29000 */
  integrationTimeoutMs?: number;
  /** Called with each request's outcome, for logs. */
  onRequest?: (entry: { method: string; path: string; status: number; requestId: string }) => void;
}

export interface ApiGateway {
  /** `http://host:port`: the stage is served there at the root, and also under `/<stage>`. */
  url: string;
  /** The REST API as read from the template. */
  api: RestApiModel;
  /** How many times each authorizer function was invoked, by authorizer logical id. */
  authorizerInvocations(): Map<string, number>;
  /** Forgets the authorizers' cached decisions. */
  flushAuthorizerCache(): void;
  close(): Promise<void>;
}

/** API Gateway's REST payload limit (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html). */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/**
 * An API Gateway REST API stage in front of Lambda proxy integrations, read from the template, over
 * HTTP on loopback. docs/simulator/api-gateway.md lists what follows AWS and what is
 * a choice.
 * @example
 * const lambda = await startLambdaApi({ port: 0 });
 * const gateway = await startApiGateway({ template, lambdaEndpoint: lambda.url, port: 0 });
 * await fetch(`${gateway.url}/connectors`);
 */
export async function startApiGateway(options: ApiGatewayOptions): Promise<ApiGateway> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host))
    throw new Error(`refusing to listen on '${host}': the API Gateway front listens on loopback only`);
  const apis = readRestApis(options.template, options.scope);
  const api = options.restApi
    ? apis.find((a) => a.logicalId === options.restApi)
    : apis.length === 1
      ? apis[0]
      : undefined;
  if (!api)
    throw new Error(
      `the template has ${apis.length} REST APIs (${apis.map((a) => a.logicalId).join(', ') || 'none'}); name one`,
    );
  const sdk = options.invoke
    ? undefined
    : options.lambdaEndpoint
      ? lambdaInvoker({ endpoint: options.lambdaEndpoint, region: api.region })
      : undefined;
  const invoke = options.invoke ?? sdk?.invoke;
  if (!invoke) throw new Error('startApiGateway needs lambdaEndpoint or invoke');
  const front = new Front(api, invoke, options);
  const server = createServer((req, res) => {
    front.serve(req).then(
      ({ reply, info }) => send(res, reply, info),
      () => send(res, GATEWAY.integrationRejected()),
    );
  });
  const url = await listenOnLoopback(server, options.port ?? 8083, host, 'the API Gateway front');
  return {
    url,
    api,
    authorizerInvocations: () => new Map(front.authorizers.invocations),
    flushAuthorizerCache: () => front.authorizers.flush(),
    async close() {
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
      sdk?.close();
    },
  };
}

class Front {
  readonly authorizers: TokenAuthorizers;

  constructor(
    private readonly api: RestApiModel,
    private readonly invoke: Invoker,
    private readonly options: ApiGatewayOptions,
  ) {
    this.authorizers = new TokenAuthorizers(invoke);
  }

  async serve(req: IncomingMessage): Promise<{ reply: HttpReply; info?: RequestInfo }> {
    const refused = browserRefusal(req);
    if (refused !== undefined) return { reply: refusal(refused) };
    const body = await readBody(req);
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const info = requestInfo(req, body ?? Buffer.alloc(0), q < 0 ? undefined : url.slice(q + 1));
    const reply =
      body === undefined
        ? GATEWAY.tooLarge()
        : await this.handle(req.method ?? 'GET', q < 0 ? url : url.slice(0, q), info);
    this.options.onRequest?.({
      method: req.method ?? '',
      path: url,
      status: reply.status,
      requestId: info.requestId,
    });
    return { reply, info };
  }

  private async handle(httpMethod: string, rawPath: string, info: RequestInfo): Promise<HttpReply> {
    const api = this.api;
    const path = stagePath(rawPath, api.stageName);
    const matched = path === undefined ? undefined : route(api, path, httpMethod);
    if (!matched) return GATEWAY.missingToken();
    const arnBase = `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}`;
    const methodArn = `${arnBase}/${api.stageName}/${httpMethod}${matched.path}`;
    const header = (name: string) => info.headers.find(([n]) => n.toLowerCase() === name)?.[1].at(-1);
    let authorizer: AuthorizerContext | undefined;
    let accessKey: string | undefined;
    const { method } = matched;
    if (method.authorizationType === 'CUSTOM') {
      const model = api.authorizers.get(method.authorizerId ?? '');
      if (!model) return GATEWAY.authorizerFailure();
      if (!this.permitted(model.functionName, `${arnBase}/authorizers/${model.id}`))
        return GATEWAY.authorizerFailure();
      const outcome = await this.authorizers.authorize(model, header(model.header), methodArn);
      if ('reply' in outcome) return outcome.reply;
      authorizer = outcome.allowed;
    } else if (method.authorizationType === 'AWS_IAM' && this.options.iam !== 'open') {
      const signed = sigV4(header('authorization'), info.query);
      if (signed === undefined) return GATEWAY.missingToken();
      if ('incomplete' in signed) return GATEWAY.incompleteSignature(signed.incomplete);
      accessKey = signed.accessKey;
    }
    if (!this.permitted(method.functionName, methodArn)) return GATEWAY.integrationRejected();
    const event = proxyEvent({ api, route: matched, httpMethod, request: info, authorizer, accessKey });
    const limit = Math.min(method.timeoutMs, this.options.integrationTimeoutMs ?? method.timeoutMs);
    const outcome: InvokeOutcome = await this.invoke(method.functionName, method.qualifier, event, limit);
    if ('timedOut' in outcome) return GATEWAY.timeout();
    if ('throttled' in outcome || 'rejected' in outcome) return GATEWAY.integrationRejected();
    if ('functionError' in outcome) return GATEWAY.badGateway();
    return proxyReply(outcome.payload, header('accept'), api.binaryMediaTypes) ?? GATEWAY.badGateway();
  }

  /** Whether a Lambda permission lets API Gateway invoke the function from `sourceArn`. */
  private permitted(functionName: string, sourceArn: string): boolean {
    if (this.options.checkPermissions === false) return true;
    return this.api.permissions.some(
      (p) =>
        p.functionName === functionName && (p.sourceArn === undefined || wildcard(p.sourceArn, sourceArn)),
    );
  }
}

/** A SigV4 `Authorization` header or presigned query: the access key, what is missing, or undefined when unsigned. */
function sigV4(
  authorization: string | undefined,
  query: string | undefined,
): { accessKey: string } | { incomplete: string } | undefined {
  const presigned = new URLSearchParams(query ?? '');
  if (!authorization) {
    if (!presigned.has('X-Amz-Signature')) return undefined;
    return { accessKey: (presigned.get('X-Amz-Credential') ?? '').split('/')[0] ?? '' };
  }
  const fields = /^AWS4-HMAC-SHA256\s+(.*)$/.exec(authorization.trim())?.[1] ?? '';
  const parts = Object.fromEntries(fields.split(',').map((f) => f.trim().split('=') as [string, string]));
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((k) => !parts[k]);
  if (missing.length)
    return {
      incomplete: `${missing.map((k) => `Authorization header requires '${k}' parameter.`).join(' ')} Authorization=${authorization.slice(0, 20)}`,
    };
  return { accessKey: parts.Credential?.split('/')[0] ?? '' };
}

/** The body, or undefined when it is over API Gateway's 10 MB (read to its end, so the client gets the 413). */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
  }
  return size > MAX_REQUEST_BYTES ? undefined : Buffer.concat(chunks);
}

/**
 * A web page's request (`loopback.ts`). Not an AWS behaviour: this front is local mode's REST API, so it
 * answers in Kafka Connect's error shape, as the REST API's own refusals do (docs/local-mode-security.md).
 * The body is not read; the connection closes.
 */
function refusal(message: string): HttpReply {
  return {
    status: 403,
    headers: [
      ['Content-Type', ['application/json']],
      ['Connection', ['close']],
    ],
    body: Buffer.from(JSON.stringify({ error_code: 403, message })),
  };
}

function send(res: ServerResponse, reply: HttpReply, info?: RequestInfo): void {
  const headers: [string, string][] = [];
  for (const [name, values] of reply.headers) for (const v of values) headers.push([name, v]);
  if (info) {
    headers.push(['x-amzn-RequestId', info.requestId]);
    headers.push(['x-amz-apigw-id', info.extendedRequestId]);
    headers.push(['Date', new Date(info.time).toUTCString()]);
  }
  headers.push(['Content-Length', String(reply.body.length)]);
  res.writeHead(reply.status, headers.flat()).end(reply.body);
}
