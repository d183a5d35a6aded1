import { ConnectError } from '../api/errors.js';
import { resolveOrThrow, reverseTransform } from '../config/providers/resolve-config.js';
import type { HerderContext } from './context.js';

/** The outcome of running the connector instance once: its task configs, or why it failed. */
export interface ComputedTasks {
  /** Reverse-transformed: keys that hold a placeholder in the raw config hold it here too. */
  taskConfigs: Record<string, string>[];
  /** Set when `start`/`taskConfigs` threw or produced too many tasks; the connector is then FAILED. */
  failure?: Error;
}

/**
 * Runs the connector as Kafka's `WorkerConnector` would, within this one request: resolve config
 * providers in memory, `start(resolved)`, `taskConfigs(tasks.max)`, `stop()`. Task configs are
 * reverse-transformed before they leave, so no resolved secret is ever stored. A throwing connector
 * yields no tasks and a failure (Kafka: the connector is created and its status goes FAILED).
 */
export async function computeTaskConfigs(
  ctx: HerderContext,
  rawConfig: Readonly<Record<string, string>>,
): Promise<ComputedTasks> {
  const className = rawConfig['connector.class'] ?? '';
  let raised: Error | undefined;
  try {
    const { config } = await resolveOrThrow(rawConfig, ctx.providers);
    const connector = ctx.plugins.newConnector(className);
    connector.initialize({
      requestTaskReconfiguration: () => {},
      raiseError: (error) => {
        raised = error;
      },
    });
    await connector.start(config);
    try {
      const maxTasks = Number.parseInt(config['tasks.max'] ?? '1', 10);
      const produced = await connector.taskConfigs(maxTasks);
      if (raised) throw raised;
      if (produced.length > maxTasks && (config['tasks.max.enforce'] ?? 'true').toLowerCase() !== 'false') {
        throw new ConnectError(tooManyTasksMessage(rawConfig.name ?? '', produced.length, maxTasks));
      }
      return { taskConfigs: reverseTransform(produced, rawConfig) };
    } finally {
      await connector.stop();
    }
  } catch (error) {
    return { taskConfigs: [], failure: error instanceof Error ? error : new Error(String(error)) };
  }
}

/** Kafka's `TooManyTasksException` message. */
export function tooManyTasksMessage(name: string, numTasks: number, maxTasks: number): string {
  return (
    `The connector ${name} has generated ${numTasks} tasks, which is greater than ${maxTasks}, ` +
    'the maximum number of tasks it is configured to create. This behaviour should be considered a bug ' +
    'and is no longer supported. You can either update the connector to not generate too many tasks, ' +
    'or disable this check by setting tasks.max.enforce=false in the connector config ' +
    '(this option is deprecated and will be removed in the next major release).'
  );
}
