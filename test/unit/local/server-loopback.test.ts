import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlServer, isLoopbackHost, startControlServer } from '../../../local/server.js';

// The local REST API is for this machine only (docs/local-mode-security.md). These tests go through a
// real server on an ephemeral port with raw requests, since fetch will not let a caller pick Host.
let server: ControlServer;
let port: number;
const events: APIGatewayProxyEvent[] = [];

beforeAll(async () => {
  server = await startControlServer({
    port: 0,
    handler: async (event) => {
      events.push(event);
      return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '{"served":true}' };
    },
  });
  port = Number(new URL(server.url).port);
});

afterAll(() => server.close());

describe('the local REST server refuses requests not addressed to loopback (DNS rebinding)', () => {
  it.each([
    'evil.example',
    'evil.example:8083',
    'localhost.evil.example',
    'localhost.evil.example:8083',
    '127.0.0.1.nip.io',
    '127.0.0.1.nip.io:8083',
    '127.0.0.1.evil.example',
    'evil-localhost',
    'localhost.',
    '0.0.0.0:8083',
    '192.0.2.2:8083',
    '127.0.0.256',
    '127.1',
    '[::ffff:127.0.0.1]:8083',
    '[::1',
    'localhost:99999',
    'localhost:',
  ])('Host %j gets Kafka Connect’s 403 and never reaches the handler', async (host) => {
    // Prepare
    const before = events.length;
    // Act
    const reply = await send({ Host: host }, { method: 'POST', body: '{"name":"x","config":{}}' });
    // Assess
    expect(reply.status).toBe(403);
    expect(reply.headers['content-type']).toBe('application/json');
    const body = JSON.parse(reply.body) as { error_code: number; message: string };
    expect(body.error_code).toBe(403);
    expect(body.message).toContain('is not a loopback name');
    expect(events.length).toBe(before);
  });

  it.each([
    'localhost',
    'localhost:8083',
    'LocalHost:8083',
    '127.0.0.1',
    '127.0.0.1:8083',
    '127.1.2.3:9',
    '127.255.255.255',
    '[::1]',
    '[::1]:8083',
  ])('Host %j is served', async (host) => {
    // Act
    const reply = await send({ Host: host });
    // Assess
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('{"served":true}');
  });

  it('refuses a request without a Host header (HTTP/1.0)', async () => {
    // Prepare
    const before = events.length;
    // Act
    const reply = await raw('GET /connectors HTTP/1.0\r\n\r\n');
    // Assess
    expect(reply).toMatch(/^HTTP\/1\.1 403 /);
    expect(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4))).toEqual({
      error_code: 403,
      message:
        'Host header missing: the local REST API answers only requests addressed to localhost, 127.0.0.0/8 or [::1]',
    });
    expect(events.length).toBe(before);
  });

  it('refuses an empty Host header', async () => {
    // Act: raw, since http.request replaces an empty Host with its own.
    const reply = await raw('GET /connectors HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n');
    // Assess
    expect(reply).toMatch(/^HTTP\/1\.1 403 /);
    expect(reply).toContain(`"message":"Host '' is not a loopback name`);
  });

  it('refuses a request with two Host headers, even if one is loopback', async () => {
    // Act
    const reply = await raw(
      'GET /connectors HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n',
    );
    // Assess: Node itself answers 400 to this; either way it is refused and never served.
    expect(reply).toMatch(/^HTTP\/1\.1 40[03] /);
    expect(reply).not.toContain('"served"');
  });
});

describe('the local REST server refuses requests web pages of other origins send', () => {
  it.each(['http://evil.example', 'null', 'http://localhost:1', 'https://127.0.0.1', 'file://'])(
    'Origin %j gets 403',
    async (origin) => {
      // Prepare
      const before = events.length;
      // Act: a "simple" POST a page can send without a preflight (no Content-Type).
      const reply = await send({ Host: `127.0.0.1:${port}`, Origin: origin }, { method: 'POST', body: '{}' });
      // Assess
      expect(reply.status).toBe(403);
      expect(JSON.parse(reply.body)).toMatchObject({ error_code: 403 });
      expect(events.length).toBe(before);
    },
  );

  it('serves a request whose Origin is the server itself', async () => {
    // Act
    const reply = await send({ Host: `localhost:${port}`, Origin: `http://localhost:${port}` });
    // Assess
    expect(reply.status).toBe(200);
  });
});

describe('the local REST server listens on loopback only', () => {
  it.each(['0.0.0.0', '::', '192.0.2.2', 'example.com'])('refuses to listen on %j', async (host) => {
    // Act
    const attempt = startControlServer({
      port: 0,
      host,
      handler: async () => ({ statusCode: 200, body: '' }),
    });
    // Assess
    await expect(attempt).rejects.toThrow(`refusing to listen on '${host}'`);
  });

  it('is bound to 127.0.0.1, not reachable on a non-loopback address of this machine', async (context) => {
    // Prepare
    const address = nonLoopbackIPv4();
    if (address === undefined) {
      context.skip('this machine has no non-loopback IPv4 address to try');
      return;
    }
    // Act
    const outside = await reachable(address, port);
    const inside = await reachable('127.0.0.1', port);
    // Assess
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
    expect({ outside, inside }).toEqual({ outside: false, inside: true });
  });
});

describe('isLoopbackHost', () => {
  it('judges the spelling, never the resolution', () => {
    expect(isLoopbackHost('localhost:8083')).toBe(true);
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('[::1]:1')).toBe(true);
    expect(isLoopbackHost('localtest.me')).toBe(false);
    expect(isLoopbackHost(undefined)).toBe(false);
  });
});

/** One request with exactly these headers (Node adds Host only when it is not given). */
function send(
  headers: Record<string, string>,
  options: { method?: string; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/connectors',
        method: options.method ?? 'GET',
        headers,
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.once('error', reject);
    req.end(options.body);
  });
}

/** Writes the bytes as they are and returns everything the server answers until it closes. */
function raw(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(bytes));
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      reply += chunk;
    });
    socket.once('end', () => resolve(reply));
    socket.once('error', reject);
  });
}

function nonLoopbackIPv4(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;
}

/** True when a TCP connection to address:port is accepted. */
function reachable(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
