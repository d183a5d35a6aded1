import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, RetriableError, SinkRecord } from '../../../../lib/api/index.js';
import {
  displayUrl,
  RefusedAddressError,
  type Resolver,
  refusedAddress,
} from '../../../../lib/connectors/http/address-policy.js';
import { httpConfigDef } from '../../../../lib/connectors/http/config.js';
import type { HttpSinkConnector } from '../../../../lib/connectors/http/http-sink-connector.js';
import { HttpSinkTask } from '../../../../lib/connectors/http/http-sink-task.js';
import { plugins } from '../../../../lib/plugins.js';
import { inertSinkContext } from '../../../support/sink-context.js';

const PRIVATE_OK = { allowPrivateNetworks: true };
const PUBLIC_ONLY = { allowPrivateNetworks: false };

let server: Server;
let port = 0;
const received: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push(`${req.method} ${req.url} ${body}`);
      if (req.url === '/redirect') {
        res.writeHead(302, { Location: 'http://169.254.169.254/latest/meta-data/' }).end();
        return;
      }
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const record = (value: unknown) => new SinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: 0, value });

/** Starts the task and puts one record: undefined when delivered, else what start or put threw. */
async function send(task: HttpSinkTask, url: string): Promise<unknown> {
  task.initialize(inertSinkContext());
  try {
    task.start({ 'http.api.url': url, 'max.retries': '0', 'retry.backoff.ms': '0' });
    await task.put([record({ a: 1 })]);
    return undefined;
  } catch (error) {
    return error;
  } finally {
    task.stop();
  }
}

/** A resolver that answers `addresses` for every name, as a rebinding DNS server would. */
const resolving =
  (...addresses: string[]): Resolver =>
  (_host, _options, callback) =>
    callback(
      null,
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );

describe('which addresses the HTTP sink refuses', () => {
  it('always refuses link-local and instance metadata addresses, IPv4-mapped and other embeddings included', () => {
    for (const address of [
      '169.254.169.254',
      '169.254.170.2',
      '169.254.0.1',
      'fd00:ec2::254',
      'fe80::1',
      'febf::1',
      '::ffff:169.254.169.254',
      '::ffff:a9fe:a9fe',
      '[::ffff:a9fe:a9fe]',
      '::169.254.169.254',
      '64:ff9b::a9fe:a9fe',
      '2002:a9fe:a9fe::1',
      'fe80::1%eth0',
    ]) {
      expect({ address, reason: refusedAddress(address, PRIVATE_OK) }).toEqual({
        address,
        reason: expect.stringMatching(/link-local|metadata/),
      });
    }
  });

  it('refuses loopback, private, CGNAT, this-network, multicast and broadcast unless private networks are allowed', () => {
    for (const address of [
      '127.0.0.1',
      '127.255.255.254',
      '::1',
      '10.0.0.1',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      'fc00::1',
      'fd12:3456::1',
      '100.64.0.1',
      '100.100.100.200',
      '0.0.0.0',
      '::',
      '224.0.0.1',
      'ff02::1',
      '255.255.255.255',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
    ]) {
      expect({ address, refused: refusedAddress(address, PUBLIC_ONLY) !== undefined }).toEqual({
        address,
        refused: true,
      });
      expect({ address, allowed: refusedAddress(address, PRIVATE_OK) }).toEqual({
        address,
        allowed: undefined,
      });
    }
  });

  it('lets public addresses through', () => {
    for (const address of [
      '93.184.216.34',
      '8.8.8.8',
      '172.32.0.1',
      '100.128.0.1',
      '2606:4700::1111',
      '::ffff:8.8.8.8',
    ]) {
      expect({ address, reason: refusedAddress(address, PUBLIC_ONLY) }).toEqual({
        address,
        reason: undefined,
      });
    }
  });

  it('sees decimal, hex, octal and short IPv4 spellings as the address they are (WHATWG URL normalises them)', () => {
    for (const url of [
      'http://2852039166/',
      'http://0xa9fea9fe/',
      'http://0xA9.0xFE.0xA9.0xFE/',
      'http://0251.0376.0251.0376/',
      'http://169.254.43518/',
      'http://[::ffff:169.254.169.254]/',
    ]) {
      const hostname = new URL(url).hostname;
      expect(['169.254.169.254', '[::ffff:a9fe:a9fe]']).toContain(hostname);
      const [value] = httpConfigDef(PRIVATE_OK)
        .validate({ 'http.api.url': url })
        .filter((v) => v.name === 'http.api.url');
      expect({ url, errors: value?.errorMessages }).toEqual({
        url,
        errors: [
          expect.stringMatching(
            /^Invalid value .* for configuration http\.api\.url: the HTTP sink may not connect to .*link-local/,
          ),
        ],
      });
    }
  });

  it('refuses non-http schemes at validation, and shows URLs without password or query', () => {
    const [value] = httpConfigDef(PRIVATE_OK)
      .validate({ 'http.api.url': 'file:///etc/passwd' })
      .filter((v) => v.name === 'http.api.url');
    expect(value?.errorMessages).toEqual([
      'Invalid value file:///etc/passwd for configuration http.api.url: the scheme must be http or https',
    ]);
    expect(displayUrl('https://bob:s3cret@api.example.com:8443/hook?token=abc')).toBe(
      'https://bob:[hidden]@api.example.com:8443/hook?…',
    );
  });
});

describe('the HTTP sink at connect time', () => {
  it('delivers to a loopback server when private networks are allowed (local mode)', async () => {
    // Act
    const error = await send(new HttpSinkTask(PRIVATE_OK), `http://127.0.0.1:${port}/ok`);
    // Assess
    expect(error).toBeUndefined();
    expect(received.at(-1)).toBe('POST /ok [{"a":1}]');
  });

  it('refuses the same loopback server, by IP and by name, when they are not, without retrying', async () => {
    // Prepare
    const before = received.length;
    // Act
    const byIp = await send(new HttpSinkTask(PUBLIC_ONLY), `http://127.0.0.1:${port}/ok`);
    const byName = await send(new HttpSinkTask(PUBLIC_ONLY), `http://localhost:${port}/ok`);
    // Assess
    // An IP literal is refused when the task starts already; a name when its socket looks it up.
    expect(byIp).toBeInstanceOf(ConfigError);
    expect(byIp).not.toBeInstanceOf(RetriableError);
    expect((byIp as Error).message).toBe(
      `Invalid value http://127.0.0.1:${port}/ok for configuration http.api.url: the HTTP sink may not connect to 127.0.0.1:${port}: loopback addresses are refused`,
    );
    expect(byName).toBeInstanceOf(RefusedAddressError);
    expect((byName as Error).message).toMatch(
      /^The HTTP sink may not connect to localhost: it resolves to (127\.0\.0\.1|::1), and loopback addresses are refused$/,
    );
    expect(received.length).toBe(before);
  });

  it('refuses a name that resolves to 169.254.169.254 (DNS rebinding) even with private networks allowed, naming the host, not the password', async () => {
    // Act
    const error = await send(
      new HttpSinkTask({ ...PRIVATE_OK, resolve: resolving('169.254.169.254') }),
      'http://user:s3cret@metadata.attacker.example/latest/meta-data/',
    );
    const mixed = await send(
      new HttpSinkTask({ ...PUBLIC_ONLY, resolve: resolving('93.184.216.34', 'fd00:ec2::254') }),
      'https://api.example.com/hook',
    );
    // Assess
    expect(error).toBeInstanceOf(RefusedAddressError);
    expect((error as Error).message).toBe(
      'The HTTP sink may not connect to metadata.attacker.example: it resolves to 169.254.169.254, and link-local (instance metadata) addresses are refused',
    );
    expect((error as Error).message).not.toContain('s3cret');
    expect((mixed as Error).message).toMatch(
      /resolves to fd00:ec2::254, and instance metadata addresses are refused/,
    );
  });

  it('does not follow a redirect (to instance metadata here): the task fails, the password stays out of the message', async () => {
    // Act
    const error = await send(new HttpSinkTask(PRIVATE_OK), `http://u:pw-9876@127.0.0.1:${port}/redirect`);
    // Assess
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(RetriableError);
    expect((error as Error).message).toBe(
      `HTTP 302 from POST http://u:[hidden]@127.0.0.1:${port}/redirect: the HTTP sink does not follow redirects (this one to http://169.254.169.254/latest/meta-data/); set http.api.url to the final URL`,
    );
    expect(received.filter((r) => r.includes('meta-data'))).toEqual([]);
  });
});

describe('the policy from plugins(policy)', () => {
  const policy = (httpAllowPrivateNetworks: boolean) => ({
    fileStream: true,
    fileStreamAllowedPaths: [],
    httpAllowPrivateNetworks,
  });

  it('binds the connector’s validation and its tasks; plugins() with no policy allows private networks (local mode)', async () => {
    // Prepare
    const url = `http://127.0.0.1:${port}/bound`;
    const errorsOf = (registry: ReturnType<typeof plugins>) =>
      registry
        .newConnector('HttpSink')
        .validate({ 'http.api.url': url })
        .flatMap((v) => v.errorMessages);
    // Act
    const onAws = plugins(policy(false));
    const local = plugins();
    const TaskClass = (onAws.newConnector('HttpSink') as HttpSinkConnector).taskClass();
    const error = await send(new TaskClass(), url);
    // Assess
    expect(errorsOf(onAws)).toEqual([
      `Invalid value ${url} for configuration http.api.url: the HTTP sink may not connect to 127.0.0.1:${port}: loopback addresses are refused`,
    ]);
    expect(errorsOf(local)).toEqual([]);
    expect(errorsOf(plugins(policy(true)))).toEqual([]);
    expect(TaskClass.name).toBe('HttpSinkTask');
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/loopback addresses are refused/);
    expect(
      await send(new ((local.newConnector('HttpSink') as HttpSinkConnector).taskClass())(), url),
    ).toBeUndefined();
  });
});
