import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError } from '../../api/errors.js';
import { type ConfigData, type ConfigProvider, isAllowedPath } from './config-provider.js';

export interface DirectoryConfigProviderOptions {
  /** `allowed.paths`: absolute paths the provider may read under. @default every path */
  allowedPaths?: readonly string[];
}

/**
 * Kafka's `DirectoryConfigProvider`: `${dir:/run/secrets:db-password}` is the content of the regular file
 * `db-password` in that directory. Keys naming no regular file (or leaving the directory) are absent.
 */
export function directoryConfigProvider(options: DirectoryConfigProviderOptions = {}): ConfigProvider {
  return {
    async get(path, keys): Promise<ConfigData> {
      if (!path) return { data: {} };
      if (!isAllowedPath(path, options.allowedPaths, resolve)) {
        throw new ConfigError(`The path ${path} is not allowed to be accessed`);
      }
      const data: Record<string, string> = {};
      for (const key of keys) {
        if (key.includes('/') || key === '..' || key === '.') continue;
        const file = join(path, key);
        try {
          if (!(await stat(file)).isFile()) continue;
          data[key] = await readFile(file, 'utf8');
        } catch {
          // Missing keys are absent, as in Kafka.
        }
      }
      return { data };
    },
  };
}
