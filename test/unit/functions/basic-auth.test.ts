import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { basicAuthorizer } from '../../../functions/basic-auth.js';

// Secrets Manager cannot be reached here: the authorizer takes its secret reader as a function, and the
// test passes one that answers the secret's JSON.
const methodArn = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/v1/GET/connectors';
const event = (token: string): APIGatewayTokenAuthorizerEvent => ({
  type: 'TOKEN',
  authorizationToken: token,
  methodArn,
});
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('the HTTP Basic authorizer', () => {
  it('allows the whole stage for the right credentials, reading the secret once', async () => {
    let reads = 0;
    const authorize = basicAuthorizer(async () => {
      reads++;
      return JSON.stringify({ username: 'admin', password: 'pa:ss' });
    });
    const first = await authorize(event(basic('admin', 'pa:ss')));
    await authorize(event(basic('admin', 'pa:ss')));
    expect(first.policyDocument.Statement).toEqual([
      {
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/v1/*',
      },
    ]);
    expect(reads).toBe(1);
  });

  it('answers Unauthorized for a wrong password, another scheme or no header', async () => {
    const authorize = basicAuthorizer(async () => JSON.stringify({ username: 'admin', password: 'secret' }));
    await expect(authorize(event(basic('admin', 'guess')))).rejects.toThrow('Unauthorized');
    await expect(authorize(event('Bearer token'))).rejects.toThrow('Unauthorized');
    await expect(authorize(event(''))).rejects.toThrow('Unauthorized');
  });

  it('refuses to authorize anyone when the secret lacks a username or password', async () => {
    const authorize = basicAuthorizer(async () => JSON.stringify({ username: 'admin' }));
    await expect(authorize(event(basic('admin', '')))).rejects.toThrow(
      'the basic auth secret needs "username" and "password"',
    );
  });
});
