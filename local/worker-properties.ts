import { readFile } from 'node:fs/promises';
import { parseProperties } from '../lib/config/providers/properties.js';
import {
  parseWorkerProperties,
  pluginPolicy,
  providerSpecs,
  WORKER_KEYS,
  WORKER_PROPERTIES_ENV,
  type WorkerProperties,
  workerLimits,
} from '../lib/config/worker-properties.js';

/**
 * Local mode's worker properties, as a Kafka Connect operator writes them in
 * `connect-distributed.properties`: read from `--worker-config <file>` when given, else from
 * {@link WORKER_PROPERTIES_ENV} (JSON). Config providers are exactly those declared: none unless the file
 * or the variable names them (docs/security.md).
 *
 * The functions run under the Lambda simulator with AWS's defaults, where FileStream is off unless enabled
 * for a directory: local mode enables it for `examplesDir` and lets the HTTP, search and S3 sinks reach
 * loopback and private addresses, unless the declared properties say otherwise. The result is checked
 * as the functions and `cdk synth` check it, so a bad declaration fails `npm start` with the reason.
 */
export async function localWorkerProperties(options: {
  /** `--worker-config`'s file. */
  file?: string;
  env?: Readonly<Record<string, string | undefined>>;
  examplesDir: string;
}): Promise<WorkerProperties> {
  const declared =
    options.file !== undefined
      ? parseProperties(await readFile(options.file, 'utf8'))
      : parseWorkerProperties((options.env ?? process.env)[WORKER_PROPERTIES_ENV]);
  const properties = {
    [WORKER_KEYS.fileStreamEnabled]: 'true',
    [WORKER_KEYS.fileStreamAllowedPaths]: options.examplesDir,
    [WORKER_KEYS.httpSinkAllowPrivate]: 'true',
    ...declared,
  };
  providerSpecs(properties);
  pluginPolicy(properties, true);
  workerLimits(properties);
  return properties;
}
