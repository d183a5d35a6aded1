import { describe, expect, it } from 'vitest';
import {
  ConfigDef,
  type ConfigInfos,
  type ConnectorTransactionBoundaries,
  type ExactlyOnceSupport,
  SourceConnector,
  SourceTask,
} from '../../../lib/api/index.js';
import { invalidConfigMessage } from '../../../lib/config/validate-connector.js';
import type { HerderContext } from '../../../lib/control/context.js';
import { validateConfig } from '../../../lib/control/validate.js';
import { installedPlugins, PluginRegistry } from '../../../lib/plugins.js';

const WORKER_DISABLED = 'This worker does not have exactly-once source support enabled.';

/** A source whose answers to the preflight questions the test sets. */
let support: () => ExactlyOnceSupport | null = () => null;
let boundaries: () => ConnectorTransactionBoundaries = () => 'UNSUPPORTED';
const askedWith: Record<string, string>[] = [];

class PreflightSource extends SourceConnector {
  version = () => '1';
  config = () => new ConfigDef();
  taskClass = () => SourceTask as never;
  start() {}
  taskConfigs = () => [{}];
  stop() {}
  override exactlyOnceSupport(config: Record<string, string>) {
    askedWith.push(config);
    return support();
  }
  override canDefineTransactionBoundaries() {
    return boundaries();
  }
}

const ctx = {
  plugins: new PluginRegistry([
    ...installedPlugins(),
    { className: 'test.PreflightSource', kind: 'source', create: () => new PreflightSource() },
  ]),
  providers: {},
} as unknown as HerderContext;

const validate = (config: Record<string, string>) =>
  validateConfig(ctx, { 'connector.class': 'test.PreflightSource', name: 'eos', ...config });

function errorsOf(infos: ConfigInfos, key: string): string[] {
  return infos.configs.find((c) => c.value?.name === key)?.value?.errors ?? [];
}

describe("exactly.once.support preflight (Kafka's DistributedHerder.validateSourceConnectorConfig)", () => {
  it('refuses required on this worker, which has no exactly-once source, even for a connector that supports it', async () => {
    // Prepare: FileStreamSource answers SUPPORTED when `file` is set.
    const config = {
      'connector.class': 'FileStreamSource',
      name: 'f',
      file: '/tmp/in.txt',
      topic: 't',
      'exactly.once.support': 'required',
    };
    // Act
    const infos = await validateConfig(ctx, config);
    // Assert: one error, on the key, and the create/PUT message carries it.
    expect(infos.error_count).toBe(1);
    expect(errorsOf(infos, 'exactly.once.support')).toEqual([WORKER_DISABLED]);
    expect(invalidConfigMessage(infos)).toContain(WORKER_DISABLED);
  });

  it("adds the connector's own answer: null (it does not say), UNSUPPORTED, or what it threw", async () => {
    support = () => null;
    const unknown = await validate({ 'exactly.once.support': 'required' });
    support = () => 'UNSUPPORTED';
    const unsupported = await validate({ 'exactly.once.support': 'REQUIRED' });
    support = () => {
      throw new Error(' time to add a new unit test :) ');
    };
    const threw = await validate({ 'exactly.once.support': 'Required' });

    expect(unknown.error_count).toBe(2);
    expect(errorsOf(unknown, 'exactly.once.support')[0]).toBe(WORKER_DISABLED);
    expect(errorsOf(unknown, 'exactly.once.support')[1]).toContain(
      'The connector does not implement the API required for preflight validation of exactly-once source support.',
    );
    expect(errorsOf(unsupported, 'exactly.once.support')).toEqual([
      WORKER_DISABLED,
      'The connector does not support exactly-once semantics with the provided configuration.',
    ]);
    expect(errorsOf(threw, 'exactly.once.support')).toEqual([
      WORKER_DISABLED,
      'An unexpected error occurred during validation: time to add a new unit test :)',
    ]);
    expect(askedWith[0]).toMatchObject({ name: 'eos', 'exactly.once.support': 'required' });
  });

  it('accepts requested (the default) without asking the connector, and leaves an invalid value to the ConfigDef', async () => {
    askedWith.length = 0;
    const requested = await validate({ 'exactly.once.support': 'requested' });
    const unset = await validate({});
    const invalid = await validate({ 'exactly.once.support': 'sometimes' });

    expect(requested.error_count).toBe(0);
    expect(unset.error_count).toBe(0);
    expect(errorsOf(invalid, 'exactly.once.support')).toHaveLength(1);
    expect(errorsOf(invalid, 'exactly.once.support')[0]).toContain(
      'String must be one of (case insensitive): ',
    );
    expect(askedWith).toEqual([]);
  });
});

describe('transaction.boundary=connector preflight', () => {
  it('refuses it unless the connector can define transaction boundaries', async () => {
    boundaries = () => 'UNSUPPORTED';
    const refused = await validate({ 'transaction.boundary': 'connector' });
    boundaries = () => null as unknown as ConnectorTransactionBoundaries;
    const nulled = await validate({ 'transaction.boundary': 'connector' });
    boundaries = () => 'SUPPORTED';
    const accepted = await validate({ 'transaction.boundary': 'connector' });
    const poll = await validate({ 'transaction.boundary': 'poll' });

    expect(errorsOf(refused, 'transaction.boundary')).toEqual([
      'The connector does not support connector-defined transaction boundaries with the given configuration. Please reconfigure it to use a different transaction boundary definition.',
    ]);
    expect(refused.error_count).toBe(1);
    expect(errorsOf(nulled, 'transaction.boundary')[0]).toContain(
      'This connector has returned a null value from its canDefineTransactionBoundaries method, which is not permitted.',
    );
    expect(accepted.error_count).toBe(0);
    expect(poll.error_count).toBe(0);
  });
});
