// biome-ignore-all lint/suspicious/noTemplateCurlyInString: config-provider placeholders are literal ${…} text
import {
  CreateSecretCommand,
  SecretsManagerClient,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../lib/config/providers/resolve-config.js';
import { workerConfigProviders } from '../../../lib/config/providers/worker-providers.js';
import { PROVIDER_CLASSES } from '../../../lib/config/worker-properties.js';
import { type Moto, motoAvailable, startMoto } from '../../support/moto.js';
import { uniqueName } from '../../support/services.js';

// The Secrets Manager and SSM providers through Powertools' Parameters utility and the AWS SDK, against
// moto's emulated services (AWS itself is not reachable from tests).
const noMoto = motoAvailable();
if (noMoto) console.log(`aws-providers: skipped: ${noMoto}`);
let moto: Moto;
const saved = { ...process.env };
const region = 'us-east-1';

beforeAll(async () => {
  if (noMoto) return;
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: region,
  });
  moto = await startMoto();
}, 30_000);
afterAll(async () => {
  process.env = saved;
  await moto?.stop();
});

const declared = (endpoint: string, extra: Record<string, string> = {}) =>
  workerConfigProviders({
    'config.providers': 'secretsmanager,ssm',
    'config.providers.secretsmanager.class': PROVIDER_CLASSES.secretsManager,
    'config.providers.secretsmanager.param.allowed.secrets': 'app/*',
    'config.providers.secretsmanager.param.endpoint': endpoint,
    'config.providers.secretsmanager.param.region': region,
    'config.providers.ssm.class': PROVIDER_CLASSES.ssm,
    'config.providers.ssm.param.allowed.parameters': '/app/*',
    'config.providers.ssm.param.endpoint': endpoint,
    'config.providers.ssm.param.region': region,
    ...extra,
  });

describe.skipIf(noMoto)('AWS config providers on Powertools', () => {
  it('resolve a secret by name and by ARN, a SecureString parameter, and fail a missing one by key', async () => {
    const name = `app/${uniqueName('db')}`;
    const sm = new SecretsManagerClient({ endpoint: moto.endpoint, region });
    const { ARN } = await sm.send(
      new CreateSecretCommand({ Name: name, SecretString: '{"username":"app","password":"pw-1"}' }),
    );
    await new SSMClient({ endpoint: moto.endpoint, region }).send(
      new PutParameterCommand({ Name: `/app/${name}`, Value: 'param-1', Type: 'SecureString' }),
    );

    const { config, errors } = await resolveConfig(
      {
        user: `\${secretsmanager:${name}:username}`,
        pw: `\${secretsmanager:${ARN}:password}`,
        param: `\${ssm::/app/${name}}`,
        missing: '${secretsmanager:app/absent:password}',
        outside: '${secretsmanager:other/x:password}',
      },
      declared(moto.endpoint),
    );

    expect(config).toMatchObject({ user: 'app', pw: 'pw-1', param: 'param-1' });
    expect(errors).toEqual({
      missing: 'Secret undefined app/absent:password',
      outside: "Secret other/x is not in the provider's allowed.secrets",
    });
  });

  it('caches a value for cache.max.age.seconds, then reads the rotated one', async () => {
    const name = `app/${uniqueName('rotating')}`;
    const sm = new SecretsManagerClient({ endpoint: moto.endpoint, region });
    await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'v1-secret' }));
    const providers = declared(moto.endpoint, {
      'config.providers.secretsmanager.param.cache.max.age.seconds': '1',
    });
    const read = async () => (await resolveConfig({ s: `\${secretsmanager:${name}}` }, providers)).config.s;

    const first = await read();
    await sm.send(new UpdateSecretCommand({ SecretId: name, SecretString: 'v2-secret' }));
    const cached = await read();
    await new Promise((r) => setTimeout(r, 1_200));
    const rotated = await read();

    expect([first, cached, rotated]).toEqual(['v1-secret', 'v1-secret', 'v2-secret']);
  });

  it('bounds the cache by a ?ttl= on the key, so the restart that TTL triggers reads the new value', async () => {
    const name = `app/${uniqueName('ttl')}`;
    const sm = new SecretsManagerClient({ endpoint: moto.endpoint, region });
    await sm.send(new CreateSecretCommand({ Name: name, SecretString: '{"password":"old-pw"}' }));
    const providers = declared(moto.endpoint);
    const read = async () =>
      (await resolveConfig({ s: `\${secretsmanager:${name}:password?ttl=1000}` }, providers)).config.s;

    const first = await read();
    await sm.send(new UpdateSecretCommand({ SecretId: name, SecretString: '{"password":"new-pw"}' }));
    await new Promise((r) => setTimeout(r, 1_200));
    const second = await read();

    expect([first, second]).toEqual(['old-pw', 'new-pw']);
  });

  it('reports an unreachable endpoint as retriable, naming no value', async () => {
    const providers = declared('http://127.0.0.1:9');

    const resolved = await resolveConfig({ s: '${secretsmanager:app/x:password}' }, providers);

    expect(resolved.retriable).toBe(true);
    expect(resolved.errors.s).toMatch(/^Could not read secret app\/x: /);
  }, 30_000);
});
