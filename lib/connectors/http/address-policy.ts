import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { ConnectError } from '../../api/index.js';

/**
 * Where the HTTP, Elasticsearch/OpenSearch and S3 sinks may send: never to link-local addresses, which hold the instance and task
 * metadata services (169.254.169.254, 169.254.170.2, fd00:ec2::254) and their credentials; to
 * loopback, private, shared (CGNAT), multicast and other special-purpose addresses only when the
 * deployment allows private networks (local mode). IPv6 forms that embed an IPv4 address (mapped,
 * compatible, NAT64, 6to4, Teredo) are judged by that address.
 */
export interface AddressPolicy {
  allowPrivateNetworks: boolean;
}

type Range = { net: bigint; bits: number; what: string };

const V4 = (cidr: string, what: string): Range => {
  const [ip, bits] = cidr.split('/') as [string, string];
  return { net: v4ToBig(ip), bits: Number(bits), what };
};
const V6 = (cidr: string, what: string): Range => {
  const [ip, bits] = cidr.split('/') as [string, string];
  return { net: v6ToBig(ip), bits: Number(bits), what };
};

/** Refused whatever the policy says. */
const ALWAYS_V4 = [V4('169.254.0.0/16', 'link-local (instance metadata)')];
const ALWAYS_V6 = [
  V6('fe80::/10', 'link-local'),
  // AWS's IPv6 service addresses: instance metadata fd00:ec2::254, DNS ::253, time ::123.
  V6('fd00:ec2::/32', 'instance metadata'),
];
/** Refused unless private networks are allowed. */
const PRIVATE_V4 = [
  V4('0.0.0.0/8', '"this network"'),
  V4('10.0.0.0/8', 'private'),
  V4('100.64.0.0/10', 'shared address space (CGNAT)'),
  V4('127.0.0.0/8', 'loopback'),
  V4('172.16.0.0/12', 'private'),
  V4('192.0.0.0/24', 'IETF protocol assignments'),
  V4('192.0.2.0/24', 'documentation'),
  V4('192.168.0.0/16', 'private'),
  V4('198.18.0.0/15', 'benchmarking'),
  V4('198.51.100.0/24', 'documentation'),
  V4('203.0.113.0/24', 'documentation'),
  V4('224.0.0.0/4', 'multicast'),
  V4('240.0.0.0/4', 'reserved (broadcast included)'),
];
const PRIVATE_V6 = [
  V6('::/128', 'unspecified'),
  V6('::1/128', 'loopback'),
  V6('fc00::/7', 'unique local (private)'),
  V6('fec0::/10', 'site-local'),
  V6('ff00::/8', 'multicast'),
  V6('100::/64', 'discard'),
  V6('2001:db8::/32', 'documentation'),
];

/**
 * Why `address` (an IP literal) is refused under `policy`, e.g. `link-local (instance metadata)`;
 * undefined when it may be used. Something that is not an IP literal is refused.
 */
export function refusedAddress(address: string, policy: AddressPolicy): string | undefined {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const family = isIP(bare);
  if (family === 4) return refusedV4(v4ToBig(bare), policy);
  if (family !== 6) return 'not an IP address';
  const v6 = v6ToBig(bare.replace(/%.*$/, ''));
  const embedded = embeddedV4(v6);
  if (embedded !== undefined) {
    const reason = refusedV4(embedded, policy);
    return reason === undefined ? undefined : `${reason}, embedded in IPv6`;
  }
  return match(v6, 128, ALWAYS_V6) ?? (policy.allowPrivateNetworks ? undefined : match(v6, 128, PRIVATE_V6));
}

function refusedV4(ip: bigint, policy: AddressPolicy): string | undefined {
  return match(ip, 32, ALWAYS_V4) ?? (policy.allowPrivateNetworks ? undefined : match(ip, 32, PRIVATE_V4));
}

function match(ip: bigint, width: number, ranges: readonly Range[]): string | undefined {
  for (const r of ranges) {
    const shift = BigInt(width - r.bits);
    if (ip >> shift === r.net >> shift) return r.what;
  }
  return undefined;
}

/** The IPv4 address an IPv6 address carries: mapped, compatible, NAT64, 6to4 or Teredo (client). */
function embeddedV4(ip: bigint): bigint | undefined {
  const low32 = ip & 0xffffffffn;
  const high96 = ip >> 32n;
  if (high96 === 0xffffn) return low32; // ::ffff:a.b.c.d
  if (high96 === 0n && ip > 1n) return low32; // ::a.b.c.d (deprecated compatible form); not :: or ::1
  if (high96 === 0x0064ff9b0000000000000000n) return low32; // 64:ff9b::a.b.c.d (NAT64)
  if (ip >> 112n === 0x2002n) return (ip >> 80n) & 0xffffffffn; // 2002:aabb:ccdd::/48 (6to4)
  if (ip >> 96n === 0x20010000n) return low32 ^ 0xffffffffn; // 2001:0::/32 (Teredo: client inverted)
  return undefined;
}

function v4ToBig(ip: string): bigint {
  return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function v6ToBig(ip: string): bigint {
  let text = ip.toLowerCase();
  // A trailing dotted quad (::ffff:1.2.3.4) becomes two hex groups.
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const v4 = v4ToBig(quad[1] as string);
    text = `${text.slice(0, quad.index)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? (text.split('::') as [string, string]) : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups =
    tail === undefined ? headGroups : [...headGroups, ...Array(missing).fill('0'), ...tailGroups];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g || '0', 16)), 0n);
}

/**
 * The error of a refused destination: not retriable, naming the connector (`HTTP sink`,
 * `Elasticsearch sink`, …), the host and the address, never credentials.
 */
export class RefusedAddressError extends ConnectError {
  constructor(host: string, address: string, reason: string, connector = 'HTTP sink') {
    super(
      host === address || host === `[${address}]`
        ? `The ${connector} may not connect to ${host}: ${reason} addresses are refused`
        : `The ${connector} may not connect to ${host}: it resolves to ${address}, and ${reason} addresses are refused`,
    );
    this.name = 'RefusedAddressError';
  }
}

/** Resolves every address of a name, as `dns.lookup(name, {all: true})` does. */
export type Resolver = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/** A connector's address policy and (tests) a resolver in place of DNS. */
export interface AddressGuard extends AddressPolicy {
  resolve?: Resolver;
}

/**
 * A `lookup` for sockets (an http/https Agent's option) that resolves as `dns.lookup` does and then
 * refuses the connection if any address the name resolved to is refused: the check happens on the
 * address actually connected to, so a name that resolves to 169.254.169.254 (DNS rebinding included)
 * never gets a socket. `resolve` is injectable for tests; `connector` names who is refused.
 */
export function guardedLookup(
  policy: AddressPolicy,
  resolve: Resolver = dnsLookup,
  connector?: string,
): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, list) => {
      if (error) return callback(error, '', 0);
      for (const a of list) {
        const reason = refusedAddress(a.address, policy);
        if (reason) return callback(new RefusedAddressError(hostname, a.address, reason, connector), '', 0);
      }
      if (list.length === 0) {
        const empty = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
        return callback(empty, '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0] as LookupAddress;
      return callback(null, first.address, first.family);
    });
  };
}

/** The URL's host as an IP literal when it is one (`[::1]` → `::1`), else undefined. */
export function ipLiteral(hostname: string): string | undefined {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) ? bare : undefined;
}

/**
 * The refusal of a URL whose host is an IP literal refused under `policy`, else undefined. Node calls
 * no `lookup` for a literal, so this is checked before connecting.
 */
export function refusedLiteral(
  url: URL,
  policy: AddressPolicy,
  connector?: string,
): RefusedAddressError | undefined {
  const literal = ipLiteral(url.hostname);
  const reason = literal === undefined ? undefined : refusedAddress(literal, policy);
  // The host is the address: named once, with its port.
  return literal !== undefined && reason
    ? new RefusedAddressError(url.host, url.host, reason, connector)
    : undefined;
}

/** A URL for messages: scheme, host, port and path; the password hidden, the query left out. */
export function displayUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return '(an invalid URL)';
  }
  const user = parsed.username ? `${parsed.username}${parsed.password ? ':[hidden]' : ''}@` : '';
  return `${parsed.protocol}//${user}${parsed.host}${parsed.pathname}${parsed.search ? '?…' : ''}`;
}
