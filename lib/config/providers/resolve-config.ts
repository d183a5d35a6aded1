import { ConfigError, RetriableError } from '../../api/errors.js';
import { rememberSecret } from '../redaction.js';
import { type ConfigData, type ConfigProvider, kafkaReference, type Reference } from './config-provider.js';

/**
 * Kafka's `ConfigTransformer` pattern `\$\{([^}]*?):(([^}]*?):)?([^}]*?)\}`, with everything after the
 * provider name kept whole so that the provider decides where its path ends (an ARN holds colons).
 */
const PATTERN = /\$\{([^}]*?):([^}]*)\}/g;

interface Found extends Reference {
  provider: string;
}

function references(value: string, providers: Readonly<Record<string, ConfigProvider>>): Found[] {
  return [...value.matchAll(PATTERN)].map((m) => {
    const provider = m[1] as string;
    const parse = Object.hasOwn(providers, provider) ? providers[provider]?.parseReference : undefined;
    return { provider, ...(parse ?? kafkaReference)(m[2] as string) };
  });
}

export interface ResolvedConfig {
  /** The config with every resolvable reference replaced. Never log it. */
  config: Record<string, string>;
  /** The smallest TTL reported by a provider, by config key (Kafka's `ConfigTransformerResult.ttls`). */
  ttls: Record<string, number>;
  /** By config key: why a reference in it could not be resolved (no value in the message). */
  errors: Record<string, string>;
  /** Whether a provider failed transiently (throttled, unreachable): worth retrying, not a bad config. */
  retriable: boolean;
}

/**
 * Replaces `${provider:path:key}` references, several per value allowed (Kafka's `ConfigTransformer`).
 * An unknown provider, or a key the provider did not return, leaves the text exactly as written.
 * Each provider is asked once per path for all keys wanted from it; a provider that throws makes an
 * error on every key referencing that path instead of failing the whole resolution. Every resolved value
 * is remembered for redaction (`redaction.ts`), so it cannot leave the process in a message.
 */
export async function resolveConfig(
  config: Readonly<Record<string, string>>,
  providers: Readonly<Record<string, ConfigProvider>>,
): Promise<ResolvedConfig> {
  const wanted = new Map<string, Map<string, Set<string>>>();
  for (const value of Object.values(config)) {
    if (typeof value !== 'string') continue;
    for (const ref of references(value, providers)) {
      if (!Object.hasOwn(providers, ref.provider)) continue;
      const paths = wanted.get(ref.provider) ?? new Map<string, Set<string>>();
      wanted.set(ref.provider, paths);
      const keys = paths.get(ref.path) ?? new Set<string>();
      paths.set(ref.path, keys);
      keys.add(ref.key);
    }
  }
  const lookup = new Map<string, ConfigData | Error>();
  await Promise.all(
    [...wanted].flatMap(([name, paths]) =>
      [...paths].map(async ([path, keys]) => {
        const id = `${name}\u0000${path}`;
        try {
          const result = await (providers[name] as ConfigProvider).get(path, [...keys]);
          for (const v of Object.values(result.data)) rememberSecret(v);
          lookup.set(id, result);
        } catch (error) {
          lookup.set(id, error instanceof Error ? error : new ConfigError(String(error)));
        }
      }),
    ),
  );
  const out: Record<string, string> = {};
  const ttls: Record<string, number> = {};
  const errors: Record<string, string> = {};
  let retriable = false;
  for (const [key, value] of Object.entries(config)) {
    if (typeof value !== 'string') {
      out[key] = value;
      continue;
    }
    out[key] = value.replace(PATTERN, (whole, provider: string, rest: string) => {
      if (!Object.hasOwn(providers, provider)) return whole;
      const ref = (providers[provider]?.parseReference ?? kafkaReference)(rest);
      const found = lookup.get(`${provider}\u0000${ref.path}`);
      if (found instanceof Error) {
        errors[key] = found.message;
        retriable ||= found instanceof RetriableError;
        return whole;
      }
      const keyError = found?.errors?.[ref.key];
      if (keyError) {
        errors[key] = keyError.message;
        retriable ||= keyError instanceof RetriableError;
        return whole;
      }
      if (!found || !Object.hasOwn(found.data, ref.key)) return whole;
      if (found.ttl !== undefined && found.ttl >= 0)
        ttls[key] = Math.min(ttls[key] ?? Number.POSITIVE_INFINITY, found.ttl);
      return found.data[ref.key] as string;
    });
  }
  return { config: out, ttls, errors, retriable };
}

/**
 * {@link resolveConfig} for a task or connector about to start: a reference that failed throws, a
 * `RetriableError` when the provider was only briefly unavailable, else a `ConfigError` naming the keys.
 */
export async function resolveOrThrow(
  config: Readonly<Record<string, string>>,
  providers: Readonly<Record<string, ConfigProvider>>,
): Promise<ResolvedConfig> {
  const resolved = await resolveConfig(config, providers);
  const failed = Object.entries(resolved.errors);
  if (failed.length === 0) return resolved;
  const message = `Could not resolve config provider references: ${failed.map(([k, m]) => `${k}: ${m}`).join('; ')}`;
  throw resolved.retriable ? new RetriableError(message) : new ConfigError(message);
}

/** Whether a value holds a `${…:…}` reference. */
export function hasReference(value: string): boolean {
  return /\$\{[^}]*?:[^}]*\}/.test(value);
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
