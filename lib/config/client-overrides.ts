import { ConfigValue } from '../api/config-def.js';

export type ClientType = 'producer' | 'consumer' | 'admin';
export type ConverterRole = 'key' | 'value' | 'header';

/** The entries of `props` whose key starts with `prefix`, with the prefix removed. */
export function entriesWithPrefix(
  props: Readonly<Record<string, unknown>>,
  prefix: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

/** `producer.override.*` / `consumer.override.*` / `admin.override.*` with the prefix removed. */
export function clientOverrides(
  props: Readonly<Record<string, unknown>>,
  client: ClientType,
): Record<string, unknown> {
  return entriesWithPrefix(props, `${client}.override.`);
}

/**
 * A converter's own props: `key.converter.*` (etc.) with the prefix removed, and `converter.type` filled in
 * (`key`, `value` or `header`) unless given, as Kafka passes them to `configure`.
 */
export function converterConfig(
  props: Readonly<Record<string, unknown>>,
  role: ConverterRole,
): Record<string, unknown> {
  const own = entriesWithPrefix(props, `${role}.converter.`);
  return { 'converter.type': role, ...own };
}

/**
 * Kafka's `connector.client.config.override.policy`: which client keys a connector config may override.
 */
export interface ClientConfigOverridePolicy {
  /** `All`, `None` or `Principal`, as shown in error messages. */
  readonly name: string;
  /** One value per override key (unprefixed), with an error on each disallowed key. */
  validate(overrides: Readonly<Record<string, unknown>>): ConfigValue[];
}

function policy(name: string, isAllowed: (key: string) => boolean): ClientConfigOverridePolicy {
  return {
    name,
    validate: (overrides) =>
      Object.entries(overrides).map(([key, value]) => {
        const v = new ConfigValue(key, { value });
        if (!isAllowed(key)) {
          v.addErrorMessage(
            `The '${name}' policy does not allow '${key}' to be overridden in the connector configuration.`,
          );
        }
        return v;
      }),
  };
}

const PRINCIPAL_KEYS = new Set(['sasl.jaas.config', 'sasl.mechanism', 'security.protocol']);

/** The three policies Kafka ships. `All` is our default. */
export const OverridePolicy = {
  All: policy('All', () => true),
  None: policy('None', () => false),
  Principal: policy('Principal', (key) => PRINCIPAL_KEYS.has(key)),
} as const;

/** Which clients a connector uses, so whose overrides are checked (Kafka's `connectorUses*`). */
export function clientsUsed(kind: 'source' | 'sink', props: Readonly<Record<string, unknown>>): ClientType[] {
  const hasDlq = String(props['errors.deadletterqueue.topic.name'] ?? '').trim() !== '';
  const usesTopicCreation = Object.keys(props).some((k) => k.startsWith('topic.creation.'));
  const clients: ClientType[] = [];
  if (kind === 'source' || hasDlq) clients.push('producer');
  if (kind === 'sink') clients.push('consumer');
  if (kind === 'source' ? usesTopicCreation : hasDlq) clients.push('admin');
  return clients;
}
