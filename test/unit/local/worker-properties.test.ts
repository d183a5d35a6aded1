import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deploymentFromEnv } from '../../../lib/config/deployment.js';
import { PROVIDER_CLASSES, WORKER_PROPERTIES_ENV } from '../../../lib/config/worker-properties.js';
import { localWorkerProperties } from '../../../local/worker-properties.js';

// `npm start --worker-config <file>`: the worker properties local mode hands its functions, as a
// deployment's workerProperties (the simulated functions read them as on AWS: AWS_LAMBDA_FUNCTION_NAME).
const dir = mkdtempSync(join(tmpdir(), 'sc-worker-config-'));
const examplesDir = join(dir, 'examples');
const asFunction = (properties: Record<string, string>) =>
  deploymentFromEnv({
    [WORKER_PROPERTIES_ENV]: JSON.stringify(properties),
    AWS_LAMBDA_FUNCTION_NAME: 'sc-control-api',
    SC_APP_TOKEN: 'app-token-value',
    SC_OTHER: 'other-value',
  });

describe('local mode’s worker properties', () => {
  it('declares no config provider when neither --worker-config nor the variable names one', async () => {
    const properties = await localWorkerProperties({ env: {}, examplesDir });
    const deployment = asFunction(properties);

    expect(Object.keys(deployment.providers)).toEqual([]);
    expect(deployment.plugins).toEqual({
      fileStream: true,
      fileStreamAllowedPaths: [examplesDir],
      httpAllowPrivateNetworks: true,
    });
  });

  it('reads a Kafka worker properties file: its providers with their params, its limits and reach', async () => {
    const file = join(dir, 'worker.properties');
    writeFileSync(
      file,
      [
        '# as in connect-distributed.properties',
        'config.providers=env',
        `config.providers.env.class=${PROVIDER_CLASSES.env}`,
        'config.providers.env.param.allowlist.pattern=SC_APP_.*',
        'tasks.max.limit=8',
        'file.stream.allowed.paths=/srv/in,/srv/out',
        'http.sink.allow.private.networks=false',
      ].join('\n'),
    );

    const properties = await localWorkerProperties({
      file,
      // The file wins over the variable, which is not read at all then.
      env: { [WORKER_PROPERTIES_ENV]: '{"config.providers":"nonsense"}' },
      examplesDir,
    });
    const deployment = asFunction(properties);
    const env = deployment.providers.env;
    const seen = await env?.get('', ['SC_APP_TOKEN', 'SC_OTHER']);

    expect(Object.keys(deployment.providers)).toEqual(['env']);
    expect(seen?.data).toEqual({ SC_APP_TOKEN: 'app-token-value' });
    expect(deployment.limits.tasksMaxLimit).toBe(8);
    expect(deployment.plugins).toEqual({
      fileStream: true,
      fileStreamAllowedPaths: ['/srv/in', '/srv/out'],
      httpAllowPrivateNetworks: false,
    });
  });

  it('takes the same as JSON in CONNECT_WORKER_PROPERTIES without a file', async () => {
    const properties = await localWorkerProperties({
      env: {
        [WORKER_PROPERTIES_ENV]: JSON.stringify({
          'config.providers': 'dir',
          'config.providers.dir.class': PROVIDER_CLASSES.directory,
          'config.providers.dir.param.allowed.paths': '/run/secrets',
        }),
      },
      examplesDir,
    });

    expect(Object.keys(asFunction(properties).providers)).toEqual(['dir']);
  });

  it('fails the start with the reason on a provider class nobody implements or FileStream without paths', async () => {
    const file = join(dir, 'bad.properties');
    writeFileSync(file, 'config.providers=vault\nconfig.providers.vault.class=com.example.Vault\n');
    const noPaths = join(dir, 'no-paths.properties');
    writeFileSync(noPaths, 'file.stream.allowed.paths=\n');

    await expect(localWorkerProperties({ file, examplesDir })).rejects.toThrow(
      /Config provider class com\.example\.Vault \(provider vault\) is not available/,
    );
    await expect(localWorkerProperties({ file: noPaths, examplesDir })).rejects.toThrow(
      /file\.stream\.enable needs file\.stream\.allowed\.paths on AWS/,
    );
  });
});
