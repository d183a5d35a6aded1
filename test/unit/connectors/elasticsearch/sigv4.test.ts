import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../../../lib/connectors/elasticsearch/cluster.js';
import { settingsOf } from './settings-fixture.js';

// AWS cannot run here: a loopback server stands in for the endpoint and records what arrives, which
// is what this test is about (the signer is wired), not how AWS judges the signature.
let server: Server;
let url = '';
const seen: IncomingHttpHeaders[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers);
    req
      .resume()
      .on('end', () =>
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ version: { number: '2.19.0', distribution: 'opensearch' } })),
      );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const saved = { ...process.env };
afterEach(() => {
  for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

async function firstRequest(props: Record<string, string>, flavor: 'confluent' | 'aiven' = 'aiven') {
  seen.length = 0;
  const cluster = await Cluster.connect(settingsOf(flavor, { 'connection.url': url, ...props }).connection);
  try {
    expect(await cluster.info()).toEqual({ distribution: 'opensearch', version: '2.19.0' });
  } finally {
    await cluster.close();
  }
  return seen[0] ?? {};
}

const SIGNED =
  /^AWS4-HMAC-SHA256 Credential=(\w+)\/\d{8}\/([\w-]+)\/(\w+)\/aws4_request, SignedHeaders=[\w;-]+, Signature=[0-9a-f]{64}$/;

describe('SigV4 signing through the client’s AwsSigv4Signer', () => {
  it('signs for OpenSearch Serverless (aoss) with static keys', async () => {
    const headers = await firstRequest({
      'aws.region': 'eu-west-1',
      'aws.service.signing.name': 'aoss',
      'aws.access_key_id': 'AKIDSTATIC',
      'aws.secret_access_key': 'secret',
    });
    expect(headers.authorization).toMatch(SIGNED);
    expect(SIGNED.exec(headers.authorization as string)?.slice(1)).toEqual([
      'AKIDSTATIC',
      'eu-west-1',
      'aoss',
    ]);
    expect(headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('signs for a managed domain (es) with the AWS default credential chain, session token included', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDFROMCHAIN';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret';
    process.env.AWS_SESSION_TOKEN = 'token-from-the-role';
    const headers = await firstRequest(
      { 'aws.region': 'us-east-1', 'aws.service.signing.name': 'es' },
      'confluent',
    );
    expect(SIGNED.exec(headers.authorization as string)?.slice(1)).toEqual([
      'AKIDFROMCHAIN',
      'us-east-1',
      'es',
    ]);
    expect(headers['x-amz-security-token']).toBe('token-from-the-role');
  });

  it('does not sign without aws.region and aws.service.signing.name; Basic credentials go as Basic', async () => {
    expect((await firstRequest({})).authorization).toBeUndefined();
    const basic = await firstRequest({ 'connection.username': 'u', 'connection.password': 'p' });
    expect(basic.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
  });
});
