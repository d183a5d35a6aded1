import {
  ConfigError,
  type ConfigValue,
  type ConnectorProps,
  SinkConnector,
  type SinkOffsetChange,
} from '../../api/index.js';
import type { AddressGuard } from '../http/address-policy.js';
import {
  FORMAT_CLASSES,
  K,
  ONLY_DEFAULT,
  PARTITIONER_CLASSES,
  parseS3Config,
  s3ConfigDef,
  VERSION,
} from './config.js';
import { checkZone } from './joda-time.js';
import { createPartitioner } from './partitioner.js';
import { S3SinkTask } from './s3-sink-task.js';

const TIME_BASED = new Set<string>([
  PARTITIONER_CLASSES.timeBased,
  PARTITIONER_CLASSES.hourly,
  PARTITIONER_CLASSES.daily,
]);

/**
 * Lands topics in S3 (or any S3-compatible store) as Confluent's `io.confluent.connect.s3.S3SinkConnector`
 * 12.1.9 does: the same keys, object keys and rotation rules (README). `tasks.max` identical tasks;
 * offsets live in the consumer group only, committed for records in completed uploads.
 *
 * The deployment's address policy comes in through the constructor (`plugins(policy)` passes
 * `httpAllowPrivateNetworks`) and reaches the tasks; a connector built without one reaches public
 * addresses only.
 */
export class S3SinkConnector extends SinkConnector {
  static readonly CLASS_NAME = 'io.confluent.connect.s3.S3SinkConnector';
  private props: ConnectorProps = {};

  constructor(private readonly guard: AddressGuard = { allowPrivateNetworks: false }) {
    super();
  }

  version = () => VERSION;
  config = s3ConfigDef;
  taskClass = () => {
    const guard = this.guard;
    return class BoundS3SinkTask extends S3SinkTask {
      constructor() {
        super(guard);
      }
    };
  };

  /** Each key's own checks, then Confluent's cross-key rules (`S3SinkConnectorValidator`) and ours. */
  override validate(props: ConnectorProps): ConfigValue[] {
    const values = super.validate(props);
    const byName = new Map(values.map((v) => [v.name, v]));
    const value = (k: string) => byName.get(k)?.value;
    const fail = (k: string, message: string) => byName.get(k)?.addErrorMessage(message);
    for (const [key, only] of Object.entries(ONLY_DEFAULT)) {
      const v = value(key);
      if (v !== undefined && v !== only && !(only === '' && v === null))
        fail(key, `${key}=${String(v)} is not supported by this connector; only ${JSON.stringify(only)}.`);
    }
    if (String(value(K.nullValues) ?? '').toLowerCase() === 'write')
      fail(K.nullValues, `${K.nullValues}=write is not supported by this connector; only ignore or fail.`);
    const format = value(K.formatClass);
    if (
      value(K.compressionType) === 'gzip' &&
      format !== FORMAT_CLASSES.json &&
      format !== FORMAT_CLASSES.bytearray
    )
      fail(K.compressionType, 'Compression type gzip is supported only with JsonFormat and ByteArrayFormat.');
    if (value(K.wanMode) === true && value(K.pathStyle) === true)
      fail(K.wanMode, `${K.wanMode} cannot be used with ${K.pathStyle}=true.`);
    const partitioner = String(value(K.partitionerClass) ?? '');
    if (TIME_BASED.has(partitioner) && hasNoErrors(values)) {
      try {
        createPartitioner(parseS3Config(props).partitioner);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        const key = [K.partitionDurationMs, K.pathFormat, K.locale, K.timezone].find((k) =>
          error.message.includes(k),
        );
        fail(key ?? K.partitionerClass, error.message);
      }
    }
    if (
      partitioner === PARTITIONER_CLASSES.field &&
      (value(K.partitionFieldName) as string[] | undefined)?.length === 0
    )
      fail(K.partitionFieldName, 'FieldPartitioner needs partition.field.name.');
    if (Number(value(K.rotateScheduleIntervalMs) ?? -1) > 0) {
      const zone = String(value(K.timezone) ?? '');
      try {
        if (zone.trim() === '') throw new ConfigError(K.timezone, zone, 'Timezone cannot be empty.');
        checkZone(K.timezone, zone);
      } catch (error) {
        fail(K.timezone, `${(error as Error).message} (needed by ${K.rotateScheduleIntervalMs})`);
      }
    }
    return values;
  }

  start(props: ConnectorProps): void {
    const errors = this.validate(props).flatMap((v) => v.errorMessages);
    if (errors.length > 0) throw new ConfigError(errors.join(' '));
    this.props = props;
  }

  taskConfigs(maxTasks: number): Record<string, string>[] {
    return Array.from({ length: maxTasks }, () => ({ ...this.props }));
  }

  stop(): void {}

  override alterOffsets(_config: ConnectorProps, _offsets: readonly SinkOffsetChange[]): boolean {
    return true;
  }
}

function hasNoErrors(values: readonly ConfigValue[]): boolean {
  return values.every((v) => v.errorMessages.length === 0);
}
