import {
  ConfigDef,
  ConfigType,
  type ConnectRecord,
  DataError,
  Importance,
  type Transformation,
} from '../api/index.js';
import { SimpleConfig, SMT_VERSION } from './util/config.js';
import { SimpleDateFormat } from './util/simple-date-format.js';

/**
 * Routes records to a topic named after the record's topic and timestamp (Kafka's `TimestampRouter`):
 * `${topic}` and `${timestamp}` in `topic.format` are replaced, the timestamp formatted in UTC with the
 * SimpleDateFormat pattern `timestamp.format`.
 *
 * @example
 * // defaults: 'orders' at 2017-01-01T00:00:00Z → 'orders-20170101'
 */
// Kafka's placeholders are literal `${...}` text, not template strings.
const TOPIC = '$' + '{topic}';
const TIMESTAMP = '$' + '{timestamp}';

export class TimestampRouter implements Transformation {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.transforms.TimestampRouter';
  static readonly CONFIG_DEF = new ConfigDef()
    .define({
      name: 'topic.format',
      type: ConfigType.STRING,
      defaultValue: `${TOPIC}-${TIMESTAMP}`,
      importance: Importance.HIGH,
      documentation:
        `Format string which can contain <code>${TOPIC}</code> and <code>${TIMESTAMP}</code> as placeholders ` +
        'for the topic and timestamp, respectively.',
    })
    .define({
      name: 'timestamp.format',
      type: ConfigType.STRING,
      defaultValue: 'yyyyMMdd',
      importance: Importance.HIGH,
      documentation:
        'Format string for the timestamp that is compatible with <code>java.text.SimpleDateFormat</code>.',
    });
  readonly version = SMT_VERSION;
  #topicFormat = '';
  #timestampFormat = new SimpleDateFormat('yyyyMMdd');

  configure(configs: Record<string, unknown>): void {
    const config = new SimpleConfig(TimestampRouter.CONFIG_DEF, configs);
    this.#topicFormat = config.getString('topic.format') as string;
    this.#timestampFormat = new SimpleDateFormat(config.getString('timestamp.format') as string);
  }

  apply<R extends ConnectRecord>(record: R): R {
    if (record.timestamp === null) throw new DataError(`Timestamp missing on record: ${describe(record)}`);
    const formatted = this.#timestampFormat.format(new Date(record.timestamp));
    const topic = this.#topicFormat.replaceAll(TOPIC, record.topic).replaceAll(TIMESTAMP, formatted);
    return record.with({ topic });
  }

  config(): ConfigDef {
    return TimestampRouter.CONFIG_DEF;
  }

  close(): void {}
}

function describe(record: ConnectRecord): string {
  return `${record.constructor.name}{topic='${record.topic}', kafkaPartition=${record.kafkaPartition}, timestamp=${record.timestamp}}`;
}
