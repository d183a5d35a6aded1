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
    expect(result).toEqual({ config: { a: 'ONE', b: 'TWO' }, ttls: { a: 5000, b: 5000 } });
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

// Live AWS is unreachable from the unit test machine, so the AWS providers get fake sources here; the
// SDK adapters (secretsManagerSource, ssmSource) are one call each.
describe('AWS providers', () => {
  const store: Record<string, string> = {
    'db-creds': '{"username":"app","port":5432}',
    'plain-token': 'abc',
  };
  const fake = async (id: string) => store[id];

  it('Secrets Manager: path is the secret id, key a JSON field; no path gives the whole string', async () => {
    const sm = awsSecretsManagerConfigProvider({ getSecretString: fake });

    expect(await sm.get('db-creds', ['username', 'port', 'missing'])).toEqual({
      data: { username: 'app', port: '5432' },
    });
    expect(await sm.get('', ['plain-token'])).toEqual({ data: { 'plain-token': 'abc' } });
    expect(await sm.get('plain-token', ['anything'])).toEqual({ data: { anything: 'abc' } });
  });

  it('SSM: same rule with parameter names', async () => {
    const ssm = awsSsmConfigProvider({ getParameter: fake });

    expect(await ssm.get('', ['db-creds'])).toEqual({
      data: { 'db-creds': '{"username":"app","port":5432}' },
    });
    expect(await ssm.get('absent', ['x'])).toEqual({ data: {} });
  });
});
