import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetriableError } from '../../../../lib/api/index.js';
import { RefusedAddressError, type Resolver } from '../../../../lib/connectors/http/address-policy.js';
import type { S3SinkConnector } from '../../../../lib/connectors/s3/s3-sink-connector.js';
import { S3SinkTask } from '../../../../lib/connectors/s3/s3-sink-task.js';
import { plugins } from '../../../../lib/plugins.js';
import { inertSinkContext } from '../../../support/sink-context.js';

// A loopback server stands in for S3 and records every request: a refused address must leave it
// untouched. It answers the task's start-up HeadBucket with 200, so a reachable bucket starts the task.
let server: Server;
let port = 0;
const received: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    received.push(`${req.method} ${req.url} ${req.headers.authorization?.split(' ')[0] ?? ''}`);
    req.resume().on('end', () => res.writeHead(200).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** Starts the task (which checks the bucket): undefined when it started, else what start threw. */
async function start(task: S3SinkTask, url: string): Promise<unknown> {
  task.initialize(inertSinkContext());
  try {
    await task.start({
      topics: 't',
      's3.bucket.name': 'bucket',
      's3.region': 'us-east-1',
      's3.path.style.access.enabled': 'true',
      's3.part.retries': '0',
      'store.url': url,
      'aws.access.key.id': 'AKIDTEST',
      'aws.secret.access.key': 'secret',
      'storage.class': 'io.confluent.connect.s3.storage.S3Storage',
      'format.class': 'io.confluent.connect.s3.format.json.JsonFormat',
      'flush.size': '1',
    });
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await task.stop();
  }
}

const taskOf = (httpAllowPrivateNetworks: boolean) => {
  const registry = plugins({ fileStream: false, fileStreamAllowedPaths: [], httpAllowPrivateNetworks });
  return new ((registry.newConnector('S3Sink') as S3SinkConnector).taskClass())();
};

const resolving =
  (address: string): Resolver =>
  (_host, _options, callback) =>
    callback(null, [{ address, family: 4 }]);

describe('the S3 sink under the deployment’s address policy', () => {
  it('refuses a loopback store.url, by IP and by name, when private networks are not allowed, without a request or a retry', async () => {
    // Prepare
    const before = received.length;
    // Act
    const byIp = await start(taskOf(false), `http://127.0.0.1:${port}`);
    const byName = await start(taskOf(false), `http://localhost:${port}`);
    const rebound = await start(
      new S3SinkTask({ allowPrivateNetworks: false, resolve: resolving('127.0.0.1') }),
      `http://s3.example.com:${port}`,
    );
    // Assess
    expect(byIp).toBeInstanceOf(RefusedAddressError);
    expect(byIp).not.toBeInstanceOf(RetriableError);
    expect((byIp as Error).message).toBe(
      `The S3 sink may not connect to 127.0.0.1:${port}: loopback addresses are refused`,
    );
    expect(byName).toBeInstanceOf(RefusedAddressError);
    expect((byName as Error).message).toMatch(
      /^The S3 sink may not connect to localhost: it resolves to (127\.0\.0\.1|::1), and loopback addresses are refused$/,
    );
    expect(rebound).toBeInstanceOf(RefusedAddressError);
    expect((rebound as Error).message).toBe(
      'The S3 sink may not connect to s3.example.com: it resolves to 127.0.0.1, and loopback addresses are refused',
    );
    expect(received.length).toBe(before);
  });

  it('reaches the loopback store in local mode, signed with SigV4', async () => {
    // Prepare
    const before = received.length;
    // Act
    const error = await start(taskOf(true), `http://127.0.0.1:${port}`);
    // Assess
    expect(error).toBeUndefined();
    expect(received.slice(before)).toEqual(['HEAD /bucket/ AWS4-HMAC-SHA256']);
  });

  it('refuses link-local (instance metadata) under every policy, by IP and by name', async () => {
    // Act
    const errors = [
      await start(taskOf(true), 'http://169.254.169.254'),
      await start(taskOf(false), '169.254.169.254'),
      await start(
        new S3SinkTask({ allowPrivateNetworks: true, resolve: resolving('169.254.169.254') }),
        'http://metadata.attacker.example',
      ),
    ];
    // Assess
    expect(errors.map((e) => [e instanceof RefusedAddressError, (e as Error).message])).toEqual([
      [
        true,
        'The S3 sink may not connect to 169.254.169.254: link-local (instance metadata) addresses are refused',
      ],
      [
        true,
        'The S3 sink may not connect to 169.254.169.254: link-local (instance metadata) addresses are refused',
      ],
      [
        true,
        'The S3 sink may not connect to metadata.attacker.example: it resolves to 169.254.169.254, and link-local (instance metadata) addresses are refused',
      ],
    ]);
  });
});
