import type { HerderContext } from './context.js';
import type { ServerInfo } from './entities.js';

/** The Apache Kafka release whose Connect REST API this one serves; tools show it and gate on it. */
export const KAFKA_VERSION = '3.9.1';

let clusterId: Promise<string> | undefined;

/** GET /: the cluster id is asked of Kafka once per process and cached (a failure is not cached). */
export async function serverInfo(ctx: HerderContext): Promise<ServerInfo> {
  clusterId ??= ctx.admin().then((admin) => admin.clusterId());
  try {
    return { version: KAFKA_VERSION, commit: ctx.commit, kafka_cluster_id: await clusterId };
  } catch (error) {
    clusterId = undefined;
    throw error;
  }
}

export interface WorkerStatus {
  status: 'healthy' | 'unhealthy';
  message: string;
}

/**
 * GET /health (KIP-1017): healthy when the config store answers a strongly consistent read within
 * 10 s (Kafka's health-check timeout); otherwise 500 with Kafka's `unhealthy` wording.
 */
export async function health(ctx: HerderContext): Promise<{ status: 200 | 500; body: WorkerStatus }> {
  try {
    await Promise.race([
      ctx.store.configs.get('__health'),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 10_000).unref()),
    ]);
    return {
      status: 200,
      body: { status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' },
    };
  } catch {
    return {
      status: 500,
      body: {
        status: 'unhealthy',
        message:
          'Worker was unable to handle this request and may be unable to handle other requests. The state store did not answer in time.',
      },
    };
  }
}
