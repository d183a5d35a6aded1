// biome-ignore-all lint/suspicious/noTemplateCurlyInString: config-provider placeholders are literal ${…} text
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsSecretsManagerConfigProvider } from '../../../../lib/config/providers/aws-secrets-manager.js';
import { awsSsmConfigProvider } from '../../../../lib/config/providers/aws-ssm.js';
import { directoryConfigProvider } from '../../../../lib/config/providers/directory.js';
import { envConfigProvider } from '../../../../lib/config/providers/env.js';
import { fileConfigProvider } from '../../../../lib/config/providers/file.js';
import { parseProperties } from '../../../../lib/config/providers/properties.js';
import { resolveConfig, reverseTransform } from '../../../../lib/config/providers/resolve-config.js';
import { workerConfigProviders } from '../../../../lib/config/providers/worker-providers.js';

describe('resolveConfig', () => {
  it('replaces several references per value and leaves unknown providers and keys as written', async () => {
    // Prepare
    const env = envConfigProvider({ env: { USER: 'alice', PASS: 's3cret' } });
    // Act
    const { config } = await resolveConfig(
      {
        url: 'jdbc://${env:USER}:${env::PASS}@db',
        other: '${vault:x:y}',
        missing: '${env:NOPE}',
        plain: 'a:b',
      },
      { env },
    );
    // Assess
    expect(config).toEqual({
      url: 'jdbc://alice:s3cret@db',
      other: '${vault:x:y}',
      missing: '${env:NOPE}',
      plain: 'a:b',
    });
  });

  it('asks each provider once per path with all wanted keys and keeps the smallest ttl', async () => {
    const calls: Array<[string, readonly string[]]> = [];
    const p = {
      get: async (path: string, keys: readonly string[]) => {
        calls.push([path, keys]);
        return { data: Object.fromEntries(keys.map((k) => [k, k.toUpperCase()])), ttl: 5000 };
      },
    };

    const result = await resolveConfig({ a: '${p:/x:one}', b: '${p:/x:two}' }, { p });

    expect(calls).toEqual([['/x', ['one', 'two']]]);
    expect(result).toEqual({
      config: { a: 'ONE', b: 'TWO' },
      ttls: { a: 5000, b: 5000 },
      errors: {},
      retriable: false,
    });
  });
});

describe('reverseTransform', () => {
  it('puts the raw placeholder back into task configs', () => {
    const raw = { 'connection.password': '${file:/s.properties:pw}', topic: 't' };
    const tasks = [{ 'connection.password': 'hunter2', topic: 't', 'task.id': '0' }];

    expect(reverseTransform(tasks, raw)).toEqual([
      { 'connection.password': '${file:/s.properties:pw}', topic: 't', 'task.id': '0' },
    ]);
  });
});

describe('env provider', () => {
  it('refuses a path with Kafka wording and applies allowlist.pattern', async () => {
    const env = envConfigProvider({ env: { A_1: 'x', B_1: 'y' }, allowlistPattern: 'A_.*' });

    await expect(env.get('/etc', ['A_1'])).rejects.toThrow(
      "Path is not supported for EnvVarConfigProvider, invalid value '/etc'",
    );
    expect(await env.get('', ['A_1', 'B_1'])).toEqual({ data: { A_1: 'x' } });
  });
});

describe('parseProperties', () => {
  it('reads =, :, whitespace separators, comments, continuations and escapes', () => {
    const text = [
      '# comment',
      '! also',
      'a=1',
      'b : 2',
      'c 3',
      'long = one, \\',
      '    two',
      'esc\\=key=x\\ty\\u0041',
      'empty=',
    ].join('\n');

    expect(parseProperties(text)).toEqual({
      a: '1',
      b: '2',
      c: '3',
      long: 'one, two',
      'esc=key': 'x\tyA',
      empty: '',
    });
  });
});

describe('file and directory providers', () => {
  it('read keys from a properties file and files in a directory, within allowed.paths', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'cp-'));
    await writeFile(join(dir, 'db.properties'), 'password=pw1\n');
    await writeFile(join(dir, 'token'), 'tok');
    const file = fileConfigProvider({ allowedPaths: [dir] });
    const directory = directoryConfigProvider({ allowedPaths: [dir] });
    // Act / Assess
    expect(await file.get(join(dir, 'db.properties'), ['password', 'nope'])).toEqual({
      data: { password: 'pw1' },
    });
    expect(await directory.get(dir, ['token', 'missing'])).toEqual({ data: { token: 'tok' } });
    await expect(
      fileConfigProvider({ allowedPaths: ['/nowhere'] }).get(join(dir, 'db.properties'), ['password']),
    ).rejects.toThrow('is not allowed');
  });
});

// The AWS providers over a plain function source here; test/integration/config/aws-providers.test.ts runs
// them through Powertools against an emulated Secrets Manager and SSM.
describe('AWS providers', () => {
  const store: Record<string, string> = {
    'db-creds': '{"username":"app","port":5432}',
    'plain-token': 'abc-not-json',
    'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf': '{"password":"pw-from-arn"}',
    '/connect/db/password': 'ssm-pw',
  };
  const fake = async (id: string) => store[id];

  it('Secrets Manager: path is the secret id, key a JSON field; no path gives the whole string', async () => {
    const sm = awsSecretsManagerConfigProvider(fake);

    expect(await sm.get('db-creds', ['username', 'port'])).toEqual({
      data: { username: 'app', port: '5432' },
    });
    expect(await sm.get('', ['plain-token'])).toEqual({ data: { 'plain-token': 'abc-not-json' } });
  });

  it('parses a raw ARN as one path and one key, and a URL-encoded ARN as MSK Connect users write it', async () => {
    const sm = awsSecretsManagerConfigProvider(fake);
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf';

    const raw = await resolveConfig({ pw: `\${secretsmanager:${arn}:password}` }, { secretsmanager: sm });
    const encoded = await resolveConfig(
      { pw: `\${secretsmanager:${encodeURIComponent(arn)}:password}` },
      { secretsmanager: sm },
    );
    const whole = await resolveConfig({ pw: `\${secretsmanager:${arn}}` }, { secretsmanager: sm });

    expect(raw.config.pw).toBe('pw-from-arn');
    expect(encoded.config.pw).toBe('pw-from-arn');
    expect(whole.config.pw).toBe('{"password":"pw-from-arn"}');
  });

  it('fails a missing secret or field by default instead of leaving the placeholder as the password', async () => {
    const sm = awsSecretsManagerConfigProvider(fake);

    const { config, errors } = await resolveConfig(
      { a: '${secretsmanager:absent:password}', b: '${secretsmanager:db-creds:nope}' },
      { secretsmanager: sm },
    );

    expect(errors).toEqual({
      a: 'Secret undefined absent:password',
      b: 'Secret undefined db-creds:nope',
    });
    expect(config.a).toBe('${secretsmanager:absent:password}');
    const ignore = awsSecretsManagerConfigProvider(fake, { notFound: 'ignore' });
    expect((await resolveConfig({ a: '${s:absent:x}' }, { s: ignore })).errors).toEqual({});
  });

  it('never echoes a secret that is not JSON when a field is asked of it', async () => {
    const sm = awsSecretsManagerConfigProvider(fake);

    const { errors } = await resolveConfig(
      { a: '${secretsmanager:plain-token:field}' },
      { secretsmanager: sm },
    );

    expect(errors.a).toBe('Secret plain-token is not a JSON object, so it has no fields');
    expect(JSON.stringify(errors)).not.toContain('abc-not-json');
  });

  it('refuses secrets outside allowed.secrets, by name, ARN or wildcard', async () => {
    const sm = awsSecretsManagerConfigProvider(fake, { allowedSecrets: ['prod/db', 'db-*'] });
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf';

    expect((await sm.get(arn, ['password'])).data.password).toBe('pw-from-arn');
    expect((await sm.get('db-creds', ['username'])).data.username).toBe('app');
    expect((await sm.get('plain-token', [''])).errors?.['']?.message).toBe(
      "Secret plain-token is not in the provider's allowed.secrets",
    );
  });

  it('honours MSK Connect ?ttl= on a key as the data TTL', async () => {
    const sm = awsSecretsManagerConfigProvider(fake);

    const { config, ttls } = await resolveConfig(
      { u: '${secretsmanager:db-creds:username?ttl=60000}' },
      { secretsmanager: sm },
    );

    expect(config.u).toBe('app');
    expect(ttls).toEqual({ u: 60000 });
  });

  it('SSM: MSK Connect form ${ssm::/name}, the plain form and an ARN, within allowed.parameters', async () => {
    const ssm = awsSsmConfigProvider(fake, { allowedParameters: ['/connect/*'] });

    const { config, errors } = await resolveConfig(
      {
        msk: '${ssm::/connect/db/password}',
        plain: '${ssm:/connect/db/password}',
        arn: '${ssm:arn:aws:ssm:eu-west-1:123456789012:parameter/connect/db/password}',
        outside: '${ssm::/other/x}',
      },
      { ssm },
    );

    expect(config).toMatchObject({ msk: 'ssm-pw', plain: 'ssm-pw', arn: 'ssm-pw' });
    expect(errors.outside).toBe("Parameter /other/x is not in the provider's allowed.parameters");
  });
});

describe('workerConfigProviders', () => {
  it('enables no provider unless the deployment declares it', async () => {
    const none = workerConfigProviders({}, { env: { SECRET: 'canary-value' } });

    const { config } = await resolveConfig({ a: '${env:SECRET}', b: '${file:/etc/passwd:root}' }, none);

    expect(none).toEqual({});
    expect(config).toEqual({ a: '${env:SECRET}', b: '${file:/etc/passwd:root}' });
  });

  it('builds the declared providers with their params, by Kafka and MSK Connect class names', async () => {
    const providers = workerConfigProviders(
      {
        'config.providers': 'env,secretsmanager',
        'config.providers.env.class': 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
        'config.providers.env.param.allowlist.pattern': 'APP_.*',
        'config.providers.secretsmanager.class':
          'com.amazonaws.kafka.config.providers.SecretsManagerConfigProvider',
      },
      { env: { APP_TOPIC: 'orders', OTHER: 'hidden-value' } },
    );

    const { config } = await resolveConfig({ a: '${env:APP_TOPIC}', b: '${env:OTHER}' }, providers);

    expect(Object.keys(providers).sort()).toEqual(['env', 'secretsmanager']);
    expect(config).toEqual({ a: 'orders', b: '${env:OTHER}' });
  });

  it('refuses an unknown provider class, so a typo fails at start instead of leaving placeholders', () => {
    expect(() =>
      workerConfigProviders({
        'config.providers': 'vault',
        'config.providers.vault.class': 'com.example.Vault',
      }),
    ).toThrow('Config provider class com.example.Vault (provider vault) is not available');
    expect(() => workerConfigProviders({ 'config.providers': 'env' })).toThrow(
      'Worker property config.providers.env.class is missing',
    );
  });

  it('never exposes the AWS credentials through env, whatever allowlist.pattern says', async () => {
    const env = envConfigProvider({
      env: { AWS_SECRET_ACCESS_KEY: 'k', AWS_SESSION_TOKEN: 't', AWS_REGION: 'r' },
    });

    expect((await env.get('', ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION'])).data).toEqual({
      AWS_REGION: 'r',
    });
  });

  it('never reads /proc, /sys or /dev through file and directory providers', async () => {
    await expect(fileConfigProvider().get('/proc/self/environ', ['AWS_SECRET_ACCESS_KEY'])).rejects.toThrow(
      'is not allowed',
    );
    await expect(directoryConfigProvider().get('/proc/self', ['environ'])).rejects.toThrow('is not allowed');
  });
});
