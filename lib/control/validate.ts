import type { ConfigInfos } from '../api/config-def.js';
import { addConfigErrors, checkWorkerLimits } from '../config/limits.js';
import { hasReference, resolveConfig } from '../config/providers/resolve-config.js';
import { redactDeep } from '../config/redaction.js';
import { validateConnectorConfig } from '../config/validate-connector.js';
import { type WorkerLimits, workerLimits } from '../config/worker-properties.js';
import type { HerderContext } from './context.js';
import { BadRequestError } from './errors.js';

const DEFAULT_LIMITS = workerLimits({});

/** A connector config as it arrives: strings, or null (which validation rejects, as Kafka does). */
export type RawConfig = Readonly<Record<string, string | null>>;

/**
 * Kafka's `AbstractHerder.validateConnectorConfig`: resolves config providers
 * in memory, validates, and answers `ConfigInfos`. Unlike Kafka, a value whose raw form holds a
 * `${provider:…}` placeholder is reported with the placeholder, never with what it resolved to, so the
 * reply cannot carry a secret of a non-PASSWORD key. Throws 400 without `connector.class`, and the
 * registry's "Failed to find any class…" error for an unknown one.
 */
export async function validateConfig(
  ctx: HerderContext & { limits?: WorkerLimits },
  raw: RawConfig,
): Promise<ConfigInfos> {
  const className = raw['connector.class'];
  if (className === undefined || className === null) {
    throw new BadRequestError(`Connector config ${javaMap(raw)} contains no connector type`);
  }
  const strings = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null)) as Record<
    string,
    string
  >;
  const { config: resolved, errors } = await resolveConfig(strings, ctx.providers);
  const infos = validateConnectorConfig(
    { ...raw, ...resolved },
    { resolvePlugin: ctx.plugins.resolvePlugin },
  );
  // Not a source or sink connector: the registry throws Kafka's message naming the available ones.
  if (!infos) ctx.plugins.newConnector(className);
  addConfigErrors(infos as ConfigInfos, new Map(Object.entries(errors)), raw);
  // The worker's limits judge what the config resolves to: a placeholder may hide `tasks.max=1000`.
  addConfigErrors(
    infos as ConfigInfos,
    checkWorkerLimits({ ...raw, ...resolved }, ctx.limits ?? DEFAULT_LIMITS),
  );
  // Validators build messages from values (`Invalid value <v> for configuration k`): the one rule hides
  // whatever a provider resolved, in errors as in values.
  return redactDeep(maskResolved(infos as ConfigInfos, strings));
}

function maskResolved(infos: ConfigInfos, raw: Readonly<Record<string, string>>): ConfigInfos {
  for (const entry of infos.configs) {
    const value = entry.value;
    if (!value) continue;
    const rawValue = raw[value.name];
    // PASSWORD values are already `[hidden]`; keep that.
    if (rawValue !== undefined && hasReference(rawValue) && value.value !== '[hidden]')
      value.value = rawValue;
  }
  return infos;
}

/** Java's `AbstractMap.toString`, as Kafka prints a config map in messages. */
export function javaMap(map: Readonly<Record<string, unknown>>): string {
  return `{${Object.entries(map)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}}`;
}
