import { ConfigDef, ConfigType, Importance, NO_DEFAULT, NonEmptyString, Range } from '../../api/index.js';

/** Kafka Connect's FileStream connectors: the same keys, defaults and importance. */
export const FILE_CONFIG = 'file';
export const TOPIC_CONFIG = 'topic';
export const TASK_BATCH_SIZE_CONFIG = 'batch.size';
export const DEFAULT_TASK_BATCH_SIZE = 2000;
export const FILENAME_FIELD = 'filename';
export const POSITION_FIELD = 'position';
export const VERSION = '3.9.1';

export const sourceConfigDef = () =>
  new ConfigDef()
    .define({
      name: FILE_CONFIG,
      type: ConfigType.STRING,
      defaultValue: null,
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
    });

export const sinkConfigDef = () =>
  new ConfigDef().define({
    name: FILE_CONFIG,
    type: ConfigType.STRING,
    defaultValue: null,
    importance: Importance.HIGH,
    documentation: 'Destination filename. If not specified, the standard output will be used',
  });
