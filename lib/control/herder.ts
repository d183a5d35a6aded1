import type { ConfigInfos, ConfigKeyInfo } from '../api/config-def.js';
import type { WorkerLimits } from '../config/worker-properties.js';
import type { PluginInfo } from '../plugins.js';
import * as connectors from './connectors.js';
import type { HerderOptions } from './context.js';
import type {
  ConnectorInfo,
  ConnectorOffsets,
  ConnectorStateInfo,
  Message,
  ServerInfo,
  TaskInfo,
  TaskState,
} from './entities.js';
import * as lifecycle from './lifecycle.js';
import * as list from './list.js';
import { type LoggerLevel, LoggerLevels } from './loggers.js';
import * as offsets from './offsets.js';
import * as pluginsApi from './plugins-api.js';
import * as serverInfo from './server-info.js';
import { localSinkMappings } from './sink-mappings.js';
import * as status from './status.js';
import type { RawConfig } from './validate.js';

/**
 * The control plane (Kafka's herder) with no HTTP in it: one method per REST operation, answering
 * Kafka's JSON entities and throwing `NotFoundError` (404), `AlreadyExistsError` (409), `RestError`
 * (its status) or anything else (500) with Kafka's messages. Every write validates first, so a rejected
 * request writes nothing.
 */
export interface Herder {
  serverInfo(): Promise<ServerInfo>;
  health(): Promise<{ status: 200 | 500; body: serverInfo.WorkerStatus }>;
  listConnectors(): Promise<string[]>;
  expandConnectors(expand: readonly list.Expansion[]): Promise<Record<string, list.ExpandedConnector>>;
  createConnector(request: connectors.CreateRequest): Promise<ConnectorInfo>;
  putConnectorConfig(name: string, config: RawConfig): Promise<{ created: boolean; info: ConnectorInfo }>;
  patchConnectorConfig(name: string, patch: RawConfig): Promise<ConnectorInfo>;
  deleteConnector(name: string): Promise<void>;
  connectorInfo(name: string): Promise<ConnectorInfo>;
  connectorConfig(name: string): Promise<Record<string, string>>;
  taskInfos(name: string): Promise<TaskInfo[]>;
  tasksConfig(name: string): Promise<Record<string, Record<string, string>>>;
  connectorStatus(name: string): Promise<ConnectorStateInfo>;
  taskStatus(name: string, task: number): Promise<TaskState>;
  pauseConnector(name: string): Promise<void>;
  resumeConnector(name: string): Promise<void>;
  stopConnector(name: string): Promise<void>;
  /** undefined: restarted (204); a status: restart accepted (202). */
  restartConnector(name: string, options: lifecycle.RestartOptions): Promise<ConnectorStateInfo | undefined>;
  restartTask(name: string, task: number): Promise<void>;
  activeTopics(name: string): Promise<Record<string, { topics: string[] }>>;
  resetActiveTopics(name: string): Promise<void>;
  getOffsets(name: string): Promise<ConnectorOffsets>;
  alterOffsets(name: string, body: unknown): Promise<Message>;
  resetOffsets(name: string): Promise<Message>;
  listPlugins(connectorsOnly: boolean): PluginInfo[];
  pluginConfig(plugin: string): ConfigKeyInfo[];
  validatePluginConfig(plugin: string, config: RawConfig): Promise<ConfigInfos>;
  loggers(): Record<string, LoggerLevel>;
  logger(name: string): LoggerLevel;
  /** Answers the affected logger names, sorted. */
  setLoggerLevel(name: string, level: unknown): string[];
}

/** {@link HerderOptions} plus the worker's limits on connector configs. */
export interface CreateHerderOptions extends HerderOptions {
  /** `tasks.max` ceiling, client override policy, allowed group id prefixes. @default workerLimits({}) */
  limits?: WorkerLimits;
}

/**
 * @example
 * const herder = createHerder({ store, plugins: plugins(), workerId: '127.0.0.1:8083', admin: () => admin });
 * await herder.createConnector({ name: 'src', config: { 'connector.class': 'FileStreamSource', topic: 't' } });
 */
export function createHerder(options: CreateHerderOptions): Herder {
  let admin: Promise<Awaited<ReturnType<HerderOptions['admin']>>> | undefined;
  const ctx: connectors.WriteContext = {
    store: options.store,
    plugins: options.plugins,
    workerId: options.workerId,
    providers: options.providers ?? {},
    sinkMappings: options.sinkMappings ?? localSinkMappings(),
    admin: () => {
      admin ??= Promise.resolve(options.admin());
      return admin;
    },
    loggers: options.loggers ?? new LoggerLevels(),
    commit: options.commit ?? 'unknown',
    maxAttempts: options.maxAttempts ?? 20,
    ...(options.limits ? { limits: options.limits } : {}),
  };
  return {
    serverInfo: () => serverInfo.serverInfo(ctx),
    health: () => serverInfo.health(ctx),
    listConnectors: () => list.listConnectors(ctx),
    expandConnectors: (expand) => list.expandConnectors(ctx, expand),
    createConnector: (request) => connectors.createConnector(ctx, request),
    putConnectorConfig: (name, config) => connectors.putConnectorConfig(ctx, name, config),
    patchConnectorConfig: (name, patch) => connectors.patchConnectorConfig(ctx, name, patch),
    deleteConnector: (name) => connectors.deleteConnector(ctx, name),
    connectorInfo: async (name) => connectorInfoOf(await connectors.getConnector(ctx, name)),
    connectorConfig: async (name) => (await connectors.getConnector(ctx, name)).config,
    taskInfos: (name) => connectors.taskInfos(ctx, name),
    tasksConfig: (name) => connectors.tasksConfig(ctx, name),
    connectorStatus: (name) => status.connectorStatus(ctx, name),
    taskStatus: (name, task) => status.taskStatus(ctx, name, task),
    pauseConnector: (name) => lifecycle.pauseConnector(ctx, name),
    resumeConnector: (name) => lifecycle.resumeConnector(ctx, name),
    stopConnector: (name) => lifecycle.stopConnector(ctx, name),
    restartConnector: (name, restart) => lifecycle.restartConnector(ctx, name, restart),
    restartTask: (name, task) => lifecycle.restartTask(ctx, name, task),
    activeTopics: (name) => status.activeTopics(ctx, name),
    resetActiveTopics: (name) => status.resetActiveTopics(ctx, name),
    getOffsets: (name) => offsets.getOffsets(ctx, name),
    alterOffsets: (name, body) => offsets.alterOffsets(ctx, name, body),
    resetOffsets: (name) => offsets.resetOffsets(ctx, name),
    listPlugins: (connectorsOnly) => pluginsApi.listPlugins(ctx, connectorsOnly),
    pluginConfig: (plugin) => pluginsApi.pluginConfig(ctx, plugin),
    validatePluginConfig: (plugin, config) => pluginsApi.validatePluginConfig(ctx, plugin, config),
    loggers: () => ctx.loggers.all(),
    logger: (name) => ctx.loggers.get(name),
    setLoggerLevel: (name, level) => ctx.loggers.set(name, level),
  };
}

import { connectorInfo as connectorInfoOf } from './entities.js';
