import {
  ConfigDef,
  ConfigType,
  Importance,
  NO_DEFAULT,
  type Password,
  Range,
  ValidString,
} from '../../api/index.js';

/** Confluent's kafka-connect-storage-cloud version whose keys, defaults and naming this connector follows. */
export const VERSION = '12.1.9';

const PARTITIONERS = 'io.confluent.connect.storage.partitioner';
const FORMATS = 'io.confluent.connect.s3.format';

export const PARTITIONER_CLASSES = {
  default: `${PARTITIONERS}.DefaultPartitioner`,
  field: `${PARTITIONERS}.FieldPartitioner`,
  timeBased: `${PARTITIONERS}.TimeBasedPartitioner`,
  hourly: `${PARTITIONERS}.HourlyPartitioner`,
  daily: `${PARTITIONERS}.DailyPartitioner`,
} as const;

export const FORMAT_CLASSES = {
  json: `${FORMATS}.json.JsonFormat`,
  avro: `${FORMATS}.avro.AvroFormat`,
  parquet: `${FORMATS}.parquet.ParquetFormat`,
  bytearray: `${FORMATS}.bytearray.ByteArrayFormat`,
} as const;
export type FormatName = keyof typeof FORMAT_CLASSES;

export const STORAGE_CLASS = 'io.confluent.connect.s3.storage.S3Storage';
/** The credentials providers that mean "the AWS SDK's default chain" (SDK v2 in 12.x, SDK v1 in 10.x). */
export const DEFAULT_CREDENTIALS_PROVIDERS = [
  'software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider',
  'com.amazonaws.auth.DefaultAWSCredentialsProviderChain',
];

export const K = {
  bucket: 's3.bucket.name',
  region: 's3.region',
  storeUrl: 'store.url',
  pathStyle: 's3.path.style.access.enabled',
  wanMode: 's3.wan.mode',
  partSize: 's3.part.size',
  partRetries: 's3.part.retries',
  credentialsProvider: 's3.credentials.provider.class',
  accessKeyId: 'aws.access.key.id',
  secretAccessKey: 'aws.secret.access.key',
  ssea: 's3.ssea.name',
  sseCustomerKey: 's3.sse.customer.key',
  sseKmsKeyId: 's3.sse.kms.key.id',
  cannedAcl: 's3.acl.canned',
  compressionType: 's3.compression.type',
  compressionLevel: 's3.compression.level',
  decimalFormat: 'json.decimal.format',
  bytearrayExtension: 'format.bytearray.extension',
  bytearraySeparator: 'format.bytearray.separator',
  nullValues: 'behavior.on.null.values',
  nullValuesToDlq: 'report.null.values.to.dlq',
  rotateOnPartitionChange: 'rotate.file.on.partition.change',
  storeKeys: 'store.kafka.keys',
  storeHeaders: 'store.kafka.headers',
  keysFormat: 'keys.format.class',
  headersFormat: 'headers.format.class',
  storageClass: 'storage.class',
  topicsDir: 'topics.dir',
  directoryDelim: 'directory.delim',
  fileDelim: 'file.delim',
  formatClass: 'format.class',
  flushSize: 'flush.size',
  rotateIntervalMs: 'rotate.interval.ms',
  rotateScheduleIntervalMs: 'rotate.schedule.interval.ms',
  schemaCompatibility: 'schema.compatibility',
  retryBackoffMs: 'retry.backoff.ms',
  zeroPadWidth: 'filename.offset.zero.pad.width',
  avroCodec: 'avro.codec',
  parquetCodec: 'parquet.codec',
  partitionerClass: 'partitioner.class',
  partitionFieldName: 'partition.field.name',
  partitionDurationMs: 'partition.duration.ms',
  pathFormat: 'path.format',
  locale: 'locale',
  timezone: 'timezone',
  timestampExtractor: 'timestamp.extractor',
  timestampField: 'timestamp.field',
  objectTagging: 's3.object.tagging',
  sendDigest: 's3.send.digest',
  proxyUrl: 's3.proxy.url',
  conditionalWrites: 'enable.conditional.writes',
  maxOpenFiles: 'partitioner.max.open.files',
} as const;

/**
 * Keys this implementation accepts only at Confluent's default (README, Differences): a config that
 * relies on another value is refused at validation instead of being half-honoured.
 */
export const ONLY_DEFAULT: Readonly<Record<string, string | boolean | null>> = {
  [K.objectTagging]: false,
  [K.sendDigest]: false,
  [K.proxyUrl]: '',
  [K.schemaCompatibility]: 'NONE',
};

// S3's canned ACL names, as Confluent's CannedAclValidator accepts them.
const CANNED_ACLS = [
  'private',
  'public-read',
  'public-read-write',
  'authenticated-read',
  'aws-exec-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
  'log-delivery-write',
];

// Confluent's EnumValidator: the value is lower-cased before it is checked.
const lowerCased = (valid: ValidString) => ({
  ensureValid(name: string, value: unknown) {
    valid.ensureValid(name, typeof value === 'string' ? value.toLowerCase() : value);
  },
  toString: () => String(valid),
});

const nullable = (valid: ValidString) => ({
  ensureValid(name: string, value: unknown) {
    if (value !== null) valid.ensureValid(name, value);
  },
  toString: () => `${String(valid)} or null`,
});

/**
 * The S3 sink's config spec: the keys, defaults and groups of Confluent's `S3SinkConnectorConfig`
 * (https://github.com/confluentinc/kafka-connect-storage-cloud/blob/v12.1.9/kafka-connect-s3/src/main/java/io/confluent/connect/s3/S3SinkConnectorConfig.java)
 * and of the storage-common configs it extends (`StorageSinkConnectorConfig`, `StorageCommonConfig`,
 * `PartitionerConfig` at
 * https://github.com/confluentinc/kafka-connect-storage-common/tree/v12.0.12).
 */
export const s3ConfigDef = (): ConfigDef =>
  new ConfigDef()
    .define({
      name: K.formatClass,
      type: ConfigType.CLASS,
      defaultValue: NO_DEFAULT,
      validator: ValidString.in(...Object.values(FORMAT_CLASSES)),
      importance: Importance.HIGH,
      group: 'Connector',
      documentation:
        'The format of the objects: JSON lines, Avro object container files, Parquet, or raw bytes.',
    })
    .define({
      name: K.flushSize,
      type: ConfigType.INT,
      defaultValue: NO_DEFAULT,
      importance: Importance.HIGH,
      group: 'Connector',
      documentation:
        'Records written to the files of one Kafka partition before they are committed (uploaded); counted across all open files of the partition.',
    })
    .define({
      name: K.rotateIntervalMs,
      type: ConfigType.LONG,
      defaultValue: -1,
      importance: Importance.HIGH,
      group: 'Connector',
      documentation:
        'Record-time rotation: a file is committed when a record arrives whose timestamp (by timestamp.extractor) is this far past the first record of the file. Needs a time-based partitioner; -1 disables.',
    })
    .define({
      name: K.rotateScheduleIntervalMs,
      type: ConfigType.LONG,
      defaultValue: -1,
      importance: Importance.MEDIUM,
      group: 'Connector',
      documentation:
        'Wall-clock rotation on boundaries counted from midnight in timezone; breaks exactly-once. -1 disables. See the README for what it means when the worker does not live between batches.',
    })
    .define({
      name: K.schemaCompatibility,
      type: ConfigType.STRING,
      defaultValue: 'NONE',
      importance: Importance.HIGH,
      group: 'Schema',
      documentation:
        'NONE: any schema different from the open file’s closes it. BACKWARD, FORWARD and FULL (schema projection) are not supported here.',
    })
    .define({
      name: K.retryBackoffMs,
      type: ConfigType.LONG,
      defaultValue: 5_000,
      validator: Range.atLeast(0),
      importance: Importance.LOW,
      group: 'Connector',
      documentation: 'Pause before the records of a failed upload are read again.',
    })
    .define({
      name: K.zeroPadWidth,
      type: ConfigType.INT,
      defaultValue: 10,
      validator: Range.atLeast(0),
      importance: Importance.LOW,
      group: 'Connector',
      documentation: 'Width the start offset in object names is zero-padded to.',
    })
    .define({
      name: K.avroCodec,
      type: ConfigType.STRING,
      defaultValue: 'null',
      validator: ValidString.in('null', 'deflate', 'snappy'),
      importance: Importance.LOW,
      group: 'Connector',
      documentation: 'Avro block codec. Confluent’s bzip2 is not available here.',
    })
    .define({
      name: K.parquetCodec,
      type: ConfigType.STRING,
      defaultValue: 'snappy',
      validator: ValidString.in('none', 'snappy', 'gzip', 'brotli', 'zstd'),
      importance: Importance.LOW,
      group: 'Connector',
      documentation:
        'Parquet page codec; it also names the extension (.snappy.parquet, .gz.parquet, …). lz4 and lzo are not available here.',
    })
    .define({
      name: K.storageClass,
      type: ConfigType.CLASS,
      defaultValue: NO_DEFAULT,
      validator: ValidString.in(STORAGE_CLASS),
      importance: Importance.HIGH,
      group: 'Storage',
      documentation: 'The storage: S3 (or any S3-compatible server at store.url).',
    })
    .define({
      name: K.storeUrl,
      type: ConfigType.STRING,
      defaultValue: null,
      importance: Importance.HIGH,
      group: 'Storage',
      documentation:
        'An S3-compatible endpoint (MinIO, S3Mock, …) instead of AWS S3; https:// is assumed without a scheme.',
    })
    .define({
      name: K.topicsDir,
      type: ConfigType.STRING,
      defaultValue: 'topics',
      importance: Importance.HIGH,
      group: 'Storage',
      documentation: 'Top-level prefix of every object key; blank for none.',
    })
    .define({
      name: K.directoryDelim,
      type: ConfigType.STRING,
      defaultValue: '/',
      importance: Importance.MEDIUM,
      group: 'Storage',
      documentation: 'Separator of the key’s directories.',
    })
    .define({
      name: K.fileDelim,
      type: ConfigType.STRING,
      defaultValue: '+',
      importance: Importance.MEDIUM,
      group: 'Storage',
      documentation: 'Separator of topic, partition and start offset in object names.',
    })
    .define({
      name: K.partitionerClass,
      type: ConfigType.CLASS,
      defaultValue: PARTITIONER_CLASSES.default,
      validator: ValidString.in(...Object.values(PARTITIONER_CLASSES)),
      importance: Importance.HIGH,
      group: 'Partitioner',
      documentation: 'How records map to directories: Kafka partition, record fields, or time.',
    })
    .define({
      name: K.partitionFieldName,
      type: ConfigType.LIST,
      defaultValue: '',
      importance: Importance.MEDIUM,
      group: 'Partitioner',
      documentation:
        'FieldPartitioner: the value fields (dotted paths allowed) that name the directory, in order.',
    })
    .define({
      name: K.partitionDurationMs,
      type: ConfigType.LONG,
      defaultValue: -1,
      importance: Importance.MEDIUM,
      group: 'Partitioner',
      documentation: 'TimeBasedPartitioner: the width of one time bucket in milliseconds.',
    })
    .define({
      name: K.pathFormat,
      type: ConfigType.STRING,
      defaultValue: '',
      importance: Importance.MEDIUM,
      group: 'Partitioner',
      documentation:
        "TimeBasedPartitioner: a Joda-Time pattern for the bucket's directories, e.g. 'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH.",
    })
    .define({
      name: K.locale,
      type: ConfigType.STRING,
      defaultValue: '',
      importance: Importance.MEDIUM,
      group: 'Partitioner',
      documentation: 'Time-based partitioners: the locale of path.format’s text fields (required).',
    })
    .define({
      name: K.timezone,
      type: ConfigType.STRING,
      defaultValue: '',
      importance: Importance.MEDIUM,
      group: 'Partitioner',
      documentation:
        'Time-based partitioners and scheduled rotation: the time zone id (required), e.g. UTC or Europe/Paris.',
    })
    .define({
      name: K.timestampExtractor,
      type: ConfigType.STRING,
      defaultValue: 'Wallclock',
      validator: ValidString.in('Wallclock', 'Record', 'RecordField'),
      importance: Importance.MEDIUM,
      group: 'Partitioner',
      documentation:
        'Time-based partitioners: the record time is the processing time, the Kafka timestamp, or a value field.',
    })
    .define({
      name: K.timestampField,
      type: ConfigType.STRING,
      defaultValue: 'timestamp',
      importance: Importance.MEDIUM,
      group: 'Partitioner',
      documentation:
        'RecordField: the value field holding the time (Timestamp, epoch milliseconds, or ISO-8601 text).',
    })
    .define({
      name: K.bucket,
      type: ConfigType.STRING,
      defaultValue: NO_DEFAULT,
      importance: Importance.HIGH,
      group: 'S3',
      documentation: 'The bucket; the task fails to start when it does not exist.',
    })
    .define({
      name: K.region,
      type: ConfigType.STRING,
      defaultValue: 'us-west-2',
      importance: Importance.MEDIUM,
      group: 'S3',
      documentation: 'The AWS region of the bucket.',
    })
    .define({
      name: K.partSize,
      type: ConfigType.INT,
      defaultValue: 26_214_400,
      validator: Range.between(5 * 1024 * 1024, 2_147_483_647),
      importance: Importance.HIGH,
      group: 'S3',
      documentation:
        'Bytes per part of a multipart upload; a file smaller than one part is sent in one PutObject.',
    })
    .define({
      name: K.credentialsProvider,
      type: ConfigType.CLASS,
      defaultValue: DEFAULT_CREDENTIALS_PROVIDERS[0],
      validator: ValidString.in(...DEFAULT_CREDENTIALS_PROVIDERS),
      importance: Importance.LOW,
      group: 'S3',
      documentation:
        'The AWS SDK default chain (on AWS: the function’s role). Other provider classes are not available here.',
    })
    .define({
      name: K.accessKeyId,
      type: ConfigType.STRING,
      defaultValue: '',
      importance: Importance.HIGH,
      group: 'S3',
      documentation:
        'With aws.secret.access.key: static credentials instead of the default chain (use a config provider for the secret).',
    })
    .define({
      name: K.secretAccessKey,
      type: ConfigType.PASSWORD,
      defaultValue: null,
      importance: Importance.HIGH,
      group: 'S3',
      documentation: 'The secret of aws.access.key.id.',
    })
    .define({
      name: K.ssea,
      type: ConfigType.STRING,
      defaultValue: '',
      validator: ValidString.in('', 'AES256', 'aws:kms', 'aws:kms:dsse'),
      importance: Importance.LOW,
      group: 'S3',
      documentation:
        'Server-side encryption: AES256 (SSE-S3, or SSE-C with s3.sse.customer.key), aws:kms with s3.sse.kms.key.id.',
    })
    .define({
      name: K.sseCustomerKey,
      type: ConfigType.PASSWORD,
      defaultValue: null,
      importance: Importance.LOW,
      group: 'S3',
      documentation: 'SSE-C: the base64 256-bit key (with s3.ssea.name=AES256).',
    })
    .define({
      name: K.sseKmsKeyId,
      type: ConfigType.STRING,
      defaultValue: '',
      importance: Importance.LOW,
      group: 'S3',
      documentation: 'SSE-KMS: the key id or ARN (with s3.ssea.name=aws:kms).',
    })
    .define({
      name: K.cannedAcl,
      type: ConfigType.STRING,
      defaultValue: null,
      validator: nullable(ValidString.in(...CANNED_ACLS)),
      importance: Importance.LOW,
      group: 'S3',
      documentation: 'A canned ACL for every object.',
    })
    .define({
      name: K.wanMode,
      type: ConfigType.BOOLEAN,
      defaultValue: false,
      importance: Importance.MEDIUM,
      group: 'S3',
      documentation: 'Use the S3 Transfer Acceleration endpoint.',
    })
    .define({
      name: K.compressionType,
      type: ConfigType.STRING,
      defaultValue: 'none',
      validator: ValidString.in('none', 'gzip'),
      importance: Importance.LOW,
      group: 'S3',
      documentation: 'gzip the whole object (JsonFormat and ByteArrayFormat; adds .gz).',
    })
    .define({
      name: K.compressionLevel,
      type: ConfigType.INT,
      defaultValue: -1,
      validator: Range.between(-1, 9),
      importance: Importance.LOW,
      group: 'S3',
      documentation: 'Deflate level of gzip; -1 is zlib’s default.',
    })
    .define({
      name: K.decimalFormat,
      type: ConfigType.STRING,
      defaultValue: 'BASE64',
      validator: ValidString.in('BASE64', 'NUMERIC'),
      importance: Importance.MEDIUM,
      group: 'S3',
      documentation: 'JsonFormat: Decimal values as base64 of the unscaled bytes, or as JSON numbers.',
    })
    .define({
      name: K.partRetries,
      type: ConfigType.INT,
      defaultValue: 3,
      validator: Range.atLeast(0),
      importance: Importance.MEDIUM,
      group: 'S3',
      documentation: 'Retries of a failed S3 request by the SDK.',
    })
    .define({
      name: K.bytearrayExtension,
      type: ConfigType.STRING,
      defaultValue: '.bin',
      importance: Importance.LOW,
      group: 'S3',
      documentation: 'ByteArrayFormat: the extension of the objects.',
    })
    .define({
      name: K.bytearraySeparator,
      type: ConfigType.STRING,
      defaultValue: null,
      importance: Importance.LOW,
      group: 'S3',
      documentation:
        'ByteArrayFormat: written after every record; Java escapes such as \\n are read. Default: a newline.',
    })
    .define({
      name: K.nullValues,
      type: ConfigType.STRING,
      defaultValue: 'fail',
      validator: lowerCased(ValidString.in('ignore', 'fail', 'write')),
      importance: Importance.LOW,
      group: 'S3',
      documentation:
        'Records with a null value (tombstones), in any case: skip them, or fail the task. Confluent’s write is refused here.',
    })
    .define({
      name: K.nullValuesToDlq,
      type: ConfigType.BOOLEAN,
      defaultValue: true,
      importance: Importance.LOW,
      group: 'S3',
      documentation:
        'With behavior.on.null.values=ignore: send skipped records to the errant record reporter (DLQ) when one is configured.',
    })
    .define({
      name: K.rotateOnPartitionChange,
      type: ConfigType.BOOLEAN,
      defaultValue: true,
      importance: Importance.LOW,
      group: 'S3',
      documentation:
        'With rotate.interval.ms: a record for another encoded partition than the previous one commits the open files.',
    })
    .define({
      name: K.objectTagging,
      type: ConfigType.BOOLEAN,
      defaultValue: false,
      importance: Importance.LOW,
      group: 'S3',
      documentation: 'Object tagging is not available here (false only).',
    })
    .define({
      name: K.sendDigest,
      type: ConfigType.BOOLEAN,
      defaultValue: false,
      importance: Importance.LOW,
      group: 'S3',
      documentation:
        'Content-MD5 per part is not available here (false only); the SDK sends its own checksums.',
    })
    .define({
      name: K.proxyUrl,
      type: ConfigType.STRING,
      defaultValue: '',
      importance: Importance.LOW,
      group: 'S3',
      documentation: 'An HTTP proxy is not available here (blank only).',
    })
    .define({
      name: K.conditionalWrites,
      type: ConfigType.BOOLEAN,
      defaultValue: true,
      importance: Importance.LOW,
      group: 'S3',
      documentation: 'Accepted; uploads here always replace an existing object (README, Differences).',
    })
    .define({
      name: K.maxOpenFiles,
      type: ConfigType.INT,
      defaultValue: -1,
      importance: Importance.LOW,
      group: 'S3',
      documentation: 'Open files of one Kafka partition beyond which all are committed; -1 for no limit.',
    })
    .define({
      name: K.storeKeys,
      type: ConfigType.BOOLEAN,
      defaultValue: false,
      importance: Importance.LOW,
      group: 'Keys and Headers',
      documentation: 'Also write the record keys, to <name>.keys<ext> beside each value file.',
    })
    .define({
      name: K.storeHeaders,
      type: ConfigType.BOOLEAN,
      defaultValue: false,
      importance: Importance.LOW,
      group: 'Keys and Headers',
      documentation: 'Also write the record headers, to <name>.headers<ext> beside each value file.',
    })
    .define({
      name: K.keysFormat,
      type: ConfigType.CLASS,
      defaultValue: FORMAT_CLASSES.avro,
      validator: ValidString.in(...Object.values(FORMAT_CLASSES)),
      importance: Importance.LOW,
      group: 'Keys and Headers',
      documentation: 'The format of the keys files.',
    })
    .define({
      name: K.headersFormat,
      type: ConfigType.CLASS,
      defaultValue: FORMAT_CLASSES.avro,
      validator: ValidString.in(FORMAT_CLASSES.avro, FORMAT_CLASSES.json, FORMAT_CLASSES.parquet),
      importance: Importance.LOW,
      group: 'Keys and Headers',
      documentation: 'The format of the headers files (not ByteArrayFormat).',
    })
    .define({
      name: K.pathStyle,
      type: ConfigType.BOOLEAN,
      defaultValue: true,
      importance: Importance.LOW,
      group: 'Keys and Headers',
      documentation: 'Path-style requests (https://host/bucket/key) instead of virtual-hosted ones.',
    });

/** The parsed config the task runs with. */
export interface S3SinkConfig {
  bucket: string;
  region: string;
  storeUrl: string | null;
  pathStyle: boolean;
  accelerate: boolean;
  partSize: number;
  partRetries: number;
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
  sse: Sse;
  cannedAcl: string | null;
  gzip: boolean;
  gzipLevel: number;
  decimalFormat: 'BASE64' | 'NUMERIC';
  bytearrayExtension: string;
  bytearraySeparator: Uint8Array;
  ignoreNullValues: boolean;
  nullValuesToDlq: boolean;
  rotateOnPartitionChange: boolean;
  storeKeys: boolean;
  storeHeaders: boolean;
  valueFormat: FormatName;
  keysFormat: FormatName;
  headersFormat: FormatName;
  topicsDir: string;
  directoryDelim: string;
  fileDelim: string;
  flushSize: number;
  rotateIntervalMs: number;
  rotateScheduleIntervalMs: number;
  retryBackoffMs: number;
  zeroPadWidth: number;
  avroCodec: 'null' | 'deflate' | 'snappy';
  parquetCodec: 'none' | 'snappy' | 'gzip' | 'brotli' | 'zstd';
  maxOpenFiles: number;
  partitioner: PartitionerSettings;
}

export type Sse =
  | { kind: 'none' }
  | { kind: 'AES256' }
  | { kind: 'aws:kms' | 'aws:kms:dsse'; keyId: string }
  | { kind: 'SSE-C'; key: string };

export interface PartitionerSettings {
  className: string;
  fieldNames: string[];
  durationMs: number;
  pathFormat: string;
  locale: string;
  timezone: string;
  extractor: 'Wallclock' | 'Record' | 'RecordField';
  timestampField: string;
  directoryDelim: string;
}

const FORMAT_BY_CLASS = new Map<string, FormatName>(
  Object.entries(FORMAT_CLASSES).map(([name, cls]) => [cls, name as FormatName]),
);

/** Parses and checks the props (throws a ConfigError naming the key). */
export function parseS3Config(props: Readonly<Record<string, string>>): S3SinkConfig {
  const p = s3ConfigDef().parse(props);
  const str = (k: string) => p[k] as string;
  const num = (k: string) => Number(p[k]);
  const secret = p[K.secretAccessKey] as Password | null;
  const customerKey = p[K.sseCustomerKey] as Password | null;
  return {
    bucket: str(K.bucket),
    region: str(K.region),
    storeUrl: (p[K.storeUrl] as string | null) || null,
    pathStyle: p[K.pathStyle] as boolean,
    accelerate: p[K.wanMode] as boolean,
    partSize: num(K.partSize),
    partRetries: num(K.partRetries),
    credentials:
      str(K.accessKeyId) && secret?.value()
        ? { accessKeyId: str(K.accessKeyId), secretAccessKey: secret.value() }
        : null,
    sse: sseOf(str(K.ssea), str(K.sseKmsKeyId), customerKey?.value() ?? ''),
    cannedAcl: p[K.cannedAcl] as string | null,
    gzip: str(K.compressionType) === 'gzip',
    gzipLevel: num(K.compressionLevel),
    decimalFormat: str(K.decimalFormat) as 'BASE64' | 'NUMERIC',
    bytearrayExtension: str(K.bytearrayExtension),
    // Parsed values are trimmed (as in Kafka), so a separator is written with Java escapes.
    bytearraySeparator: Buffer.from(
      p[K.bytearraySeparator] === null ? '\n' : unescapeJava(str(K.bytearraySeparator)),
      'utf8',
    ),
    ignoreNullValues: str(K.nullValues).toLowerCase() === 'ignore',
    nullValuesToDlq: p[K.nullValuesToDlq] as boolean,
    rotateOnPartitionChange: p[K.rotateOnPartitionChange] as boolean,
    storeKeys: p[K.storeKeys] as boolean,
    storeHeaders: p[K.storeHeaders] as boolean,
    valueFormat: FORMAT_BY_CLASS.get(str(K.formatClass)) as FormatName,
    keysFormat: FORMAT_BY_CLASS.get(str(K.keysFormat)) as FormatName,
    headersFormat: FORMAT_BY_CLASS.get(str(K.headersFormat)) as FormatName,
    topicsDir: str(K.topicsDir),
    directoryDelim: str(K.directoryDelim),
    fileDelim: str(K.fileDelim),
    flushSize: num(K.flushSize),
    rotateIntervalMs: num(K.rotateIntervalMs),
    rotateScheduleIntervalMs: num(K.rotateScheduleIntervalMs),
    retryBackoffMs: num(K.retryBackoffMs),
    zeroPadWidth: num(K.zeroPadWidth),
    avroCodec: str(K.avroCodec) as S3SinkConfig['avroCodec'],
    parquetCodec: str(K.parquetCodec) as S3SinkConfig['parquetCodec'],
    maxOpenFiles: num(K.maxOpenFiles),
    partitioner: {
      className: str(K.partitionerClass),
      fieldNames: p[K.partitionFieldName] as string[],
      durationMs: num(K.partitionDurationMs),
      pathFormat: str(K.pathFormat),
      locale: str(K.locale),
      timezone: str(K.timezone),
      extractor: str(K.timestampExtractor) as PartitionerSettings['extractor'],
      timestampField: str(K.timestampField),
      directoryDelim: str(K.directoryDelim),
    },
  };
}

/**
 * Confluent's choice of encryption (`S3OutputStream.newMultipartUpload`): SSE-C when AES256 comes with a
 * customer key, SSE-S3 for AES256 alone, SSE-KMS only with a key id.
 */
function sseOf(algorithm: string, kmsKeyId: string, customerKey: string): Sse {
  if (algorithm === 'AES256') return customerKey ? { kind: 'SSE-C', key: customerKey } : { kind: 'AES256' };
  if ((algorithm === 'aws:kms' || algorithm === 'aws:kms:dsse') && kmsKeyId)
    return { kind: algorithm, keyId: kmsKeyId };
  return { kind: 'none' };
}

/** Java's escapes in a string (`\n`, `\t`, `\r`, `\\`, `\uXXXX`), as Confluent reads the separator. */
export function unescapeJava(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => {
    if (e.startsWith('u') && e.length === 5) return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    return { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '0': '\0' }[e] ?? e;
  });
}
