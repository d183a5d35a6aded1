import {
  ConfigDef,
  ConfigType,
  Importance,
  invalidValue,
  lambdaValidator,
  NO_DEFAULT,
  NonEmptyString,
} from '../../api/index.js';
import {
  BATCH_SIZE,
  BEHAVIOR_ON_MALFORMED_DOCS,
  BEHAVIOR_ON_NULL_VALUES,
  COMPACT_MAP_ENTRIES,
  CONNECTION_PASSWORD,
  CONNECTION_TIMEOUT_MS,
  CONNECTION_URL,
  CONNECTION_USERNAME,
  DATA_STREAM_TIMESTAMP_FIELD,
  DROP_INVALID_MESSAGE,
  enumValidator,
  FLUSH_TIMEOUT_MS,
  KEY_IGNORE,
  LINGER_MS,
  MAX_BUFFERED_RECORDS,
  MAX_IN_FLIGHT_REQUESTS,
  MAX_RETRIES,
  READ_TIMEOUT_MS,
  RETRY_BACKOFF_MS,
  SCHEMA_IGNORE,
  TOPIC_KEY_IGNORE,
  TOPIC_SCHEMA_IGNORE,
  urlListValidator,
} from './config-keys.js';
import { defineSigV4 } from './sigv4-config.js';

export const INDEX_WRITE_METHOD = 'index.write.method';
export const KEY_IGNORE_ID_STRATEGY = 'key.ignore.id.strategy';
export const BEHAVIOR_ON_VERSION_CONFLICT = 'behavior.on.version.conflict';
export const ROUTING_TYPE = 'routing.type';
export const ROUTING_VALUE_PATH = 'routing.type.record.value.path';
export const DATA_STREAM_ENABLED = 'data.stream.enabled';
export const DATA_STREAM_PREFIX = 'data.stream.prefix';
export const DATA_STREAM_TEMPLATE = 'data.streams.existing.index.template.name';
export const TRUST_ALL_CERTIFICATES = 'connection.trust.all.certificates';
/** Kafka's SSL keys under `connection.`: key and trust stores (JKS, PKCS12) Node cannot use as they are. */
export const SSL_PREFIX = 'connection.ssl.';

const CONNECTOR = 'Connector';
const CONVERSION = 'Data Conversion';
const DATA_STREAM = 'Data Stream';

/** An RFC 6901 JSON pointer: empty, or `/`-separated tokens with `~` only as `~0`/`~1`. */
const jsonPointer = lambdaValidator((name, value) => {
  if (value === null || value === undefined || value === '') return;
  if (!String(value).startsWith('/') || /~[^01]|~$/.test(String(value)))
    throw invalidValue(name, value, 'not a JSON pointer (RFC 6901)');
}, 'A valid JSON Pointer value (https://datatracker.ietf.org/doc/html/rfc6901)');

/**
 * The spec of Aiven's OpenSearch sink 4.0 (`OpenSearchSinkConnector`, formerly `OpensearchSinkConnector`):
 * its keys and defaults — `index.write.method`, `key.ignore.id.strategy`, `behavior.on.version.conflict`,
 * `behavior.on.null.values=ignore`, `flush.timeout.ms=10000`, Aiven's data stream keys, SigV4.
 * https://github.com/Aiven-Open/opensearch-connector-for-apache-kafka/blob/v4.0.1/src/main/java/io/aiven/kafka/connect/opensearch/OpenSearchSinkConnectorConfig.java
 */
export function opensearchSinkConfigDef(): ConfigDef {
  let order = 0;
  const connector = () => ({ group: CONNECTOR, orderInGroup: ++order });
  const def = new ConfigDef()
    .define({
      name: CONNECTION_URL,
      type: ConfigType.LIST,
      defaultValue: NO_DEFAULT,
      validator: urlListValidator,
      importance: Importance.HIGH,
      ...connector(),
      documentation:
        'OpenSearch (or Elasticsearch) URLs, e.g. http://eshost1:9200,http://eshost2:9200, or an Amazon OpenSearch Service endpoint (https assumed there when no scheme is given).',
    })
    .define({
      name: BATCH_SIZE,
      type: ConfigType.INT,
      defaultValue: 2000,
      importance: Importance.MEDIUM,
      ...connector(),
      documentation: 'Most actions in one bulk request.',
    })
    .define({
      name: MAX_IN_FLIGHT_REQUESTS,
      type: ConfigType.INT,
      defaultValue: 5,
      importance: Importance.MEDIUM,
      ...connector(),
      documentation: 'Most bulk requests in flight at once.',
    })
    .define({
      name: MAX_BUFFERED_RECORDS,
      type: ConfigType.INT,
      defaultValue: 20_000,
      importance: Importance.LOW,
      ...connector(),
      documentation: 'Kept for compatibility; a bounded batch is what limits memory here.',
    })
    .define({
      name: LINGER_MS,
      type: ConfigType.LONG,
      defaultValue: 1,
      importance: Importance.LOW,
      ...connector(),
      documentation:
        'Kept for compatibility: each put hands over a whole bounded batch, so requests are full without waiting.',
    })
    .define({
      name: FLUSH_TIMEOUT_MS,
      type: ConfigType.LONG,
      defaultValue: 10_000,
      importance: Importance.LOW,
      ...connector(),
      documentation:
        'Longest a put may take to write its records, retries included; then the batch is delivered again.',
    })
    .define({
      name: MAX_RETRIES,
      type: ConfigType.INT,
      defaultValue: 5,
      importance: Importance.LOW,
      ...connector(),
      documentation:
        'Retries of a request that got no answer, 408, 429 or 5xx, and of items answered 429/503; then the batch is delivered again (the task stays RUNNING).',
    })
    .define({
      name: RETRY_BACKOFF_MS,
      type: ConfigType.LONG,
      defaultValue: 100,
      importance: Importance.LOW,
      ...connector(),
      documentation: 'Backoff base: before retry n the wait is random in [0, retry.backoff.ms × 2^n).',
    })
    .define({
      name: CONNECTION_TIMEOUT_MS,
      type: ConfigType.INT,
      defaultValue: 1000,
      importance: Importance.LOW,
      ...connector(),
      documentation: 'Kept for compatibility; the client has one socket timeout, read.timeout.ms.',
    })
    .define({
      name: READ_TIMEOUT_MS,
      type: ConfigType.INT,
      defaultValue: 3000,
      importance: Importance.LOW,
      ...connector(),
      documentation: 'Milliseconds a request may go without an answer before it is abandoned (and retried).',
    })
    .define({
      name: TRUST_ALL_CERTIFICATES,
      type: ConfigType.BOOLEAN,
      defaultValue: false,
      importance: Importance.LOW,
      group: 'TLS Configuration for HTTPS',
      orderInGroup: 1,
      documentation: 'Accept any server certificate (no verification at all): for test clusters only.',
    })
    .define({
      name: CONNECTION_USERNAME,
      type: ConfigType.STRING,
      defaultValue: null,
      importance: Importance.MEDIUM,
      group: 'Basic Authentication',
      orderInGroup: 0,
      documentation: 'User for HTTP Basic authentication; used only when the password is set too.',
    })
    .define({
      name: CONNECTION_PASSWORD,
      type: ConfigType.PASSWORD,
      defaultValue: null,
      importance: Importance.MEDIUM,
      group: 'Basic Authentication',
      orderInGroup: 1,
      documentation:
        'Password for HTTP Basic authentication; use a config provider to keep it out of the stored config.',
    });
  defineSigV4(def, true);
  order = 0;
  const conversion = () => ({ group: CONVERSION, orderInGroup: ++order });
  def
    .define({
      name: INDEX_WRITE_METHOD,
      type: ConfigType.STRING,
      defaultValue: 'insert',
      validator: enumValidator('insert', 'upsert'),
      importance: Importance.LOW,
      ...conversion(),
      documentation:
        'insert replaces the document of the same id; upsert creates it or updates the fields present.',
    })
    .define({
      name: KEY_IGNORE,
      type: ConfigType.BOOLEAN,
      defaultValue: false,
      importance: Importance.HIGH,
      ...conversion(),
      documentation:
        'Ignore record keys: ids follow key.ignore.id.strategy. Otherwise the key is the id and the offset its external version.',
    })
    .define({
      name: KEY_IGNORE_ID_STRATEGY,
      type: ConfigType.STRING,
      defaultValue: 'topic.partition.offset',
      validator: enumValidator('none', 'record.key', 'topic.partition.offset'),
      importance: Importance.LOW,
      ...conversion(),
      documentation:
        'Ids when keys are ignored: topic.partition.offset (<topic>+<partition>+<offset>), record.key (the key, with the offset as external version), none (the cluster assigns one).',
    })
    .define({
      name: SCHEMA_IGNORE,
      type: ConfigType.BOOLEAN,
      defaultValue: false,
      importance: Importance.LOW,
      ...conversion(),
      documentation:
        'Ignore value schemas: no mapping is put (dynamic mapping) and values go as JsonConverter writes them.',
    })
    .define({
      name: COMPACT_MAP_ENTRIES,
      type: ConfigType.BOOLEAN,
      defaultValue: true,
      importance: Importance.LOW,
      ...conversion(),
      documentation:
        'Write maps with string keys as JSON objects; false writes maps as arrays of {"key", "value"} documents.',
    })
    .define({
      name: TOPIC_KEY_IGNORE,
      type: ConfigType.LIST,
      defaultValue: '',
      importance: Importance.LOW,
      ...conversion(),
      documentation: 'Topics for which key.ignore is true.',
    })
    .define({
      name: TOPIC_SCHEMA_IGNORE,
      type: ConfigType.LIST,
      defaultValue: '',
      importance: Importance.LOW,
      ...conversion(),
      documentation: 'Topics for which schema.ignore is true.',
    })
    .define({
      name: DROP_INVALID_MESSAGE,
      type: ConfigType.BOOLEAN,
      defaultValue: false,
      importance: Importance.LOW,
      ...conversion(),
      documentation: 'Skip records that cannot be converted to a document; false fails the task.',
    })
    .define({
      name: BEHAVIOR_ON_NULL_VALUES,
      type: ConfigType.STRING,
      defaultValue: 'ignore',
      validator: enumValidator('ignore', 'delete', 'fail'),
      importance: Importance.LOW,
      ...conversion(),
      documentation:
        'Records with a null value: ignore skips them, delete deletes the document of their key, fail treats them as invalid.',
    })
    .define({
      name: BEHAVIOR_ON_MALFORMED_DOCS,
      type: ConfigType.STRING,
      defaultValue: 'fail',
      validator: enumValidator('ignore', 'warn', 'fail', 'report'),
      importance: Importance.LOW,
      ...conversion(),
      documentation:
        'Documents the cluster refuses as malformed: ignore, warn (log), report (to the errant record reporter: the DLQ), or fail the task.',
    })
    .define({
      name: BEHAVIOR_ON_VERSION_CONFLICT,
      type: ConfigType.STRING,
      defaultValue: 'fail',
      validator: enumValidator('ignore', 'warn', 'fail', 'report'),
      importance: Importance.LOW,
      ...conversion(),
      documentation:
        'Writes refused for a version conflict — a replay of offsets already written, with key ids: ignore or warn keep the existing document, report sends the record to the errant record reporter, fail fails the task.',
    })
    .define({
      name: ROUTING_TYPE,
      type: ConfigType.STRING,
      defaultValue: 'none',
      validator: enumValidator('none', 'key', 'value'),
      importance: Importance.LOW,
      ...conversion(),
      documentation:
        'Shard routing: none, key (the record key), value (the value at routing.type.record.value.path).',
    })
    .define({
      name: ROUTING_VALUE_PATH,
      type: ConfigType.STRING,
      defaultValue: null,
      validator: jsonPointer,
      importance: Importance.LOW,
      ...conversion(),
      documentation: 'JSON pointer (RFC 6901) to the routing value (a string or a number) in the document.',
    });
  order = 0;
  const stream = () => ({ group: DATA_STREAM, orderInGroup: ++order });
  return def
    .define({
      name: DATA_STREAM_ENABLED,
      type: ConfigType.BOOLEAN,
      defaultValue: false,
      importance: Importance.MEDIUM,
      ...stream(),
      documentation:
        'Write to data streams (created, with an index template, when missing) instead of indices.',
    })
    .define({
      name: DATA_STREAM_PREFIX,
      type: ConfigType.STRING,
      defaultValue: null,
      validator: NonEmptyString,
      importance: Importance.MEDIUM,
      ...stream(),
      documentation:
        'Data stream names are <prefix>-<index name of the topic>, or the index name without one.',
    })
    .define({
      name: DATA_STREAM_TIMESTAMP_FIELD,
      type: ConfigType.STRING,
      defaultValue: '@timestamp',
      validator: NonEmptyString,
      importance: Importance.MEDIUM,
      ...stream(),
      documentation:
        'The data stream’s timestamp field; with @timestamp, documents without one get the record timestamp.',
    })
    .define({
      name: DATA_STREAM_TEMPLATE,
      type: ConfigType.STRING,
      defaultValue: null,
      importance: Importance.MEDIUM,
      ...stream(),
      documentation:
        'Index template for the data streams: created with this name when missing. Unset: <stream>-connector-data-stream-template, put for every new stream.',
    });
}
