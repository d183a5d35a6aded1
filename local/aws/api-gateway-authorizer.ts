import type { AuthorizerContext } from './api-gateway-event.js';
import type { Invoker } from './api-gateway-invoke.js';
import { GATEWAY, type HttpReply } from './api-gateway-response.js';
import type { AuthorizerModel } from './api-gateway-template.js';

/**
 * A Lambda authorizer of type TOKEN, as API Gateway runs it:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html,
 * api-gateway-lambda-authorizer-input.html and api-gateway-lambda-authorizer-output.html.
 * See docs/simulator/api-gateway.md.
 */

interface Policy {
  principalId: string;
  statements: { effect: 'Allow' | 'Deny'; actions: string[]; resources: string[] }[];
  context: Record<string, string>;
}

export type AuthorizerOutcome = { allowed: AuthorizerContext } | { reply: HttpReply };

export class TokenAuthorizers {
  /** By authorizer and token: the policy and when it expires. */
  readonly #cache = new Map<string, { policy: Policy; expires: number }>();
  /** How many times each authorizer function was invoked (for tests and faults). */
  readonly invocations = new Map<string, number>();

  constructor(
    private readonly invoke: Invoker,
    private readonly now: () => number = Date.now,
  ) {}

  /** Decides a request for `methodArn`, invoking the authorizer unless its cache holds the token. */
  async authorize(
    authorizer: AuthorizerModel,
    token: string | undefined,
    methodArn: string,
  ): Promise<AuthorizerOutcome> {
    if (!token || (authorizer.validationExpression && !authorizer.validationExpression.test(token)))
      return { reply: GATEWAY.unauthorized() };
    const key = `${authorizer.logicalId}\n${token}`;
    const cached = this.#cache.get(key);
    let policy: Policy;
    let latency = 0;
    if (cached && cached.expires > this.now()) {
      policy = cached.policy;
    } else {
      this.#cache.delete(key);
      const started = this.now();
      this.invocations.set(authorizer.logicalId, (this.invocations.get(authorizer.logicalId) ?? 0) + 1);
      const outcome = await this.invoke(
        authorizer.functionName,
        authorizer.qualifier,
        { type: 'TOKEN', authorizationToken: token, methodArn },
        // An authorizer gets the integration's limit too.
        29_000,
      );
      latency = this.now() - started;
      if (!('payload' in outcome)) return { reply: GATEWAY.authorizerFailure() };
      if ('functionError' in outcome)
        return {
          reply:
            errorMessage(outcome.payload) === 'Unauthorized'
              ? GATEWAY.unauthorized()
              : GATEWAY.authorizerFailure(),
        };
      const parsed = readPolicy(outcome.payload);
      if (!parsed) return { reply: GATEWAY.authorizerFailure() };
      policy = parsed;
      if (authorizer.ttlSeconds > 0)
        this.#cache.set(key, { policy, expires: this.now() + authorizer.ttlSeconds * 1000 });
    }
    // A cached policy is evaluated against this request's ARN, whichever request it was returned for.
    const decision = evaluate(policy, methodArn);
    if (decision === 'deny') return { reply: GATEWAY.explicitDeny() };
    if (decision === 'none') return { reply: GATEWAY.implicitDeny() };
    return { allowed: { principalId: policy.principalId, integrationLatency: latency, ...policy.context } };
  }

  /** Forgets every cached decision. */
  flush(): void {
    this.#cache.clear();
  }
}

function errorMessage(payload: string): unknown {
  try {
    return (JSON.parse(payload) as { errorMessage?: unknown } | null)?.errorMessage;
  } catch {
    return undefined;
  }
}

/**
 * The authorizer's output, or undefined when malformed: a `principalId` string, a `policyDocument` with
 * `Statement` (an object or a list) of `Effect` Allow/Deny, `Action` and `Resource` (a string or a
 * list), and a `context` of strings, numbers and booleans only (passed on as strings).
 */
function readPolicy(payload: string): Policy | undefined {
  let output: unknown;
  try {
    output = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (output === null || typeof output !== 'object') return undefined;
  const o = output as Record<string, unknown>;
  const document = o.policyDocument as Record<string, unknown> | undefined;
  if (typeof o.principalId !== 'string' || document === null || typeof document !== 'object')
    return undefined;
  const raw = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  const statements: Policy['statements'] = [];
  for (const s of raw as Record<string, unknown>[]) {
    if (s === null || typeof s !== 'object') return undefined;
    const list = (v: unknown) =>
      typeof v === 'string' ? [v] : Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;
    const actions = list(s.Action);
    const resources = list(s.Resource);
    if ((s.Effect !== 'Allow' && s.Effect !== 'Deny') || !actions || !resources) return undefined;
    statements.push({ effect: s.Effect, actions, resources });
  }
  const context: Record<string, string> = {};
  if (o.context !== undefined && o.context !== null) {
    if (typeof o.context !== 'object' || Array.isArray(o.context)) return undefined;
    for (const [k, v] of Object.entries(o.context)) {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return undefined;
      context[k] = String(v);
    }
  }
  return { principalId: o.principalId, statements, context };
}

/** IAM's rule: an explicit Deny wins, then an Allow; nothing matching is an implicit deny. */
function evaluate(policy: Policy, methodArn: string): 'allow' | 'deny' | 'none' {
  const applies = (s: Policy['statements'][number]) =>
    s.actions.some((a) => wildcard(a.toLowerCase(), 'execute-api:invoke')) &&
    s.resources.some((r) => wildcard(r, methodArn));
  if (policy.statements.some((s) => s.effect === 'Deny' && applies(s))) return 'deny';
  return policy.statements.some((s) => s.effect === 'Allow' && applies(s)) ? 'allow' : 'none';
}

/** IAM's ARN matching: `*` any run of characters (`/` included), `?` one character. */
export function wildcard(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(value);
}
