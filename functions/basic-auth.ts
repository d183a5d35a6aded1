import { timingSafeEqual } from 'node:crypto';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { AUTH_ENV } from '../lib/env.js';

/** How long the secret is kept when {@link AUTH_ENV.basicAuthSecretTtlSeconds} is unset. */
export const DEFAULT_SECRET_TTL_SECONDS = 300;

/**
 * HTTP Basic for tools that cannot sign requests: API Gateway's TOKEN authorizer hands over the
 * `Authorization` header; it must equal `Basic base64(username:password)` of the secret's JSON
 * (`{"username","password"}`). `readSecret` is asked on every call and is expected to cache (see
 * {@link cachedSecret}), so a rotated secret is honoured once its cached copy expires.
 */
export function basicAuthorizer(readSecret: () => Promise<string | undefined>) {
  let last: { secret: string; header: Buffer } | undefined;
  return async (event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const secret = await readSecret();
    const want = last !== undefined && last.secret === secret ? last.header : expectedHeader(secret);
    last = { secret: secret ?? '', header: want };
    const given = Buffer.from(event.authorizationToken ?? '');
    // API Gateway answers 401 for this exact message.
    if (given.length !== want.length || !timingSafeEqual(given, want)) throw new Error('Unauthorized');
    // Allow the whole stage, so that API Gateway's cached decision serves every path and method.
    const [arn = '', stage = ''] = event.methodArn.split('/');
    return {
      principalId: 'basic',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${arn}/${stage}/*` }],
      },
    };
  };
}

/**
 * The header the secret allows. Its errors never quote the secret, nor JSON.parse's message (which
 * does): they reach the function's log.
 */
function expectedHeader(secret: string | undefined): Buffer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret ?? '');
  } catch {
    throw new Error('the basic auth secret is not JSON: it must be {"username": "…", "password": "…"}');
  }
  const { username, password } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof username !== 'string' || typeof password !== 'string' || !username || !password)
    throw new Error('the basic auth secret needs "username" and "password"');
  return Buffer.from(`Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`);
}

/**
 * The secret's string through Powertools' Parameters utility, kept for `maxAgeSeconds` and read again
 * after: the bound on how long a rotated-out password is still accepted by this container.
 */
export function cachedSecret(options: {
  secretId: string;
  maxAgeSeconds: number;
  provider?: SecretsProvider;
}): () => Promise<string | undefined> {
  const provider = options.provider ?? new SecretsProvider();
  return async () => {
    const value = await provider.get(options.secretId, { maxAge: options.maxAgeSeconds });
    // A binary secret is not the JSON this authorizer reads: refused as malformed.
    return typeof value === 'string' ? value : undefined;
  };
}

/** {@link AUTH_ENV.basicAuthSecretTtlSeconds}: whole seconds ≥ 0 (0 reads the secret on every call). */
export function secretTtlSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[AUTH_ENV.basicAuthSecretTtlSeconds]?.trim();
  if (!text) return DEFAULT_SECRET_TTL_SECONDS;
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < 0)
    throw new Error(`${AUTH_ENV.basicAuthSecretTtlSeconds} must be a whole number of seconds ≥ 0`);
  return seconds;
}

export const handler = basicAuthorizer(
  cachedSecret({
    secretId: process.env[AUTH_ENV.basicAuthSecretArn] ?? '',
    maxAgeSeconds: secretTtlSeconds(),
  }),
);
