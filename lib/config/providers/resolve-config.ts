import type { ConfigProvider } from './config-provider.js';

/** Kafka's `ConfigTransformer` pattern: `${provider:path:key}` or `${provider:key}`. */
const PATTERN = /\$\{([^}]*?):(([^}]*?):)?([^}]*?)\}/g;

interface Reference {
  provider: string;
  path: string;
  key: string;
}

function references(value: string): Reference[] {
  return [...value.matchAll(PATTERN)].map((m) => ({
    provider: m[1] as string,
    path: m[3] ?? '',
    key: m[4] as string,
  }));
}

export interface ResolvedConfig {
  /** The config with every resolvable reference replaced. Never log it. */
  config: Record<string, string>;
  /** The smallest TTL reported by a provider, by config key (Kafka's `ConfigTransformerResult.ttls`). */
  ttls: Record<string, number>;
}

/**
 * Replaces `${provider:path:key}` references, several per value allowed (Kafka's `ConfigTransformer`).
 * An unknown provider, or a key the provider did not return, leaves the text exactly as written.
 * Each provider is asked once per path for all keys wanted from it. Resolved values must never be
 * logged, stored or put in error messages.
 */
export async function resolveConfig(
  config: Readonly<Record<string, string>>,
  providers: Readonly<Record<string, ConfigProvider>>,
): Promise<ResolvedConfig> {
  const wanted = new Map<string, Map<string, Set<string>>>();
  for (const value of Object.values(config)) {
    if (typeof value !== 'string') continue;
    for (const ref of references(value)) {
      if (!Object.hasOwn(providers, ref.provider)) continue;
      const paths = wanted.get(ref.provider) ?? new Map<string, Set<string>>();
      wanted.set(ref.provider, paths);
      const keys = paths.get(ref.path) ?? new Set<string>();
      paths.set(ref.path, keys);
      keys.add(ref.key);
    }
  }
  const lookup = new Map<string, { data: Record<string, string>; ttl?: number }>();
  for (const [name, paths] of wanted) {
    for (const [path, keys] of paths) {
      const result = await (providers[name] as ConfigProvider).get(path, [...keys]);
      lookup.set(`${name}\u0000${path}`, result);
    }
  }
  const out: Record<string, string> = {};
  const ttls: Record<string, number> = {};
  for (const [key, value] of Object.entries(config)) {
    if (typeof value !== 'string') {
      out[key] = value;
      continue;
    }
    out[key] = value.replace(PATTERN, (whole, provider: string, _g2, path: string | undefined, k: string) => {
      const found = lookup.get(`${provider}\u0000${path ?? ''}`);
      if (!found || !Object.hasOwn(found.data, k)) return whole;
      if (found.ttl !== undefined && found.ttl >= 0)
        ttls[key] = Math.min(ttls[key] ?? Number.POSITIVE_INFINITY, found.ttl);
      return found.data[k] as string;
    });
  }
  return { config: out, ttls };
}

/** Whether a value holds a `${…:…}` reference. */
export function hasReference(value: string): boolean {
  return references(value).length > 0;
}

/**
 * Kafka's `AbstractHerder.reverseTransform`: in each task config, a key whose raw connector config value
 * holds a reference gets that raw value back, so stored task configs hold placeholders, not secrets.
 */
export function reverseTransform(
  taskConfigs: readonly Readonly<Record<string, string>>[],
  rawConfig: Readonly<Record<string, string>>,
): Record<string, string>[] {
  return taskConfigs.map((task) => {
    const out = { ...task };
    for (const key of Object.keys(out)) {
      const raw = rawConfig[key];
      if (typeof raw === 'string' && hasReference(raw)) out[key] = raw;
    }
    return out;
  });
}
