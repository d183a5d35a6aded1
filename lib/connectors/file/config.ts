import { realpathSync } from 'node:fs';
import { basename, dirname, resolve, sep } from 'node:path';
import {
  ConfigDef,
  ConfigError,
  ConfigType,
  type ConfigValue,
  Importance,
  invalidValueMessage,
  lambdaValidator,
  NO_DEFAULT,
  NonEmptyString,
  Range,
  type Validator,
} from '../../api/index.js';

/** Kafka Connect's FileStream connectors: the same keys, defaults and importance. */
export const FILE_CONFIG = 'file';
export const TOPIC_CONFIG = 'topic';
export const TASK_BATCH_SIZE_CONFIG = 'batch.size';
export const DEFAULT_TASK_BATCH_SIZE = 2000;
/**
 * Not a Kafka key: Kafka's FileStreamSourceTask doubles its line buffer without limit, so a file with no
 * newline is read whole into memory. Ours refuses a longer line by failing the task (see the task).
 */
export const LINE_MAX_BYTES_CONFIG = 'line.max.bytes';
export const DEFAULT_LINE_MAX_BYTES = 1024 * 1024;
export const FILENAME_FIELD = 'filename';
export const POSITION_FIELD = 'position';
export const VERSION = '3.9.1';

/** Where the FileStream connectors may read and write: empty = anywhere (local mode). */
export interface FileStreamOptions {
  allowedPaths: readonly string[];
}

export const ANYWHERE: FileStreamOptions = { allowedPaths: [] };

/**
 * Why `file` is outside `allowedPaths`, or undefined when it is inside one (or no paths are set). The
 * path is resolved (`..` removed) and, as far as it exists, has its symlinks followed, so neither a
 * `..` nor a symlink leads out; without a file (stdin/stdout) nothing is inside.
 */
export function fileOutsideAllowedPaths(
  file: string | null | undefined,
  allowedPaths: readonly string[],
): string | undefined {
  if (allowedPaths.length === 0) return undefined;
  const roots = allowedPaths.map((p) => realish(resolve(p)));
  const where = `the worker allows only files under ${allowedPaths.join(', ')}`;
  if (file === null || file === undefined || file === '')
    return `standard input and output are not available: ${where}`;
  const real = realish(resolve(file));
  if (roots.some((root) => real === root || real.startsWith(root.endsWith(sep) ? root : root + sep)))
    return undefined;
  return `${real === resolve(file) ? 'the path' : `the path (really ${real})`} is outside the allowed paths: ${where}`;
}

/** The real path of `path`, or of its nearest existing ancestor with the rest appended. */
function realish(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : resolve(realish(parent), basename(path));
  }
}

function fileValidator(options: FileStreamOptions): Validator | undefined {
  if (options.allowedPaths.length === 0) return undefined;
  return lambdaValidator(
    (name, value) => {
      // null is the default (stdin/stdout): `checkFile` refuses it, since a default must pass its validator.
      if (value === null || value === undefined) return;
      const reason = fileOutsideAllowedPaths(value as string, options.allowedPaths);
      if (reason) throw new ConfigError(invalidValueMessage(name, value, reason));
    },
    `a path under ${options.allowedPaths.join(', ')}`,
  );
}

/**
 * The whole `file` check of a connector's validate and a task's start: outside the allowed paths, or
 * no file at all while paths are set. Kafka's `ConfigException` wording; undefined when allowed.
 */
export function fileProblem(file: string | null | undefined, options: FileStreamOptions): string | undefined {
  const reason = fileOutsideAllowedPaths(file, options.allowedPaths);
  return reason === undefined ? undefined : invalidValueMessage(FILE_CONFIG, file ?? null, reason);
}

/** Adds {@link fileProblem} to the `file` entry of a validation result. */
export function checkFileValue(
  values: ConfigValue[],
  props: Readonly<Record<string, unknown>>,
  options: FileStreamOptions,
): ConfigValue[] {
  const file = props[FILE_CONFIG];
  const entry = values.find((v) => v.name === FILE_CONFIG);
  if (!entry || entry.errorMessages.length > 0) return values;
  const problem = fileProblem(typeof file === 'string' ? file : null, options);
  if (problem) entry.addErrorMessage(problem);
  return values;
}

export const sourceConfigDef = (options: FileStreamOptions = ANYWHERE) =>
  new ConfigDef()
    .define({
      name: FILE_CONFIG,
      type: ConfigType.STRING,
      defaultValue: null,
      ...(fileValidator(options) ? { validator: fileValidator(options) } : {}),
      importance: Importance.HIGH,
      documentation: 'Source filename. If not specified, the standard input will be used',
    })
    .define({
      name: TOPIC_CONFIG,
      type: ConfigType.STRING,
      defaultValue: NO_DEFAULT,
      validator: NonEmptyString,
      importance: Importance.HIGH,
      documentation: 'The topic to publish data to',
    })
    .define({
      name: TASK_BATCH_SIZE_CONFIG,
      type: ConfigType.INT,
      defaultValue: DEFAULT_TASK_BATCH_SIZE,
      validator: Range.atLeast(1),
      importance: Importance.LOW,
      documentation:
        'The maximum number of records the source task can read from the file each time it is polled',
    })
    .define({
      name: LINE_MAX_BYTES_CONFIG,
      type: ConfigType.INT,
      defaultValue: DEFAULT_LINE_MAX_BYTES,
      validator: Range.between(1, 64 * 1024 * 1024),
      importance: Importance.LOW,
      documentation:
        'The longest line, in bytes (UTF-8, without its line terminator), the source task reads. A longer ' +
        'line, or that many bytes with no newline yet, fails the task with the line’s byte position; the ' +
        'lines before it are produced and committed. The default matches the broker’s default ' +
        'message.max.bytes, which a longer record would exceed anyway.',
    });

export const sinkConfigDef = (options: FileStreamOptions = ANYWHERE) =>
  new ConfigDef().define({
    name: FILE_CONFIG,
    type: ConfigType.STRING,
    defaultValue: null,
    ...(fileValidator(options) ? { validator: fileValidator(options) } : {}),
    importance: Importance.HIGH,
    documentation: 'Destination filename. If not specified, the standard output will be used',
  });
