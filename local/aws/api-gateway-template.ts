import { createHash } from 'node:crypto';
import { readPermissions } from './api-gateway-permissions.js';
import { asArray, Resolver, type Resource, type Template, type TemplateScope } from './intrinsics.js';
import { stackNameFromMetadata } from './template.js';

/**
 * An API Gateway REST API read from a synthesized CloudFormation template: its resources
 * (`AWS::ApiGateway::Resource`), methods (`AWS::ApiGateway::Method` with Lambda proxy integrations),
 * TOKEN authorizers, the stage, and the `AWS::Lambda::Permission`s that let API Gateway invoke the
 * functions. See docs/simulator/api-gateway.md.
 */

export interface RestApiModel {
  logicalId: string;
  /** A stand-in for the generated REST API id: 10 characters of `[a-z0-9]`, stable per stack and logical id. */
  apiId: string;
  stageName: string;
  region: string;
  accountId: string;
  /** Every resource, the root (`/`) first. */
  resources: ResourceModel[];
  authorizers: Map<string, AuthorizerModel>;
  /** `BinaryMediaTypes` of the REST API (none in this app). */
  binaryMediaTypes: string[];
  /** Who may invoke which function: `AWS::Lambda::Permission` for `apigateway.amazonaws.com`. */
  permissions: PermissionModel[];
}

export interface ResourceModel {
  /** Logical id, or `root`. */
  logicalId: string;
  /** A stand-in resource id (`requestContext.resourceId`). */
  id: string;
  /** The resource path, e.g. `/connectors/{connector}/status`. */
  path: string;
  /** The path parts below the root: `connectors`, `{connector}`, `{proxy+}`. */
  parts: string[];
  /** By HTTP method (`GET`, …, `ANY`). */
  methods: Map<string, MethodModel>;
}

export interface MethodModel {
  httpMethod: string;
  authorizationType: 'NONE' | 'CUSTOM' | 'AWS_IAM';
  /** The authorizer's logical id when `CUSTOM`. */
  authorizerId?: string;
  /** The function the `AWS_PROXY` integration's Uri names. */
  functionName: string;
  qualifier?: string;
  /** `Integration.TimeoutInMillis`; API Gateway's default is 29,000. */
  timeoutMs: number;
}

export interface AuthorizerModel {
  logicalId: string;
  /** A stand-in authorizer id (6 characters). */
  id: string;
  functionName: string;
  qualifier?: string;
  /** The header of `IdentitySource` (`method.request.header.<name>`), lower-case. */
  header: string;
  validationExpression?: RegExp;
  /** `AuthorizerResultTtlInSeconds`; default 300, 0 = no cache. */
  ttlSeconds: number;
}

export interface PermissionModel {
  functionName: string;
  /** `SourceArn` as a pattern (`*`, `?`); undefined = any source. */
  sourceArn?: string;
}

/** API Gateway's integration timeout (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html). */
export const INTEGRATION_TIMEOUT_MS = 29_000;
/** API Gateway's default authorizer result TTL. */
export const AUTHORIZER_DEFAULT_TTL = 300;

/**
 * The REST APIs of a template. Anything the front does not simulate (another integration type, a
 * REQUEST or Cognito authorizer, API keys, gateway responses, request validators) is refused here with
 * an error, rather than ignored: a caller relying on it would believe it holds.
 */
export function readRestApis(template: object, scope: TemplateScope = {}): RestApiModel[] {
  const t = template as Template;
  const resources = t.Resources ?? {};
  const full = {
    stackName: scope.stackName ?? stackNameFromMetadata(resources) ?? 'Stack',
    region: scope.region ?? 'us-east-1',
    accountId: scope.accountId ?? '000000000000',
    physicalNames: scope.physicalNames ?? {},
  };
  const resolver = new Resolver(t, full);
  const of = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const unsupported = ['AWS::ApiGateway::GatewayResponse', 'AWS::ApiGateway::RequestValidator'].flatMap(of);
  if (unsupported.length) {
    throw new Error(`not simulated: ${unsupported.map(([id, r]) => `${r.Type} ${id}`).join(', ')}`);
  }
  return of('AWS::ApiGateway::RestApi').map(([logicalId, api]) => {
    const apiId = stableId(`${full.stackName}/${logicalId}`, 10);
    const belongs = (r: Resource) => refOf(r.Properties?.RestApiId) === logicalId;
    const stages = of('AWS::ApiGateway::Stage').filter(([, r]) => belongs(r));
    const [stage, ...more] = stages;
    if (!stage || more.length)
      throw new Error(`REST API ${logicalId} has ${stages.length} stages; one is simulated`);
    const stageName = String(resolver.tryResolve(stage[1].Properties?.StageName) ?? '');
    const ids: Record<string, string> = { [logicalId]: apiId, [stage[0]]: stageName };
    const authorizers = new Map<string, AuthorizerModel>();
    for (const [id, r] of of('AWS::ApiGateway::Authorizer').filter(([, r]) => belongs(r))) {
      const authorizer = readAuthorizer(id, r, resolver, full.stackName);
      authorizers.set(id, authorizer);
      ids[id] = authorizer.id;
    }
    const tree = readResources(
      logicalId,
      of('AWS::ApiGateway::Resource').filter(([, r]) => belongs(r)),
      full.stackName,
    );
    for (const [id, r] of of('AWS::ApiGateway::Method').filter(([, r]) => belongs(r))) {
      const resourceId = r.Properties?.ResourceId;
      const target = isRootRef(resourceId, logicalId)
        ? tree[0]
        : tree.find((n) => n.logicalId === refOf(resourceId));
      if (!target) throw new Error(`method ${id}: its ResourceId names no resource of ${logicalId}`);
      const method = readMethod(id, r, resolver, authorizers);
      target.methods.set(method.httpMethod, method);
    }
    const binary = asArray(resolver.tryResolve(api.Properties?.BinaryMediaTypes));
    return {
      logicalId,
      apiId,
      stageName,
      region: full.region,
      accountId: full.accountId,
      resources: tree,
      authorizers,
      binaryMediaTypes: binary
        .filter((b): b is string => typeof b === 'string')
        .map((b) => b.replace('~1', '/')),
      permissions: readPermissions(of('AWS::Lambda::Permission'), resolver, ids),
    };
  });
}

function readResources(
  apiLogicalId: string,
  entries: [string, Resource][],
  stackName: string,
): ResourceModel[] {
  const root: ResourceModel = {
    logicalId: 'root',
    id: stableId(`${stackName}/${apiLogicalId}/root`, 10),
    path: '/',
    parts: [],
    methods: new Map(),
  };
  const built = new Map<string, ResourceModel>();
  const build = (id: string, seen: Set<string>): ResourceModel => {
    const done = built.get(id);
    if (done) return done;
    const entry = entries.find(([logicalId]) => logicalId === id);
    if (!entry || seen.has(id))
      throw new Error(`resource ${id}: no such resource of ${apiLogicalId}, or a cycle`);
    const props = entry[1].Properties ?? {};
    const parentRef = props.ParentId;
    const parent = isRootRef(parentRef, apiLogicalId)
      ? root
      : build(String(refOf(parentRef)), new Set([...seen, id]));
    const part = String(props.PathPart ?? '');
    if (!/^(\{[A-Za-z0-9._-]+\+?\}|[^{}/]+)$/.test(part))
      throw new Error(`resource ${id}: PathPart '${part}'`);
    const parts = [...parent.parts, part];
    const node = {
      logicalId: id,
      id: stableId(`${stackName}/${id}`, 6),
      path: `/${parts.join('/')}`,
      parts,
      methods: new Map(),
    };
    built.set(id, node);
    return node;
  };
  for (const [id] of entries) build(id, new Set());
  return [root, ...built.values()];
}

function readMethod(
  id: string,
  resource: Resource,
  resolver: Resolver,
  authorizers: Map<string, AuthorizerModel>,
): MethodModel {
  const props = resource.Properties ?? {};
  const integration = (props.Integration ?? {}) as Record<string, unknown>;
  const httpMethod = String(resolver.tryResolve(props.HttpMethod) ?? '').toUpperCase();
  const authorizationType = String(resolver.tryResolve(props.AuthorizationType) ?? 'NONE');
  if (integration.Type !== 'AWS_PROXY')
    throw new Error(
      `method ${id}: integration ${String(integration.Type)} is not simulated (only AWS_PROXY)`,
    );
  if (authorizationType !== 'NONE' && authorizationType !== 'CUSTOM' && authorizationType !== 'AWS_IAM')
    throw new Error(`method ${id}: AuthorizationType ${authorizationType} is not simulated`);
  if (props.ApiKeyRequired === true) throw new Error(`method ${id}: ApiKeyRequired is not simulated`);
  const authorizerId = authorizationType === 'CUSTOM' ? refOf(props.AuthorizerId) : undefined;
  if (authorizationType === 'CUSTOM' && !(authorizerId && authorizers.has(authorizerId)))
    throw new Error(`method ${id}: AuthorizerId names no TOKEN authorizer of its API`);
  const target = integrationFunction(integration.Uri, resolver, `method ${id}`);
  const timeout = integration.TimeoutInMillis;
  return {
    httpMethod,
    authorizationType,
    authorizerId,
    ...target,
    timeoutMs: typeof timeout === 'number' ? timeout : INTEGRATION_TIMEOUT_MS,
  };
}

function readAuthorizer(
  id: string,
  resource: Resource,
  resolver: Resolver,
  stackName: string,
): AuthorizerModel {
  const props = resource.Properties ?? {};
  if (props.Type !== 'TOKEN')
    throw new Error(`authorizer ${id}: Type ${String(props.Type)} is not simulated (only TOKEN)`);
  const source = String(resolver.tryResolve(props.IdentitySource) ?? '');
  const header = /^method\.request\.header\.([^.\s]+)$/.exec(source)?.[1];
  if (!header) throw new Error(`authorizer ${id}: IdentitySource '${source}' is not a header`);
  const expression = resolver.tryResolve(props.IdentityValidationExpression);
  const ttl = props.AuthorizerResultTtlInSeconds;
  return {
    logicalId: id,
    id: stableId(`${stackName}/${id}`, 6),
    ...integrationFunction(props.AuthorizerUri, resolver, `authorizer ${id}`),
    header: header.toLowerCase(),
    // API Gateway matches the whole token against the expression.
    validationExpression: typeof expression === 'string' ? new RegExp(`^(?:${expression})$`) : undefined,
    ttlSeconds: typeof ttl === 'number' ? ttl : AUTHORIZER_DEFAULT_TTL,
  };
}

/** `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations` → the function. */
function integrationFunction(
  uri: unknown,
  resolver: Resolver,
  what: string,
): { functionName: string; qualifier?: string } {
  const text = resolver.tryResolve(uri);
  const arn =
    typeof text === 'string'
      ? /:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/.exec(text)?.[1]
      : undefined;
  const fn = arn === undefined ? undefined : resolver.functionOf(arn);
  if (!fn) throw new Error(`${what}: its Uri names no function of the template (${JSON.stringify(uri)})`);
  return { functionName: resolver.physicalName(fn.logicalId), qualifier: fn.qualifier };
}

function refOf(value: unknown): string | undefined {
  const ref = (value as Record<string, unknown> | undefined)?.Ref;
  return typeof ref === 'string' ? ref : undefined;
}

function isRootRef(value: unknown, apiLogicalId: string): boolean {
  const getAtt = (value as Record<string, unknown> | undefined)?.['Fn::GetAtt'];
  const parts = typeof getAtt === 'string' ? getAtt.split('.') : asArray(getAtt);
  return parts[0] === apiLogicalId && parts[1] === 'RootResourceId';
}

/** `length` characters of `[a-z0-9]` from the SHA-256 of `seed`, as API Gateway's ids look. */
export function stableId(seed: string, length: number): string {
  const digest = createHash('sha256').update(seed).digest('hex');
  return BigInt(`0x${digest}`).toString(36).slice(0, length);
}
