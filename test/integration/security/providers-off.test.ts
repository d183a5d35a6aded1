// biome-ignore-all lint/suspicious/noTemplateCurlyInString: config-provider placeholders are literal ${…} text
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlPlaneFromEnv } from '../../../functions/control-plane.js';
import { PROVIDER_CLASSES, WORKER_PROPERTIES_ENV } from '../../../lib/config/worker-properties.js';
import { ENV } from '../../../lib/env.js';
import { DYNAMODB_ENDPOINT, KAFKA_BROKERS } from '../../support/services.js';
import { type StoreFixture, storeFixture } from '../store/fixture.js';

// The finding that opened the security issue: local mode started with a secret in its environment, and
// `PUT …/config/validate` with `"tasks.max": "${env:THAT_VARIABLE}"` answered `Invalid value <the secret>`.
// Built as the control API function builds itself from its environment (the same path local mode takes).
const SECRET = 'env-secret-7f3a9c1e5b';
const dir = mkdtempSync(join(tmpdir(), 'sc-off-'));
writeFileSync(join(dir, 'creds.properties'), `aws_secret_access_key=${SECRET}\n`);
let fx: StoreFixture;
const logger = new Logger({ serviceName: 'providers-off', logLevel: 'SILENT' });

beforeAll(async () => {
  fx = await storeFixture('providers-off');
  // In the process's environment too, as in the report: whichever environment a provider reads, it is there.
  process.env.SC_THAT_VARIABLE = SECRET;
});
afterAll(async () => {
  delete process.env.SC_THAT_VARIABLE;
  await fx.dispose();
});

async function validateWith(workerProperties: Record<string, string> | undefined, tasksMax: string) {
  const env: Record<string, string> = {
    [ENV.dynamodbEndpoint]: DYNAMODB_ENDPOINT,
    [ENV.kafkaBrokers]: KAFKA_BROKERS.join(','),
    [ENV.configsTable]: fx.tables.configs,
    [ENV.statusTable]: fx.tables.status,
    [ENV.offsetsTable]: fx.tables.offsets,
    SC_THAT_VARIABLE: SECRET,
    SC_MANY_TASKS: '1000',
    ...(workerProperties ? { [WORKER_PROPERTIES_ENV]: JSON.stringify(workerProperties) } : {}),
  };
  const handle = await controlPlaneFromEnv(env, logger);
  const reply = await handle({
    method: 'PUT',
    path: '/connector-plugins/FileStreamSource/config/validate',
    query: {},
    body: { 'connector.class': 'FileStreamSource', topic: 't', 'tasks.max': tasksMax },
  });
  return JSON.stringify(reply.body);
}

describe('config providers are off unless the deployment declares them', () => {
  it('leaves ${env:…}, ${file:…} and ${directory:…} unresolved when none is declared', async () => {
    for (const placeholder of [
      '${env:SC_THAT_VARIABLE}',
      `\${file:${join(dir, 'creds.properties')}:aws_secret_access_key}`,
      `\${directory:${dir}:creds.properties}`,
    ]) {
      const body = await validateWith(undefined, placeholder);
      expect(body).not.toContain(SECRET);
      expect(body).toContain(`Invalid value ${placeholder.replaceAll('\\', '')} for configuration tasks.max`);
    }
  });

  it('resolves a declared provider within its allowlist only, and hides what it resolved', async () => {
    const declared = (pattern: string) => ({
      'config.providers': 'env',
      'config.providers.env.class': PROVIDER_CLASSES.env,
      'config.providers.env.param.allowlist.pattern': pattern,
    });

    const outside = await validateWith(declared('APP_.*'), '${env:SC_THAT_VARIABLE}');
    const inside = await validateWith(declared('SC_.*'), '${env:SC_THAT_VARIABLE}');

    expect(outside).toContain('Invalid value ${env:SC_THAT_VARIABLE} for configuration tasks.max');
    expect(inside).toContain('Invalid value [hidden] for configuration tasks.max');
    expect(outside + inside).not.toContain(SECRET);
  });

  it('applies the worker limits to what a placeholder resolves to', async () => {
    const body = await validateWith(
      {
        'config.providers': 'env',
        'config.providers.env.class': PROVIDER_CLASSES.env,
        'config.providers.env.param.allowlist.pattern': 'SC_.*',
      },
      '${env:SC_MANY_TASKS}',
    );

    expect(body).toContain("must be at most 64 (the worker's tasks.max.limit)");
  });
});
