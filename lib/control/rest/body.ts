import { BadRequestError } from '../errors.js';
import type { RawConfig } from '../validate.js';

/**
 * A config map from JSON as Kafka's Jackson reads `Map<String,String>`: strings kept, numbers and
 * booleans turned into strings, null kept (validation rejects it with Kafka's message); nested objects
 * and arrays are refused with 400.
 */
export function configMap(value: unknown, what = 'connector configuration'): RawConfig {
  if (value === undefined || value === null)
    throw new BadRequestError(`The request body must hold the ${what}`);
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new BadRequestError(`The ${what} must be a JSON object of string values`);
  }
  const out: Record<string, string | null> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === null || typeof v === 'string') out[key] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[key] = String(v);
    else
      throw new BadRequestError(
        `Invalid value for configuration ${key}: expected a string, number, boolean or null`,
      );
  }
  return out;
}

/** POST /connectors' `CreateConnectorRequest`: `{name, config, initial_state?}`. */
export function createRequest(body: unknown): { name: string; config: RawConfig; initialState?: string } {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new BadRequestError('The request body must be a JSON object {"name", "config", "initial_state"?}');
  }
  const { name, config, initial_state: initialState } = body as Record<string, unknown>;
  if (name !== undefined && name !== null && typeof name !== 'string') {
    throw new BadRequestError('The connector name must be a string');
  }
  if (initialState !== undefined && initialState !== null && typeof initialState !== 'string') {
    throw new BadRequestError('Invalid initial_state; it must be one of RUNNING, PAUSED, STOPPED');
  }
  return {
    name: typeof name === 'string' ? name : '',
    config: config === undefined || config === null ? {} : configMap(config),
    ...(typeof initialState === 'string' ? { initialState } : {}),
  };
}

/** A boolean query parameter as JAX-RS converts it: `true` in any case is true, anything else false. */
export function flag(
  query: Readonly<Record<string, readonly string[]>>,
  name: string,
  fallback: boolean,
): boolean {
  const value = query[name]?.[0];
  if (value === undefined) return fallback;
  return value.toLowerCase() === 'true';
}
