import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginPolicy } from '../../../lib/config/worker-properties.js';
import { plugins } from '../../../lib/plugins.js';
import { uniqueName } from '../../support/services.js';
import { type ControlFixture, controlFixture, sinkConfig, sourceConfig } from './harness.js';

const allowed = realpathSync(mkdtempSync(join(tmpdir(), 'ctl-policy-')));
let onAws: ControlFixture;
let restricted: ControlFixture;
beforeAll(async () => {
  onAws = await controlFixture('ctl-policy-aws', { plugins: plugins(pluginPolicy({}, true)) });
  restricted = await controlFixture('ctl-policy-paths', {
    plugins: plugins(
      pluginPolicy({ 'file.stream.enable': 'true', 'file.stream.allowed.paths': allowed }, true),
    ),
  });
});
afterAll(async () => {
  await onAws.dispose();
  await restricted.dispose();
});

describe('the deployment’s plugin policy through the REST API', () => {
  it('answers Kafka’s not-found 400 for FileStream where the policy leaves it out, and does not list it', async () => {
    // Act
    const created = await onAws.call('POST', '/connectors', {
      name: uniqueName('fs'),
      config: sourceConfig(),
    });
    const listed = await onAws.call('GET', '/connector-plugins');
    // Assess
    expect(created.status).toBe(400);
    expect(created.body.message).toMatch(
      /^Failed to find any class that implements Connector and which name matches FileStreamSource, available connectors are: /,
    );
    expect(
      listed.body.map((p: { class: string }) => p.class).filter((c: string) => c.includes('FileStream')),
    ).toEqual([]);
  });

  it('refuses a file outside the allowed paths on key file, takes one inside', async () => {
    // Act
    const outside = await restricted.call('POST', '/connectors', {
      name: uniqueName('fs'),
      config: sinkConfig({ file: '/etc/cron.d/x' }),
    });
    const inside = await restricted.call('POST', '/connectors', {
      name: uniqueName('fs'),
      config: sinkConfig({ file: join(allowed, 'out.txt') }),
    });
    // Assess
    expect(outside.status).toBe(400);
    expect(outside.body.message).toContain(
      `Invalid value /etc/cron.d/x for configuration file: the path is outside the allowed paths: the worker allows only files under ${allowed}`,
    );
    expect(inside.status).toBe(201);
  });

  it('refuses an HTTP sink to instance metadata, and to loopback on AWS', async () => {
    // Act
    const metadata = await onAws.call('POST', '/connectors', {
      name: uniqueName('http'),
      config: {
        'connector.class': 'HttpSink',
        topics: 't',
        'http.api.url': 'http://user:pw@169.254.169.254/latest',
      },
    });
    const loopback = await onAws.call('POST', '/connectors', {
      name: uniqueName('http'),
      config: { 'connector.class': 'HttpSink', topics: 't', 'http.api.url': 'http://127.0.0.1:9/' },
    });
    // Assess
    expect(metadata.status).toBe(400);
    expect(metadata.body.message).toContain(
      'Invalid value http://user:[hidden]@169.254.169.254/latest for configuration http.api.url: the HTTP sink may not connect to 169.254.169.254: link-local (instance metadata) addresses are refused',
    );
    expect(metadata.text).not.toContain(':pw@');
    expect(loopback.status).toBe(400);
    expect(loopback.body.message).toContain('loopback addresses are refused');
  });
});
