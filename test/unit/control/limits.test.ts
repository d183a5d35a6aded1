import { describe, expect, it } from 'vitest';
import type { ConfigInfos } from '../../../lib/api/config-def.js';
import { addConfigErrors, checkWorkerLimits } from '../../../lib/config/limits.js';
import { workerLimits } from '../../../lib/config/worker-properties.js';

const defaults = workerLimits({});

describe('checkWorkerLimits', () => {
  it('refuses tasks.max above tasks.max.limit (64 by default) and leaves malformed values to validation', () => {
    expect(checkWorkerLimits({ 'tasks.max': '64' }, defaults).size).toBe(0);
    expect(checkWorkerLimits({ 'tasks.max': ' 65 ' }, defaults).get('tasks.max')).toBe(
      "Invalid value  65  for configuration tasks.max: must be at most 64 (the worker's tasks.max.limit)",
    );
    expect(checkWorkerLimits({ 'tasks.max': '99999999999999999999' }, defaults).has('tasks.max')).toBe(true);
    expect(checkWorkerLimits({ 'tasks.max': 'abc' }, defaults).size).toBe(0);
    expect(checkWorkerLimits({ 'tasks.max': null }, defaults).size).toBe(0);
    expect(checkWorkerLimits({ 'tasks.max': '5' }, workerLimits({ 'tasks.max.limit': '4' })).size).toBe(1);
  });

  it('applies the override policy to every client’s override keys, in Kafka’s words', () => {
    const none = workerLimits({ 'connector.client.config.override.policy': 'None' });
    const principal = workerLimits({ 'connector.client.config.override.policy': 'Principal' });
    const config = {
      'producer.override.acks': '0',
      'consumer.override.sasl.mechanism': 'PLAIN',
      'admin.override.security.protocol': 'SSL',
      'producer.override.sasl.jaas.config': 'x',
    };
    expect([...checkWorkerLimits(config, defaults).keys()]).toEqual([]);
    expect([...checkWorkerLimits(config, none).keys()]).toEqual(Object.keys(config));
    expect(checkWorkerLimits(config, principal)).toEqual(
      new Map([
        [
          'producer.override.acks',
          "The 'Principal' policy does not allow 'acks' to be overridden in the connector configuration.",
        ],
      ]),
    );
  });

  it('keeps a sink’s consumer group within the allowed prefixes (connect- always)', () => {
    const limits = workerLimits({ 'consumer.group.id.allowed.prefixes': 'team-a-, team-b-' });
    expect(checkWorkerLimits({ 'consumer.override.group.id': 'connect-x' }, limits).size).toBe(0);
    expect(checkWorkerLimits({ 'consumer.override.group.id': 'team-b-x' }, limits).size).toBe(0);
    expect(checkWorkerLimits({ 'consumer.override.group.id': ' connect-x ' }, limits).size).toBe(0);
    expect(checkWorkerLimits({ 'consumer.override.group.id': '  ' }, limits).size).toBe(0);
    expect(checkWorkerLimits({ 'consumer.override.group.id': ' payments' }, limits).size).toBe(1);
    expect(
      checkWorkerLimits({ 'consumer.override.group.id': 'payments' }, limits).get(
        'consumer.override.group.id',
      ),
    ).toBe(
      "Invalid value payments for configuration consumer.override.group.id: must start with one of connect-, team-a-, team-b- (the worker's consumer.group.id.allowed.prefixes)",
    );
  });
});

describe('addConfigErrors', () => {
  it('adds each message once to its key (or a new entry) and counts it', () => {
    const infos: ConfigInfos = {
      name: 'X',
      error_count: 1,
      groups: [],
      configs: [
        {
          definition: null,
          value: { name: 'tasks.max', value: '99', recommended_values: [], errors: ['e1'], visible: true },
        },
      ],
    };
    addConfigErrors(
      infos,
      new Map([
        ['tasks.max', 'too many'],
        ['producer.override.acks', 'not allowed'],
      ]),
      { 'producer.override.acks': '0' },
    );
    addConfigErrors(infos, new Map([['tasks.max', 'too many']]));
    expect(infos.error_count).toBe(3);
    expect(infos.configs.map((c) => [c.value?.name, c.value?.value, c.value?.errors])).toEqual([
      ['tasks.max', '99', ['e1', 'too many']],
      ['producer.override.acks', '0', ['not allowed']],
    ]);
  });
});
