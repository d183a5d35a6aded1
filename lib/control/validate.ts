import type { ConfigInfos } from '../api/config-def.js';
import { hasReference, resolveConfig } from '../config/providers/resolve-config.js';
import { redactDeep } from '../config/redaction.js';
import { validateConnectorConfig } from '../config/validate-connector.js';
import type { HerderContext } from './context.js';
import { BadRequestError } from './errors.js';

/** A connector config as it arrives: strings, or null (which validation rejects, as Kafka does). */
export type RawConfig = Readonly<Record<string, string | null>>;

/**
 * Kafka's `AbstractHerder.validateConnectorConfig` (reference §1.6 steps 2–7): resolves config providers
 * in memory, validates, and answers `ConfigInfos`. Unlike Kafka, a value whose raw form holds a
 * `${provider:…}` placeholder is reported with the placeholder, never with what it resolved to, so the
 * reply cannot carry a secret of a non-PASSWORD key. Throws 400 without `connector.class`, and the
 * registry's "Failed to find any class…" error for an unknown one.
 */
export async function validateConfig(ctx: HerderContext, raw: RawConfig): Promise<ConfigInfos> {
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
  addErrors(infos as ConfigInfos, errors);
  // Validators build messages from values (`Invalid value <v> for configuration k`): the one rule hides
  // whatever a provider resolved, in errors as in values.
  return redactDeep(maskResolved(infos as ConfigInfos, strings));
}

/** A reference that could not be resolved is an error on its key, as a validator's would be. */
function addErrors(infos: ConfigInfos, errors: Readonly<Record<string, string>>): void {
  for (const [key, message] of Object.entries(errors)) {
    const entry = infos.configs.find((c) => c.value?.name === key)?.value;
    if (entry) entry.errors.push(message);
    else
      infos.configs.push({
        definition: null,
        value: { name: key, value: null, recommended_values: [], errors: [message], visible: true },
      });
    infos.error_count += 1;
  }
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
