import type { ConfigInfos } from '../api/config-def.js';
import { invalidValueMessage } from '../api/config-def.js';
import { OverridePolicy } from './client-overrides.js';
import { WORKER_KEYS, type WorkerLimits } from './worker-properties.js';

const CLIENT_PREFIXES = ['producer.override.', 'consumer.override.', 'admin.override.'] as const;
const GROUP_ID_KEY = 'consumer.override.group.id';

/**
 * What a connector config asks for beyond what the worker allows, per config key: `tasks.max` above
 * `tasks.max.limit`, a client override that `connector.client.config.override.policy` forbids (Kafka's
 * wording), a `consumer.override.group.id` outside `consumer.group.id.allowed.prefixes`. Empty when
 * the config is within the limits. Values that are not well-formed (a `tasks.max` of `abc`) are left to
 * config validation. Every override key is checked, whether or not the connector uses that client.
 *
 * @example
 * checkWorkerLimits({ 'tasks.max': '100' }, workerLimits({}))
 * // Map { 'tasks.max' => 'Invalid value 100 for configuration tasks.max: must be at most 64 (the worker's tasks.max.limit)' }
 */
export function checkWorkerLimits(
  config: Readonly<Record<string, string | null | undefined>>,
  limits: WorkerLimits,
): Map<string, string> {
  const errors = new Map<string, string>();
  const tasksMax = config['tasks.max'];
  if (typeof tasksMax === 'string' && /^\s*[+-]?\d+\s*$/.test(tasksMax)) {
    const value = Number(tasksMax.trim());
    if (value > limits.tasksMaxLimit)
      errors.set(
        'tasks.max',
        invalidValueMessage(
          'tasks.max',
          tasksMax,
          `must be at most ${limits.tasksMaxLimit} (the worker's ${WORKER_KEYS.tasksMaxLimit})`,
        ),
      );
  }
  for (const key of Object.keys(config)) {
    const prefix = CLIENT_PREFIXES.find((p) => key.startsWith(p));
    if (!prefix) continue;
    // Kafka's policies and wording: `The 'None' policy does not allow 'x' to be overridden in …`.
    const [checked] = OverridePolicy[limits.overridePolicy].validate({
      [key.slice(prefix.length)]: config[key],
    });
    const error = checked?.errorMessages[0];
    if (error) errors.set(key, error);
  }
  const groupId = config[GROUP_ID_KEY];
  if (typeof groupId === 'string' && !errors.has(GROUP_ID_KEY)) {
    // As `sinkGroupId` reads it: trimmed, and blank means `connect-<name>`.
    const effective = groupId.trim();
    const prefixes = limits.groupIdPrefixes;
    if (effective !== '' && !prefixes.some((p) => effective.startsWith(p)))
      errors.set(
        GROUP_ID_KEY,
        invalidValueMessage(
          GROUP_ID_KEY,
          groupId,
          `must start with one of ${prefixes.join(', ')} (the worker's ${WORKER_KEYS.groupIdPrefixes})`,
        ),
      );
  }
  return errors;
}

/**
 * Adds `errors` (config key → message) to a validation result, as if the keys' own validators had
 * reported them: the message joins that key's errors (once) and `error_count` counts it, as Kafka
 * counts every error message. A key the result does not list gets an entry of its own.
 */
export function addConfigErrors(
  infos: ConfigInfos,
  errors: ReadonlyMap<string, string>,
  config: Readonly<Record<string, string | null | undefined>> = {},
): ConfigInfos {
  for (const [key, message] of errors) {
    let entry = infos.configs.find((c) => c.value?.name === key)?.value;
    if (!entry) {
      entry = { name: key, value: config[key] ?? null, recommended_values: [], errors: [], visible: true };
      infos.configs.push({ definition: null, value: entry });
    }
    if (entry.errors.includes(message)) continue;
    entry.errors.push(message);
    infos.error_count++;
  }
  return infos;
}
