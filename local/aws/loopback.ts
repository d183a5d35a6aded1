import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The simulator's servers have no authentication: they listen on loopback only and refuse web pages.
 * One rule for the Lambda API, the API Gateway front and the fault interface.
 */

/** A loopback address or name as spelled (never resolved): `localhost`, 127.0.0.0/8, `::1`. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(host);
}

/**
 * SDKs and the CLI send neither an Origin nor a non-loopback Host; a web page does (a cross-origin
 * request, or DNS rebinding of its own name to 127.0.0.1).
 */
export function fromBrowser(req: IncomingMessage): boolean {
  return browserRefusal(req) !== undefined;
}

/** Why {@link fromBrowser} refuses `req`, as one sentence naming the header; undefined to serve it. */
export function browserRefusal(req: IncomingMessage): string | undefined {
  const host = req.headers.host ?? '';
  const hostname = /^(\[[^\]]*\]|[^:]*)(?::\d+)?$/.exec(host)?.[1] ?? '';
  if (!isLoopback(hostname.replace(/^\[(.*)\]$/, '$1')))
    return host === ''
      ? 'Host header missing: this server answers only requests addressed to localhost, 127.0.0.0/8 or [::1]'
      : `Host '${host}' is not a loopback name: this server answers only requests addressed to localhost, 127.0.0.0/8 or [::1] (DNS rebinding protection)`;
  if (req.headers.origin !== undefined)
    return `Requests from web pages are refused (Origin '${req.headers.origin}'): this server answers command-line clients and SDKs on this machine only`;
  return undefined;
}

/** Listens on a loopback `host`, checking what was bound (the OS resolves `localhost`); answers the URL. */
export async function listenOnLoopback(
  server: Server,
  port: number,
  host: string,
  what: string,
): Promise<string> {
  if (!isLoopback(host)) throw new Error(`refusing to listen on '${host}': ${what} listens on loopback only`);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { address, port: bound } = server.address() as AddressInfo;
  if (!isLoopback(address)) {
    server.close();
    throw new Error(`refusing to serve on '${address}' ('${host}' resolved to it): not a loopback address`);
  }
  return `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
}
