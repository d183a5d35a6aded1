import { ConnectError } from '../api/errors.js';
import { resolveOrThrow, reverseTransform } from '../config/providers/resolve-config.js';
import { mappedTopic } from '../config/sink-routing.js';
import type { ConnectorRecord } from '../store/index.js';
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
 *
 * A sink fed by an event source mapping (AWS, one topic) runs as exactly one task, whatever `tasks.max`
 * says: the mapping invokes one connector alias and the sink function runs its batches as task 0, while
 * Lambda's pollers parallelise per partition. So such a connector is asked for `taskConfigs(1)`, and the
 * status lists task 0 only, the task that really runs (docs/runtime.md).
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
      const oneTask = mappedSink(ctx, rawConfig);
      const produced = await connector.taskConfigs(oneTask ? Math.min(1, maxTasks) : maxTasks);
      if (raised) throw raised;
      if (produced.length > maxTasks && (config['tasks.max.enforce'] ?? 'true').toLowerCase() !== 'false') {
        throw new ConnectError(tooManyTasksMessage(rawConfig.name ?? '', produced.length, maxTasks));
      }
      return { taskConfigs: reverseTransform(oneTask ? produced.slice(0, 1) : produced, rawConfig) };
    } finally {
      await connector.stop();
    }
  } catch (error) {
    return { taskConfigs: [], failure: error instanceof Error ? error : new Error(String(error)) };
  }
}

/** Whether this config is a sink an event source mapping feeds in this deployment (sink-routing.ts). */
function mappedSink(ctx: HerderContext, config: Readonly<Record<string, string>>): boolean {
  if (!ctx.sinkMappings?.feedsSinks) return false;
  const type = ctx.plugins.connectorType(config['connector.class'] ?? '');
  return mappedTopic({ name: config.name ?? '', config, type } as ConnectorRecord) !== undefined;
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
