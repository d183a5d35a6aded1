import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { ConfigProvider } from '../../lib/config/providers/config-provider.js';
import { KafkaAdmin } from '../../lib/kafka/admin.js';
import { createKafka } from '../../lib/kafka/client.js';
import type { PluginRegistry } from '../../lib/plugins.js';
import { dispatchTick, type TaskRequest } from '../../lib/runtime/dispatcher.js';
import { createRuntime, type RuntimeEnvironment } from '../../lib/runtime/environment.js';
import { TaskRunner } from '../../lib/runtime/task-runner.js';
import { workerConfigFromEnv } from '../../lib/runtime/worker-config.js';
import { ensureTables } from '../../lib/store/create-tables.js';
import { createDynamoClient } from '../../lib/store/dynamo-client.js';
import type { ConnectorRecord } from '../../lib/store/ports.js';
import type { TableNames } from '../../lib/store/state-store.js';
import { DYNAMODB_ENDPOINT, KAFKA_BROKERS, uniqueName } from './services.js';

/** A runtime on fresh tables, with an in-process invoker, for runtime integration tests. */
export interface RuntimeFixture {
  env: RuntimeEnvironment;
  tables: TableNames;
  runner: TaskRunner;
  admin: KafkaAdmin;
  errors: string[];
  /** Stores a connector directly (as the control plane would), target STARTED unless given. */
  create(
    record: Pick<ConnectorRecord, 'name' | 'config' | 'type' | 'taskConfigs'> & Partial<ConnectorRecord>,
  ): Promise<ConnectorRecord>;
  /** Stores a one-task FileStreamSource connector reading `file`, its name and topic new ones of `prefix`. */
  createFileSource(
    file: string,
    prefix: string,
  ): Promise<{ 'connector.class': string; name: string; file: string; topic: string }>;
  /** One dispatcher tick whose invocations run in-process; resolves when they finished. */
  tick(): Promise<TaskRequest[]>;
  /** Ticks until `done()` or the timeout. */
  until(done: () => boolean | Promise<boolean>, timeoutMs?: number): Promise<void>;
  dispose(): Promise<void>;
}

export async function runtimeFixture(
  overrides: {
    maxRecords?: number;
    safetyMarginMs?: number;
    leaseMarginMs?: number;
    /** `worker.batch.idleMs`: how long a run keeps polling a task that found nothing. @default 0 */
    idleMs?: number;
    registry?: PluginRegistry;
    /** The deployment's config providers. @default none */
    providers?: Record<string, ConfigProvider>;
  } = {},
): Promise<RuntimeFixture> {
  const tables: TableNames = {
    configs: uniqueName('rt-configs'),
    status: uniqueName('rt-status'),
    offsets: uniqueName('rt-offsets'),
  };
  const client = createDynamoClient({ endpoint: DYNAMODB_ENDPOINT });
  await ensureTables(client, tables);
  const worker = workerConfigFromEnv({});
  worker.workerId = '127.0.0.1:8083';
  worker.batch.maxRecords = overrides.maxRecords ?? worker.batch.maxRecords;
  worker.batch.safetyMarginMs = overrides.safetyMarginMs ?? 500;
  worker.leaseMarginMs = overrides.leaseMarginMs ?? worker.leaseMarginMs;
  worker.batch.idleMs = overrides.idleMs ?? worker.batch.idleMs;
  const errors: string[] = [];
  const env = createRuntime({
    kafka: { brokers: KAFKA_BROKERS },
    dynamodbEndpoint: DYNAMODB_ENDPOINT,
    tables,
    worker,
    log: { info: () => {}, error: (message, extra) => errors.push(`${message} ${JSON.stringify(extra)}`) },
    providers: overrides.providers,
  });
  if (overrides.registry) env.registry = overrides.registry;
  const runner = new TaskRunner(env);
  const admin = new KafkaAdmin(createKafka({ brokers: KAFKA_BROKERS }));
  const fixture: RuntimeFixture = {
    env,
    tables,
    runner,
    admin,
    errors,
    create: (r) => env.store.configs.create({ targetState: 'STARTED', ...r }),
    async createFileSource(file, prefix) {
      const name = uniqueName(prefix);
      const config = { 'connector.class': 'FileStreamSource', name, file, topic: uniqueName(prefix) };
      await fixture.create({ name, config, type: 'source', taskConfigs: [config] });
      return config;
    },
    async tick() {
      const runs: Promise<unknown>[] = [];
      const result = await dispatchTick({
        store: env.store,
        workerId: worker.workerId,
        invoker: { invoke: async (request) => void runs.push(runner.run(request, Date.now() + 3_000)) },
      });
      await Promise.all(runs);
      return result.invoked;
    },
    async until(done, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!(await done())) {
        if (Date.now() > deadline)
          throw new Error(`condition not reached in time; runtime errors: ${errors.join(' | ') || 'none'}`);
        await fixture.tick();
      }
    },
    async dispose() {
      await runner.close();
      await env.close();
      await admin.disconnect();
      await Promise.all(
        Object.values(tables).map((TableName) => client.send(new DeleteTableCommand({ TableName }))),
      );
      client.destroy();
    },
  };
  return fixture;
}
