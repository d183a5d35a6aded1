import { consumerSettings, producerSettings } from '../config/client-settings.js';
import { resolveOrThrow } from '../config/providers/resolve-config.js';
import type { ConnectorRecord } from '../store/ports.js';
import { ConnectorMonitor } from './connector-monitor.js';
import { consumerOptions } from './sink-polling.js';
import { offsetReader } from './source-wiring.js';
import { startHostedTask } from './task-host.js';
import type { RuntimeDeps } from './task-runner.js';
import { TopicPreparer } from './topics.js';
import type { Warm } from './warm-tasks.js';

/**
 * Starts a task to keep warm: its config resolved, the task with its pipeline, its client overrides
 * (a sink's consumer options, a source's own producer), its topic preparer and, for task 0, the
 * connector beside it.
 */
export async function startWarmTask(
  deps: RuntimeDeps,
  record: ConnectorRecord,
  taskId: number,
): Promise<Warm> {
  const { store, registry, worker, providers, log } = deps;
  // Config providers are resolved in memory only: never stored, never logged.
  const connectorResolved = await resolveOrThrow(record.config, providers);
  const taskResolved = await resolveOrThrow(record.taskConfigs[taskId] ?? {}, providers);
  const connectorConfig = connectorResolved.config;
  const taskConfig = taskResolved.config;
  const ttl = Math.min(...Object.values(connectorResolved.ttls), ...Object.values(taskResolved.ttls));
  const host = await startHostedTask({
    record,
    taskId,
    connectorConfig,
    taskConfig,
    registry,
    worker,
    offsetReader: offsetReader(store, record.name),
    log: (message, error) =>
      log.error(message, { connector: record.name, task: taskId, error: String(error) }),
  });
  const settings = host.errors.settings;
  // Client overrides kafkajs can honour are applied; the others are named once, not silently dropped.
  const consumer = host.kind === 'sink' ? consumerSettings(connectorConfig) : undefined;
  const producer = host.kind === 'source' ? producerSettings(connectorConfig) : undefined;
  const ignored = [
    ...(consumer?.ignored.map((k) => `consumer.override.${k}`) ?? []),
    ...(producer?.ignored.map((k) => `producer.override.${k}`) ?? []),
  ];
  if (ignored.length > 0)
    log.info('client overrides without a kafkajs equivalent are not applied', {
      connector: record.name,
      task: taskId,
      keys: ignored,
    });
  const maxRecords = Math.min(worker.batch.maxRecords, consumer?.maxPollRecords ?? Number.POSITIVE_INFINITY);
  return {
    host,
    ...(record.incarnation === undefined ? {} : { incarnation: record.incarnation }),
    producer: producer?.options ? deps.newProducer(producer.options) : undefined,
    maxRecords,
    consumerOptions: consumer && {
      ...consumerOptions(host, consumer.options),
      maxBuffered: 3 * maxRecords,
    },
    topics: new TopicPreparer(deps.admin, connectorConfig, {
      topic: settings.dlqTopic,
      replicationFactor: settings.dlqReplicationFactor,
    }),
    running: false,
    ...((connectorConfig['config.action.reload'] ?? 'restart') === 'restart' && Number.isFinite(ttl)
      ? { reloadAt: Date.now() + ttl }
      : {}),
    monitor:
      taskId === 0
        ? await ConnectorMonitor.start({
            connectorConfig,
            registry,
            log: (m, e) => log.error(m, { connector: record.name, error: String(e) }),
          })
        : undefined,
  };
}
