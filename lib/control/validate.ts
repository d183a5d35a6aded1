import type { ConfigInfos } from '../api/config-def.js';
import { ConnectorTransactionBoundaries, ExactlyOnceSupport } from '../api/connector.js';
import { SourceConnector } from '../api/source.js';
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
  const connector = ctx.plugins.newConnector(className);
  if (connector instanceof SourceConnector) {
    for (const error of exactlyOnceErrors(connector, infos as ConfigInfos, { ...strings, ...resolved }))
      addConfigErrors(infos as ConfigInfos, new Map([error]));
  }
  // Validators build messages from values (`Invalid value <v> for configuration k`): the one rule hides
  // whatever a provider resolved, in errors as in values.
  return redactDeep(maskResolved(infos as ConfigInfos, strings));
}

/** The worker's `exactly.once.source.support`: exactly-once source is not implemented yet (docs/runtime.md). */
const EXACTLY_ONCE_SOURCE_ENABLED = false;

/**
 * Kafka's `DistributedHerder.validateSourceConnectorConfig` preflight checks, with its messages, on the
 * `exactly.once.support` and `transaction.boundary` keys, run only when their values passed the
 * ConfigDef: `exactly.once.support=required` needs a worker with exactly-once source enabled — this one
 * has not, so it is always refused — and `SourceConnector.exactlyOnceSupport` answering SUPPORTED;
 * `transaction.boundary=connector` needs `canDefineTransactionBoundaries` answering SUPPORTED.
 * https://github.com/apache/kafka/blob/trunk/connect/runtime/src/main/java/org/apache/kafka/connect/runtime/distributed/DistributedHerder.java
 */
function exactlyOnceErrors(
  connector: SourceConnector,
  infos: ConfigInfos,
  config: Readonly<Record<string, string>>,
): [key: string, message: string][] {
  const errors: [string, string][] = [];
  const add = (key: string, message: string) => errors.push([key, message]);
  const validValue = (key: string) => {
    const entry = infos.configs.find((c) => c.value?.name === key)?.value;
    return entry && entry.errors.length === 0 ? String(entry.value ?? '').toLowerCase() : undefined;
  };
  if (validValue(EXACTLY_ONCE_SUPPORT) === 'required') {
    if (!EXACTLY_ONCE_SOURCE_ENABLED)
      add(EXACTLY_ONCE_SUPPORT, 'This worker does not have exactly-once source support enabled.');
    try {
      const support = connector.exactlyOnceSupport(config);
      if (support === null || support === undefined) {
        add(
          EXACTLY_ONCE_SUPPORT,
          'The connector does not implement the API required for preflight validation of exactly-once source support. ' +
            'Please consult the documentation for the connector to determine whether it supports exactly-once semantics, ' +
            'and then consider reconfiguring the connector to use the value "requested" for this property ' +
            '(which will disable this preflight check and allow the connector to be created).',
        );
      } else if (support === ExactlyOnceSupport.UNSUPPORTED) {
        add(
          EXACTLY_ONCE_SUPPORT,
          'The connector does not support exactly-once semantics with the provided configuration.',
        );
      } else if (support !== ExactlyOnceSupport.SUPPORTED) {
        throw new Error(
          `Unexpected value returned from SourceConnector::exactlyOnceSupport: ${String(support)}`,
        );
      }
    } catch (error) {
      add(EXACTLY_ONCE_SUPPORT, unexpected(error));
    }
  }
  if (validValue(TRANSACTION_BOUNDARY) === 'connector') {
    try {
      const boundaries = connector.canDefineTransactionBoundaries(config) as string | null | undefined;
      if (boundaries === null || boundaries === undefined) {
        add(
          TRANSACTION_BOUNDARY,
          'This connector has returned a null value from its canDefineTransactionBoundaries method, which is not permitted. ' +
            "The connector will be treated as if it cannot define its own transaction boundaries, and cannot be configured with 'transaction.boundary' set to 'connector'.",
        );
      } else if (boundaries !== ConnectorTransactionBoundaries.SUPPORTED) {
        add(
          TRANSACTION_BOUNDARY,
          'The connector does not support connector-defined transaction boundaries with the given configuration. ' +
            'Please reconfigure it to use a different transaction boundary definition.',
        );
      }
    } catch (error) {
      add(TRANSACTION_BOUNDARY, unexpected(error));
    }
  }
  return errors;
}

const EXACTLY_ONCE_SUPPORT = 'exactly.once.support';
const TRANSACTION_BOUNDARY = 'transaction.boundary';

/** Kafka's message for a connector that threw while being asked. */
function unexpected(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error ?? '')).trim();
  return message
    ? `An unexpected error occurred during validation: ${message}`
    : 'An unexpected error occurred during validation; please see the worker logs for more details.';
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
