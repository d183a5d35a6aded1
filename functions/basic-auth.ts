import { timingSafeEqual } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { AUTH_ENV } from '../lib/env.js';

/**
 * HTTP Basic for tools that cannot sign requests: API Gateway's TOKEN authorizer hands over the
 * `Authorization` header; it must equal `Basic base64(username:password)` of the secret's JSON
 * (`{"username","password"}`). The secret is read once per container; rotate by redeploying or waiting.
 */
export function basicAuthorizer(readSecret: () => Promise<string | undefined>) {
  let expected: Promise<Buffer> | undefined;
  return async (event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    expected ??= expectedHeader(readSecret).catch((error) => {
      expected = undefined;
      throw error;
    });
    const given = Buffer.from(event.authorizationToken ?? '');
    const want = await expected;
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

async function expectedHeader(readSecret: () => Promise<string | undefined>): Promise<Buffer> {
  const { username = '', password = '' } = JSON.parse((await readSecret()) ?? '{}') as Record<string, string>;
  if (!username || !password) throw new Error('the basic auth secret needs "username" and "password"');
  return Buffer.from(`Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`);
}

const client = new SecretsManagerClient({});

export const handler = basicAuthorizer(
  async () =>
    (await client.send(new GetSecretValueCommand({ SecretId: process.env[AUTH_ENV.basicAuthSecretArn] })))
      .SecretString,
);
