import { describe, expect, it } from 'vitest';
import { ConfigDef, SourceConnector, SourceTask } from '../../../lib/api/index.js';
import type { HerderContext } from '../../../lib/control/context.js';
import { computeTaskConfigs } from '../../../lib/control/task-configs.js';
import { PluginRegistry } from '../../../lib/plugins.js';

class GreedyConnector extends SourceConnector {
  static readonly CLASS_NAME = 'test.GreedyConnector';
  static started: Record<string, string> = {};
  props: Record<string, string> = {};
  version = () => '1';
  config = () => new ConfigDef();
  taskClass = () => SourceTask as never;
  start(props: Readonly<Record<string, string>>) {
    this.props = { ...props };
    GreedyConnector.started = this.props;
  }
  taskConfigs() {
    return [this.props, this.props, this.props];
  }
  stop() {}
}

function context(env: Record<string, string> = {}): HerderContext {
  const plugins = new PluginRegistry([
    { className: GreedyConnector.CLASS_NAME, kind: 'source', create: () => new GreedyConnector() },
  ]);
  const providers = {
    env: {
      get: async (_p: string, keys: readonly string[]) => ({
        data: Object.fromEntries(keys.map((k) => [k, env[k] ?? ''])),
      }),
    },
  };
  return { plugins, providers } as unknown as HerderContext;
}

describe('computeTaskConfigs', () => {
  it("fails a connector that makes more tasks than tasks.max with Kafka's TooManyTasks message", async () => {
    // Act
    const computed = await computeTaskConfigs(context(), {
      name: 'g',
      'connector.class': 'GreedyConnector',
      'tasks.max': '2',
    });
    // Assess
    expect(computed.taskConfigs).toEqual([]);
    expect(computed.failure?.message).toMatch(
      /^The connector g has generated 3 tasks, which is greater than 2/,
    );
  });

  it('lets it through with tasks.max.enforce=false', async () => {
    // Act
    const computed = await computeTaskConfigs(context(), {
      'connector.class': 'GreedyConnector',
      'tasks.max': '2',
      'tasks.max.enforce': 'false',
    });
    // Assess
    expect(computed.failure).toBeUndefined();
    expect(computed.taskConfigs).toHaveLength(3);
  });

  it('starts the connector with resolved values but gives back task configs holding the placeholders', async () => {
    // Prepare
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a config provider placeholder
    const raw = { 'connector.class': 'GreedyConnector', 'tasks.max': '3', password: '${env:PW}' };
    // Act
    const computed = await computeTaskConfigs(context({ PW: 'hunter2' }), raw);
    // Assess
    expect(GreedyConnector.started.password).toBe('hunter2');
    expect(JSON.stringify(computed.taskConfigs)).not.toContain('hunter2');
    expect(computed.taskConfigs[0]?.password).toBe(raw.password);
  });
});
