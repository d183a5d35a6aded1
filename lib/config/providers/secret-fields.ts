import type { ConfigData } from './config-provider.js';

/**
 * The shared lookup rule of the AWS providers:
 * - `${p:<id>:<key>}` (path = secret id / parameter name): when the stored string is a JSON object, `key` is
 *   one of its fields (non-string fields as JSON text; missing fields stay unresolved); otherwise any key
 *   yields the whole string.
 * - `${p:<id>}` (no path): the key is the id, and the whole string is its value.
 */
export async function lookupSecretKeys(
  path: string,
  keys: readonly string[],
  fetch: (id: string) => Promise<string | undefined>,
): Promise<ConfigData> {
  const data: Record<string, string> = {};
  if (!path) {
    for (const key of keys) {
      const whole = await fetch(key);
      if (whole !== undefined) data[key] = whole;
    }
    return { data };
  }
  const secret = await fetch(path);
  if (secret === undefined) return { data };
  const fields = jsonObject(secret);
  for (const key of keys) {
    if (!fields) data[key] = secret;
    else if (Object.hasOwn(fields, key)) {
      const v = fields[key];
      data[key] = typeof v === 'string' ? v : JSON.stringify(v);
    }
  }
  return { data };
}

function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
