/** What a provider returns for one path (Kafka's `ConfigData`). */
export interface ConfigData {
  /** Only the keys found; a missing key is simply absent. */
  data: Record<string, string>;
  /** Milliseconds until the values may change; drives `config.action.reload=restart`. */
  ttl?: number;
}

/**
 * Supplies values for `${name:path:key}` references (Kafka's `ConfigProvider`, KIP-297).
 * `get` is called once per (provider, path) per resolution, with every key wanted from that path.
 * It must not log values and must not put them in error messages.
 */
export interface ConfigProvider {
  get(path: string, keys: readonly string[]): Promise<ConfigData>;
}

/** Is `file` inside one of `allowedPaths` (KIP-993)? No list means every path is allowed. */
export function isAllowedPath(
  file: string,
  allowedPaths: readonly string[] | undefined,
  resolve: (p: string) => string,
): boolean {
  if (!allowedPaths || allowedPaths.length === 0) return true;
  const target = resolve(file);
  return allowedPaths.some((allowed) => {
    const base = resolve(allowed);
    return target === base || target.startsWith(base.endsWith('/') ? base : `${base}/`);
  });
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
