/** What a provider returns for one path (Kafka's `ConfigData`). */
export interface ConfigData {
  /** Only the keys found; a missing key is simply absent. */
  data: Record<string, string>;
  /** Milliseconds until the values may change; drives `config.action.reload=restart`. */
  ttl?: number;
  /** Ours: why a key could not be had (no value in the message), so one bad key spoils no other. */
  errors?: Record<string, Error>;
}

/** Where a `${provider:…}` reference points: the provider asks `get(path, [key, …])`. */
export interface Reference {
  path: string;
  key: string;
}

/**
 * Supplies values for `${name:path:key}` references (Kafka's `ConfigProvider`, KIP-297).
 * `get` is called once per (provider, path) per resolution, with every key wanted from that path.
 * It must not log values and must not put them in error messages.
 */
export interface ConfigProvider {
  get(path: string, keys: readonly string[]): Promise<ConfigData>;
  /**
   * Splits what follows `${name:` into path and key. Kafka's rule (the path ends at the first colon) is
   * the default; the AWS providers override it because ARNs hold colons.
   */
  parseReference?(text: string): Reference;
}

/** Kafka's `ConfigTransformer` split: `${p:path:key}` or `${p:key}`; the path ends at the first colon. */
export function kafkaReference(text: string): Reference {
  const colon = text.indexOf(':');
  return colon < 0 ? { path: '', key: text } : { path: text.slice(0, colon), key: text.slice(colon + 1) };
}

// The kernel's views of the process (its environment holds the function's AWS credentials) and devices are
// never config files: refused whatever allowed.paths says.
const NEVER_READ = ['/proc', '/sys', '/dev'];

/**
 * Is `file` inside one of `allowedPaths` (KIP-993)? No list means every path is allowed, as in Kafka,
 * except the kernel's `/proc`, `/sys` and `/dev`, which are never readable through a provider.
 */
export function isAllowedPath(
  file: string,
  allowedPaths: readonly string[] | undefined,
  resolve: (p: string) => string,
): boolean {
  const target = resolve(file);
  const inside = (base: string) =>
    target === base || target.startsWith(base.endsWith('/') ? base : `${base}/`);
  if (NEVER_READ.some(inside)) return false;
  if (!allowedPaths || allowedPaths.length === 0) return true;
  return allowedPaths.some((allowed) => inside(resolve(allowed)));
}

/** Parses the comma-separated `allowed.paths` parameter; they must be absolute, as Kafka requires. */
export function parseAllowedPaths(value: string | undefined): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const paths = value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  for (const p of paths) {
    if (!p.startsWith('/')) throw new Error(`Path ${p} is not absolute`);
  }
  return paths;
}
