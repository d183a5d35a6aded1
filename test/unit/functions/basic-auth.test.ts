import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  basicAuthorizer,
  cachedSecret,
  DEFAULT_SECRET_TTL_SECONDS,
  secretTtlSeconds,
} from '../../../functions/basic-auth.js';
import { AUTH_ENV } from '../../../lib/env.js';

// Secrets Manager cannot be reached here: the authorizer takes its secret reader as a function. The
// rotation tests go through Powertools' real SecretsProvider over an SDK client whose `send` is stubbed,
// so the cache that bounds rotation is the one that runs on AWS.
const methodArn = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/v1/GET/connectors';
const event = (token: string): APIGatewayTokenAuthorizerEvent => ({
  type: 'TOKEN',
  authorizationToken: token,
  methodArn,
});
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const SECRET_ID = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:connect-basic-AbCdEf';

/** A Secrets Manager client answering `current.value`, counting its calls. */
function stubbedSecrets(current: { value: string }) {
  const client = new SecretsManagerClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const send = vi.spyOn(client, 'send').mockImplementation(async () => ({ SecretString: current.value }));
  return { provider: new SecretsProvider({ awsSdkV3Client: client }), send };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the HTTP Basic authorizer', () => {
  it('allows the whole stage for the right credentials', async () => {
    const authorize = basicAuthorizer(async () => JSON.stringify({ username: 'admin', password: 'pa:ss' }));
    const first = await authorize(event(basic('admin', 'pa:ss')));
    expect(first.policyDocument.Statement).toEqual([
      {
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/v1/*',
      },
    ]);
  });

  it('answers Unauthorized for a wrong password, another scheme or no header', async () => {
    const authorize = basicAuthorizer(async () => JSON.stringify({ username: 'admin', password: 'secret' }));
    await expect(authorize(event(basic('admin', 'guess')))).rejects.toThrow(/^Unauthorized$/);
    await expect(authorize(event(basic('root', 'secret')))).rejects.toThrow(/^Unauthorized$/);
    await expect(authorize(event('Bearer token'))).rejects.toThrow(/^Unauthorized$/);
    await expect(authorize(event(''))).rejects.toThrow(/^Unauthorized$/);
    const noHeader = { type: 'TOKEN', methodArn } as APIGatewayTokenAuthorizerEvent;
    await expect(authorize(noHeader)).rejects.toThrow(/^Unauthorized$/);
  });

  it('refuses to authorize anyone when the secret lacks a username or password', async () => {
    const authorize = basicAuthorizer(async () => JSON.stringify({ username: 'admin' }));
    await expect(authorize(event(basic('admin', '')))).rejects.toThrow(
      'the basic auth secret needs "username" and "password"',
    );
  });

  it('names a malformed secret without quoting any of it', async () => {
    // Prepare: secrets that JSON.parse would quote in its own message, and one with a non-string field.
    const secrets = ['hunter2-not-json', '{"username":"admin","password":"hunter2"', '"hunter2"'];
    for (const secret of secrets) {
      const authorize = basicAuthorizer(async () => secret);
      // Act
      const error = await authorize(event(basic('admin', 'hunter2'))).catch((e: Error) => e);
      // Assess
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/basic auth secret/);
      expect(`${(error as Error).message} ${String((error as Error).cause ?? '')}`).not.toContain('hunter2');
    }
    const numeric = basicAuthorizer(async () => JSON.stringify({ username: 'admin', password: 424242 }));
    const error = (await numeric(event(basic('admin', '424242'))).catch((e: Error) => e)) as Error;
    expect(error.message).toBe('the basic auth secret needs "username" and "password"');
    expect(error.message).not.toContain('424242');
  });
});

describe('the secret cache', () => {
  it('reads the secret once per TTL', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const current = { value: JSON.stringify({ username: 'admin', password: 'one' }) };
    const { provider, send } = stubbedSecrets(current);
    const authorize = basicAuthorizer(cachedSecret({ secretId: SECRET_ID, maxAgeSeconds: 300, provider }));
    for (let i = 0; i < 5; i++) await authorize(event(basic('admin', 'one')));
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('honours a rotation once the TTL has passed, and not before', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const current = { value: JSON.stringify({ username: 'admin', password: 'old' }) };
    const { provider } = stubbedSecrets(current);
    const authorize = basicAuthorizer(cachedSecret({ secretId: SECRET_ID, maxAgeSeconds: 300, provider }));
    await authorize(event(basic('admin', 'old')));
    // Act: the secret rotates; within the TTL the cached copy still answers.
    current.value = JSON.stringify({ username: 'admin', password: 'new' });
    vi.advanceTimersByTime(299_000);
    await expect(authorize(event(basic('admin', 'old')))).resolves.toMatchObject({ principalId: 'basic' });
    // Assess: past the TTL the old password is refused and the new one accepted.
    vi.advanceTimersByTime(2_000);
    await expect(authorize(event(basic('admin', 'old')))).rejects.toThrow(/^Unauthorized$/);
    await expect(authorize(event(basic('admin', 'new')))).resolves.toMatchObject({ principalId: 'basic' });
  });

  it('takes its TTL from the environment, 300 s when unset, and refuses nonsense', () => {
    expect(secretTtlSeconds({})).toBe(DEFAULT_SECRET_TTL_SECONDS);
    expect(DEFAULT_SECRET_TTL_SECONDS).toBe(300);
    expect(secretTtlSeconds({ [AUTH_ENV.basicAuthSecretTtlSeconds]: '60' })).toBe(60);
    expect(() => secretTtlSeconds({ [AUTH_ENV.basicAuthSecretTtlSeconds]: '-1' })).toThrow(
      AUTH_ENV.basicAuthSecretTtlSeconds,
    );
    expect(() => secretTtlSeconds({ [AUTH_ENV.basicAuthSecretTtlSeconds]: 'soon' })).toThrow();
  });
});
