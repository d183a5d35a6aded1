import { Logger } from '@aws-lambda-powertools/logger';
import { controlApiHandler } from '../../../functions/control-api.js';
import type { ConfigProvider } from '../../../lib/config/providers/config-provider.js';
import { workerConfigProviders } from '../../../lib/config/providers/worker-providers.js';
import { PROVIDER_CLASSES } from '../../../lib/config/worker-properties.js';
import { createHerder } from '../../../lib/control/herder.js';
import { restApi } from '../../../lib/control/rest/routes.js';
import { BoundedConsumer } from '../../../lib/kafka/bounded-consumer.js';
import { createKafka } from '../../../lib/kafka/client.js';
import type { ConsumedRecord } from '../../../lib/kafka/types.js';
import { plugins } from '../../../lib/plugins.js';
import { dispatchTick } from '../../../lib/runtime/dispatcher.js';
import { createRuntime, type RuntimeEnvironment } from '../../../lib/runtime/environment.js';
import { TaskRunner } from '../../../lib/runtime/task-runner.js';
import { workerConfigFromEnv } from '../../../lib/runtime/worker-config.js';
import { startControlServer } from '../../../local/server.js';
import { DYNAMODB_ENDPOINT, KAFKA_BROKERS, uniqueName } from '../../support/services.js';
import { type StoreFixture, storeFixture } from '../store/fixture.js';

const WORKER_ID = '127.0.0.1:8083';

/**
 * One test file's whole product on this machine: the REST API (local server on an ephemeral port, the
 * real control-api handler over fresh tables) and the scheduler's loop (dispatcher tick + task runner),
 * so connectors are created, run and restarted exactly as a user would.
 */
export interface ConnectFixture {
  url: string;
  env: RuntimeEnvironment;
  errors: string[];
  /** Every line the worker logged (info and error), as text. */
  logs: string[];
  /** The state tables of this fixture. */
  tables: StoreFixture['tables'];
  // biome-ignore lint/suspicious/noExplicitAny: REST replies of many shapes
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** POST /connectors; throws unless 201. */
  create(name: string, config: Record<string, string>): Promise<void>;
  /** One dispatcher tick, its invocations run in-process. */
  tick(): Promise<void>;
  /** Ticks until `done()` or the timeout. */
  until(done: () => boolean | Promise<boolean>, timeoutMs?: number): Promise<void>;
  /** A new task runner: tasks start cold (a restarted worker / a new Lambda container). */
  restartWorker(): Promise<void>;
  dispose(): Promise<void>;
}

export async function connectFixture(
  prefix: string,
  options: {
    maxRecords?: number;
    /** The deployment's config providers. @default env, limited to `SC_TEST_*` */
    providers?: Record<string, ConfigProvider>;
    /** The control API's Powertools log level. @default 'SILENT' */
    logLevel?: 'SILENT' | 'DEBUG' | 'INFO';
  } = {},
): Promise<ConnectFixture> {
  const store: StoreFixture = await storeFixture(prefix);
  // As an operator would declare it: the env provider, limited to the tests' own variables.
  const providers =
    options.providers ??
    workerConfigProviders({
      'config.providers': 'env',
      'config.providers.env.class': PROVIDER_CLASSES.env,
      'config.providers.env.param.allowlist.pattern': 'SC_TEST_.*',
    });
  store.clock.now = Date.now();
  const herder = createHerder({
    store: store.another(),
    plugins: plugins(),
    workerId: WORKER_ID,
    providers,
    admin: () => env.admin,
  });
  const logger = new Logger({ serviceName: 'connectors-test', logLevel: options.logLevel ?? 'SILENT' });
  const api = restApi(herder);
  const server = await startControlServer({
    port: 0,
    handler: controlApiHandler(async () => api, logger) as never,
  });
  const worker = workerConfigFromEnv({});
  worker.workerId = WORKER_ID;
  worker.batch.maxRecords = options.maxRecords ?? worker.batch.maxRecords;
  worker.batch.safetyMarginMs = 500;
  const errors: string[] = [];
  const logs: string[] = [];
  const env = createRuntime({
    kafka: { brokers: KAFKA_BROKERS },
    dynamodbEndpoint: DYNAMODB_ENDPOINT,
    tables: store.tables,
    worker,
    log: {
      info: (message, extra) => logs.push(`${message} ${JSON.stringify(extra)}`),
      error: (message, extra) => {
        errors.push(`${message} ${JSON.stringify(extra)}`);
        logs.push(`${message} ${JSON.stringify(extra)}`);
      },
    },
    providers,
  });
  let runner = new TaskRunner(env);
  const fixture: ConnectFixture = {
    url: server.url,
    env,
    errors,
    logs,
    tables: store.tables,
    async call(method, path, body) {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async create(name, config) {
      const reply = await fixture.call('POST', '/connectors', { name, config });
      if (reply.status !== 201)
        throw new Error(`create ${name}: HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
    },
    async tick() {
      const runs: Promise<unknown>[] = [];
      await dispatchTick({
        store: env.store,
        workerId: WORKER_ID,
        invoker: { invoke: async (request) => void runs.push(runner.run(request, Date.now() + 5_000)) },
      });
      await Promise.all(runs);
    },
    async until(done, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!(await done())) {
        if (Date.now() > deadline)
          throw new Error(`condition not reached in time; errors: ${errors.join('\n')}`);
        await fixture.tick();
      }
    },
    async restartWorker() {
      await runner.close();
      runner = new TaskRunner(env);
    },
    async dispose() {
      await runner.close();
      await server.close();
      await env.close();
      await store.dispose();
    },
  };
  return fixture;
}

/** Every record now in a topic (reads until two empty polls). */
export async function readTopic(topic: string): Promise<ConsumedRecord[]> {
  const consumer = new BoundedConsumer(createKafka({ brokers: KAFKA_BROKERS }), {
    groupId: uniqueName('check'),
    topics: [topic],
  });
  const records: ConsumedRecord[] = [];
  try {
    for (let empty = 0; empty < 2; ) {
      const batch = await consumer.poll({ maxRecords: 10_000, maxBytes: 1 << 26, maxWaitMs: 1_500 });
      if (batch.length === 0) empty++;
      records.push(...batch);
    }
  } finally {
    await consumer.stop();
  }
  return records;
}
