import { Logger } from '@aws-lambda-powertools/logger';
import { controlApiHandler } from '../../../functions/control-api.js';
import type { ConfigProvider } from '../../../lib/config/providers/config-provider.js';
import type { WorkerLimits } from '../../../lib/config/worker-properties.js';
import { createHerder, type Herder } from '../../../lib/control/herder.js';
import { restApi } from '../../../lib/control/rest/routes.js';
import type { SinkMappingSpec, SinkMappings } from '../../../lib/control/sink-mappings.js';
import { createKafka, KafkaAdmin } from '../../../lib/kafka/index.js';
import { type PluginRegistry, plugins } from '../../../lib/plugins.js';
import { startControlServer } from '../../../local/server.js';
import { KAFKA_BROKERS } from '../../support/services.js';
import { type StoreFixture, storeFixture } from '../store/fixture.js';

export const WORKER_ID = '127.0.0.1:8083';

/** A reply as a client sees it. */
export interface Reply {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read reply bodies of many shapes
  body: any;
  text: string;
}

/** One test file's control plane: its own tables, the real handler behind the local server, real Kafka. */
export interface ControlFixture {
  url: string;
  store: StoreFixture;
  herder: Herder;
  admin: KafkaAdmin;
  /** Every SinkMappings call, in order. */
  sinkCalls: { op: string; connector: string; spec?: SinkMappingSpec; enabled?: boolean }[];
  /** Makes every later `setEnabled` fail with `error` (after it is recorded), as Lambda may refuse it. */
  refuseSetEnabled(error: Error | undefined): void;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  dispose(): Promise<void>;
}

export async function controlFixture(
  prefix: string,
  options: {
    providers?: Record<string, ConfigProvider>;
    limits?: WorkerLimits;
    plugins?: PluginRegistry;
    /** As AWS's sink mappings answer `groupIdProblem`. @default none (local mode) */
    groupIdProblem?: SinkMappings['groupIdProblem'];
  } = {},
): Promise<ControlFixture> {
  const store = await storeFixture(prefix);
  // Statuses written in the past would look odd; the control plane works on wall-clock time.
  store.clock.now = Date.now();
  const admin = new KafkaAdmin(createKafka({ brokers: KAFKA_BROKERS }));
  const sinkCalls: ControlFixture['sinkCalls'] = [];
  let setEnabledRefusal: Error | undefined;
  const sinkMappings: SinkMappings = {
    ensure: async (connector, spec) => void sinkCalls.push({ op: 'ensure', connector, spec }),
    setEnabled: async (connector, enabled) => {
      sinkCalls.push({ op: 'setEnabled', connector, enabled });
      if (setEnabledRefusal) throw setEnabledRefusal;
    },
    remove: async (connector) => void sinkCalls.push({ op: 'remove', connector }),
    ...(options.groupIdProblem ? { groupIdProblem: options.groupIdProblem } : {}),
  };
  const herder = createHerder({
    store: store.another(),
    plugins: options.plugins ?? plugins(),
    workerId: WORKER_ID,
    providers: options.providers,
    ...(options.limits ? { limits: options.limits } : {}),
    sinkMappings,
    admin: () => admin,
    commit: 'test-commit',
  });
  const api = restApi(herder);
  const logger = new Logger({ serviceName: 'control-api-test', logLevel: 'SILENT' });
  const server = await startControlServer({
    port: 0,
    handler: controlApiHandler(async () => api, logger) as never,
  });
  return {
    url: server.url,
    store,
    herder,
    admin,
    sinkCalls,
    refuseSetEnabled: (error) => {
      setEnabledRefusal = error;
    },
    async call(method, path, body, headers = {}) {
      const init: RequestInit = { method, headers: { ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        (init.headers as Record<string, string>)['Content-Type'] ??= 'application/json';
      }
      const res = await fetch(`${server.url}${path}`, init);
      const text = await res.text();
      return {
        status: res.status,
        headers: res.headers,
        text,
        body: text === '' ? undefined : JSON.parse(text),
      };
    },
    async dispose() {
      await server.close();
      await admin.disconnect();
      await store.dispose();
    },
  };
}

/** A FileStreamSource config (the test connector), with overrides. */
export function sourceConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'connector.class': 'FileStreamSource',
    topic: 'control-test',
    file: '/tmp/control-test.txt',
    ...overrides,
  };
}

export function sinkConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'connector.class': 'FileStreamSink',
    topics: 'control-test',
    file: '/tmp/control-test-out.txt',
    ...overrides,
  };
}
