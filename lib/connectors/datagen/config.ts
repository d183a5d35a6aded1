import {
  CaseInsensitiveValidString,
  ConfigDef,
  ConfigType,
  Importance,
  NO_DEFAULT,
  NonEmptyString,
  Range,
} from '../../api/index.js';
import { QUICKSTARTS } from './quickstarts.js';

export const KAFKA_TOPIC = 'kafka.topic';
export const MAX_INTERVAL = 'max.interval';
export const ITERATIONS = 'iterations';
export const QUICKSTART = 'quickstart';
export const RANDOM_SEED = 'random.seed';
export const SCHEMA_KEYFIELD = 'schema.keyfield';
/** Task-only key, as Confluent's. */
export const TASK_ID = 'task.id';
export const TASK_GENERATION = 'task.generation';
export const CURRENT_ITERATION = 'current.iteration';
export const VERSION = '0.6.7';

/** kafka-connect-datagen's config spec (the quickstart subset: no schema.filename / schema.string). */
export const datagenConfigDef = () =>
  new ConfigDef()
    .define({
      name: KAFKA_TOPIC,
      type: ConfigType.STRING,
      defaultValue: NO_DEFAULT,
      validator: NonEmptyString,
      importance: Importance.HIGH,
      documentation: 'Topic to write to',
    })
    .define({
      name: MAX_INTERVAL,
      type: ConfigType.LONG,
      defaultValue: 500,
      validator: Range.atLeast(0),
      importance: Importance.HIGH,
      documentation:
        'Max interval between messages (ms); each gap is random in [0, max.interval). 0 generates as fast as the batch allows.',
    })
    .define({
      name: ITERATIONS,
      type: ConfigType.INT,
      defaultValue: 1_000_000,
      importance: Importance.HIGH,
      documentation: 'Number of messages to send per task, or less than 1 for unlimited',
    })
    .define({
      name: QUICKSTART,
      type: ConfigType.STRING,
      defaultValue: NO_DEFAULT,
      validator: CaseInsensitiveValidString.in(...Object.keys(QUICKSTARTS)),
      importance: Importance.HIGH,
      documentation: 'Name of quickstart to use',
    })
    .define({
      name: SCHEMA_KEYFIELD,
      type: ConfigType.STRING,
      defaultValue: '',
      importance: Importance.HIGH,
      documentation: "Name of field to use as the message key; empty means the quickstart's key field",
    })
    .define({
      name: RANDOM_SEED,
      type: ConfigType.LONG,
      defaultValue: null,
      importance: Importance.LOW,
      documentation:
        'Seed for the random generator: the same seed, quickstart and task id give the same records. Null seeds randomly.',
    });
