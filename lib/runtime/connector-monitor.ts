import type { Connector } from '../api/index.js';
import { reverseTransform } from '../config/providers/resolve-config.js';
import type { PluginRegistry } from '../plugins.js';
import type { ConnectorRecord, StateStore } from '../store/ports.js';

/**
 * The connector instance kept beside a connector's task 0 while it runs warm: Kafka Connect keeps one
 * running on a worker so that it can watch its source (new tables, new partitions) and call
 * `context.requestTaskReconfiguration()`. When it has asked, the runner calls `reconfigureIfAsked` after
 * its batches: the connector's `taskConfigs(tasks.max)` are computed again and, when they changed, stored
 * at the next generation, which restarts every task with its new config.
 */
export class ConnectorMonitor {
  private asked = false;

  private constructor(
    private readonly connector: Connector,
    private readonly maxTasks: number,
  ) {}

  /** Starts the connector; answers undefined (and logs) when it cannot start, which the task does not need. */
  static async start(options: {
    connectorConfig: Readonly<Record<string, string>>;
    registry: PluginRegistry;
    log: (message: string, error: unknown) => void;
  }): Promise<ConnectorMonitor | undefined> {
    const { connectorConfig, registry, log } = options;
    try {
      const connector = registry.newConnector(connectorConfig['connector.class'] ?? '');
      const monitor = new ConnectorMonitor(
        connector,
        Number.parseInt(connectorConfig['tasks.max'] ?? '1', 10) || 1,
      );
      connector.initialize({
        requestTaskReconfiguration: () => {
          monitor.asked = true;
        },
        raiseError: (error) => log('connector raised an error', error),
      });
      await connector.start(connectorConfig);
      return monitor;
    } catch (error) {
      log('connector could not start for monitoring', error);
      return undefined;
    }
  }

  /**
   * Stores new task configs when the connector asked for it and they differ. Conditional on the
   * generation the tasks run at, so a concurrent user update wins and nothing is overwritten.
   * Answers whether the configs changed.
   */
  async reconfigureIfAsked(store: StateStore, record: ConnectorRecord): Promise<boolean> {
    if (!this.asked) return false;
    this.asked = false;
    const produced = (await this.connector.taskConfigs(this.maxTasks)).slice(0, this.maxTasks);
    // Placeholders go back in before storing: no resolved secret is ever written.
    const next = reverseTransform(produced, record.config);
    if (JSON.stringify(next) === JSON.stringify(record.taskConfigs)) return false;
    let changed = false;
    await store.configs.update(record.name, (current) => {
      if (current.generation !== record.generation || current.targetState !== 'STARTED') return undefined;
      changed = true;
      const { name: _n, generation: _g, createdAt: _c, updatedAt: _u, ...state } = current;
      return { ...state, taskConfigs: next };
    });
    if (changed && next.length < record.taskConfigs.length)
      await store.status.deleteTasks(record.name, { from: next.length });
    return changed;
  }

  async stop(): Promise<void> {
    await this.connector.stop();
  }
}
