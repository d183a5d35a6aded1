import type { ConfigProvider } from '../config/providers/config-provider.js';
import type { KafkaAdmin } from '../kafka/index.js';
import type { PluginRegistry } from '../plugins.js';
import type { StateStore } from '../store/index.js';
import type { LoggerLevels } from './loggers.js';
import type { SinkMappings } from './sink-mappings.js';

/** The Kafka admin calls the herder makes: the cluster id and the sink consumer groups' offsets. */
export type HerderAdmin = Pick<
  KafkaAdmin,
  'clusterId' | 'groupOffsets' | 'setGroupOffsets' | 'resetGroupOffsets' | 'deleteGroup'
>;

export interface HerderOptions {
  store: StateStore;
  plugins: PluginRegistry;
  /** `worker_id` on statuses the control plane writes (local mode: `127.0.0.1:8083`). */
  workerId: string;
  /** Config providers by name (`${env:X}` uses `env`); resolved in memory only. @default {} */
  providers?: Readonly<Record<string, ConfigProvider>>;
  /** @default localSinkMappings() */
  sinkMappings?: SinkMappings;
  /** The Kafka admin, created on first use (offsets of sinks, `GET /`). */
  admin: () => HerderAdmin | Promise<HerderAdmin>;
  /** @default new LoggerLevels() */
  loggers?: LoggerLevels;
  /** `GET /`'s `commit`. @default 'unknown' */
  commit?: string;
  /** Attempts of a config read-modify-write before a 409. @default 20 */
  maxAttempts?: number;
}

/** What every herder concern shares. */
export interface HerderContext {
  store: StateStore;
  plugins: PluginRegistry;
  workerId: string;
  providers: Readonly<Record<string, ConfigProvider>>;
  sinkMappings: SinkMappings;
  admin: () => Promise<HerderAdmin>;
  loggers: LoggerLevels;
  commit: string;
  maxAttempts: number;
}
