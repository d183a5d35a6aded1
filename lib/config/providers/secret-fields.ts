import { ConfigError, RetriableError } from '../../api/errors.js';
import type { ConfigData, Reference } from './config-provider.js';

/** MSK Connect's TTL suffix on a key: `${secretsmanager:db:password?ttl=300000}` (milliseconds). */
const TTL_SUFFIX = /\?ttl=(\d+)$/;

/** A key without its `?ttl=` suffix, and the TTL it asked for. */
export function splitTtl(key: string): { key: string; ttl?: number } {
  const m = TTL_SUFFIX.exec(key);
  return m ? { key: key.slice(0, m.index), ttl: Number(m[1]) } : { key };
}

/**
 * Where an AWS reference points. An ARN holds colons, so it is the path as a whole and whatever follows
 * it is the key: `arn:aws:secretsmanager:<region>:<account>:secret:<name>` has 7 parts,
 * `arn:aws:ssm:<region>:<account>:parameter/<name>` has 6. MSK Connect users write the ARN URL-encoded
 * (`arn%3Aaws%3A…`), which is decoded. Everything else splits as Kafka does (path ends at the first colon).
 */
export function awsReference(text: string, arnParts: number): Reference {
  if (text.startsWith('arn:')) {
    const parts = text.split(':');
    return { path: parts.slice(0, arnParts).join(':'), key: parts.slice(arnParts).join(':') };
  }
  const colon = text.indexOf(':');
  if (colon < 0) return { path: '', key: text };
  return { path: decode(text.slice(0, colon)), key: text.slice(colon + 1) };
}

function decode(path: string): string {
  try {
    return path.includes('%') ? decodeURIComponent(path) : path;
  } catch {
    return path;
  }
}

/** `NotFoundStrategy` of MSK Connect's providers: `fail` (default) throws, `ignore` leaves the text as written. */
export type NotFoundStrategy = 'fail' | 'ignore';

/**
 * The shared lookup rule of the AWS providers:
 * - `${p:<id>:<field>}` (path = secret id / parameter name): the stored string must be a JSON object and
 *   `field` one of its fields (non-string fields as JSON text). An empty field means the whole string.
 * - `${p:<id>}` / `${p::<id>}` (no path): the key is the id, and the whole string is its value.
 * A missing secret or field fails with a message naming the id and field, never the value (a secret that
 * is not JSON is reported as such, without echoing it). `?ttl=<ms>` on a key sets the data's TTL.
 */
export async function lookupSecretKeys(
  path: string,
  keys: readonly string[],
  fetch: (id: string, maxAgeMs?: number) => Promise<string | undefined>,
  notFound: NotFoundStrategy = 'fail',
): Promise<ConfigData> {
  const data: Record<string, string> = {};
  const errors: Record<string, Error> = {};
  let ttl: number | undefined;
  const one = async (raw: string, value: () => Promise<string | undefined>, what: string) => {
    const { ttl: t } = splitTtl(raw);
    if (t !== undefined) ttl = Math.min(ttl ?? t, t);
    try {
      const v = await value();
      if (v !== undefined) data[raw] = v;
      else if (notFound === 'fail') errors[raw] = new ConfigError(`Secret undefined ${what}`);
    } catch (error) {
      errors[raw] = error instanceof Error ? error : new ConfigError(String(error));
    }
  };
  if (!path) {
    for (const raw of keys) {
      const { key } = splitTtl(raw);
      await one(raw, () => fetch(key, splitTtl(raw).ttl), key);
    }
  } else {
    // A value asked with `?ttl=` must not come from a cache older than that TTL, or the restart the TTL
    // triggers would resolve the very same value.
    const ttls = keys.map((k) => splitTtl(k).ttl).filter((t): t is number => t !== undefined);
    const secret = fetch(path, ttls.length > 0 ? Math.min(...ttls) : undefined);
    for (const raw of keys) {
      const { key } = splitTtl(raw);
      await one(
        raw,
        async () => {
          const text = await secret;
          if (text === undefined || key === '') return text;
          const fields = jsonObject(text, path);
          if (!Object.hasOwn(fields, key)) return undefined;
          const v = fields[key];
          return typeof v === 'string' ? v : JSON.stringify(v);
        },
        key === '' ? path : `${path}:${key}`,
      );
    }
  }
  return {
    data,
    ...(ttl === undefined ? {} : { ttl }),
    ...(Object.keys(errors).length > 0 ? { errors } : {}),
  };
}

function jsonObject(text: string, id: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text: never pass it on.
    throw new ConfigError(`Secret ${id} is not a JSON object, so it has no fields`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConfigError(`Secret ${id} is not a JSON object, so it has no fields`);
  return parsed as Record<string, unknown>;
}

/** Does `id` match one of `allowed` (exact, IAM-style `*`/`?` wildcards, or a secret name matching its ARN)? */
export function isAllowedId(id: string, allowed: readonly string[] | undefined): boolean {
  if (!allowed || allowed.length === 0) return true;
  return allowed.some((entry) => {
    if (glob(entry).test(id)) return true;
    // A name allows its ARN, whose last part is `<name>-<6 random characters>`.
    if (!entry.startsWith('arn:') && id.startsWith('arn:')) {
      const name = id.split(':').slice(6).join(':');
      return glob(`${entry}-??????`).test(name) || glob(entry).test(name);
    }
    return false;
  });
}

function glob(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** AWS SDK failures worth retrying (throttling, network, 5xx) become RetriableError; the rest ConfigError. */
export function awsFailure(what: string, error: unknown): Error {
  const cause = (error as { cause?: unknown }).cause ?? error;
  const name = (cause as { name?: string }).name ?? 'Error';
  const status = (cause as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const transient =
    /Throttl|TooManyRequests|RequestLimitExceeded|InternalServiceError|InternalServerError|ServiceUnavailable|TimeoutError|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|NetworkingError/.test(
      `${name} ${(cause as { code?: string }).code ?? ''}`,
    ) ||
    (status !== undefined && status >= 500);
  // The name only: SDK messages may quote request parameters.
  const message = `Could not read ${what}: ${name}`;
  return transient ? new RetriableError(message) : new ConfigError(message);
}

/** Where the AWS providers' clients go: the SDK's defaults unless a region or an endpoint is given. */
export interface AwsClientOptions {
  region?: string;
  /** An emulator in tests. */
  endpoint?: string;
  /** How long Powertools caches a value. @default 300 */
  maxAgeSeconds?: number;
}

export function clientConfig(options: AwsClientOptions): { region?: string; endpoint?: string } {
  return {
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  };
}

/** A secret's or parameter's string, `undefined` when absent; `maxAgeMs` bounds how old a cached copy may be. */
export type StringSource = (id: string, maxAgeMs?: number) => Promise<string | undefined>;

/**
 * One Powertools `get` as a string source: `undefined` when absent (the SDK error named by `notFound`, or
 * a binary value), a {@link awsFailure} otherwise.
 */
export function stringSource(
  get: (id: string, maxAgeSeconds: number) => Promise<unknown>,
  options: AwsClientOptions,
  notFound: RegExp,
  what: string,
): StringSource {
  const configured = options.maxAgeSeconds ?? 300;
  return async (id, maxAgeMs) => {
    // Powertools caches per id; a TTL shorter than the cache's age bounds it (0 = fetch afresh).
    const maxAge = maxAgeMs === undefined ? configured : Math.min(configured, Math.floor(maxAgeMs / 1000));
    try {
      const value = await get(id, maxAge);
      return typeof value === 'string' ? value : undefined;
    } catch (error) {
      if (notFound.test(String((error as { cause?: { name?: string } }).cause?.name))) return undefined;
      throw awsFailure(`${what} ${id}`, error);
    }
  };
}
