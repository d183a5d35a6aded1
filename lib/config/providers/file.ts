import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError } from '../../api/errors.js';
import { type ConfigData, type ConfigProvider, isAllowedPath } from './config-provider.js';
import { parseProperties } from './properties.js';

export interface FileConfigProviderOptions {
  /** `allowed.paths`: absolute paths the provider may read under. @default every path */
  allowedPaths?: readonly string[];
}

/**
 * Kafka's `FileConfigProvider`: `${file:/path/to/file.properties:key}` reads `key` from a Java properties
 * file. An empty path gives no data; a path outside `allowed.paths` is refused.
 */
export function fileConfigProvider(options: FileConfigProviderOptions = {}): ConfigProvider {
  return {
    async get(path, keys): Promise<ConfigData> {
      if (!path) return { data: {} };
      if (!isAllowedPath(path, options.allowedPaths, resolve)) {
        throw new ConfigError(`The path ${path} is not allowed to be accessed`);
      }
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (e) {
        throw new ConfigError(`Could not read properties from file ${path}: ${(e as Error).message}`);
      }
      const all = parseProperties(text);
      const data: Record<string, string> = {};
      for (const key of keys) if (Object.hasOwn(all, key)) data[key] = all[key] as string;
      return { data };
    },
  };
}
