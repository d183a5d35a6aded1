import { ConfigDef, ConfigType, Importance, Range, ValidString } from '../../api/index.js';
import { defineConnection } from './common-config.js';

export const INSERT_MODE = 'insert.mode';
export const BATCH_SIZE = 'batch.size';
export const DELETE_ENABLED = 'delete.enabled';
export const TABLE_NAME_FORMAT = 'table.name.format';
export const PK_MODE = 'pk.mode';
export const PK_FIELDS = 'pk.fields';
export const FIELDS_WHITELIST = 'fields.whitelist';
export const AUTO_CREATE = 'auto.create';
export const AUTO_EVOLVE = 'auto.evolve';
export const MAX_RETRIES = 'max.retries';
export const RETRY_BACKOFF = 'retry.backoff.ms';

export type InsertMode = 'insert' | 'upsert' | 'update';
export type PkMode = 'none' | 'kafka' | 'record_key' | 'record_value';

/** The JDBC sink's config spec: Confluent's keys, defaults and importance. */
export const sinkConfigDef = () =>
  defineConnection(new ConfigDef())
    .define({
      name: INSERT_MODE,
      type: ConfigType.STRING,
      defaultValue: 'insert',
      validator: ValidString.in('insert', 'upsert', 'update'),
      importance: Importance.HIGH,
      group: 'Writes',
      documentation:
        'insert: plain INSERT; upsert: INSERT … ON CONFLICT DO UPDATE (PostgreSQL) / ON DUPLICATE KEY UPDATE (MySQL); update: UPDATE by primary key.',
    })
    .define({
      name: BATCH_SIZE,
      type: ConfigType.INT,
      defaultValue: 3_000,
      validator: Range.atLeast(0),
      importance: Importance.MEDIUM,
      group: 'Writes',
      documentation: 'Rows per multi-row statement; every put is still one transaction.',
    })
    .define({
      name: DELETE_ENABLED,
      type: ConfigType.BOOLEAN,
      defaultValue: false,
      importance: Importance.MEDIUM,
      group: 'Writes',
      documentation:
        'Turn tombstones (null values) into DELETEs by primary key. Requires pk.mode=record_key.',
    })
    .define({
      name: TABLE_NAME_FORMAT,
      type: ConfigType.STRING,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Confluent's placeholder syntax
      defaultValue: '${topic}',
      importance: Importance.MEDIUM,
      group: 'Data Mapping',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Confluent's placeholder syntax
      documentation: 'Destination table name; ${topic} is replaced by the record topic. May be schema.table.',
    })
    .define({
      name: PK_MODE,
      type: ConfigType.STRING,
      defaultValue: 'none',
      validator: ValidString.in('none', 'kafka', 'record_key', 'record_value'),
      importance: Importance.HIGH,
      group: 'Data Mapping',
      documentation:
        'Primary key source: none; kafka (__connect_topic, __connect_partition, __connect_offset); record_key (key fields, or the primitive key); record_value (value fields).',
    })
    .define({
      name: PK_FIELDS,
      type: ConfigType.LIST,
      defaultValue: '',
      importance: Importance.MEDIUM,
      group: 'Data Mapping',
      documentation:
        'Primary key field names: for kafka the three column names; for record_key one name for a primitive key or a subset of the key struct (empty: all); for record_value a subset of the value (empty: all).',
    })
    .define({
      name: FIELDS_WHITELIST,
      type: ConfigType.LIST,
      defaultValue: '',
      importance: Importance.MEDIUM,
      group: 'Data Mapping',
      documentation: 'Value fields to write; empty means all.',
    })
    .define({
      name: AUTO_CREATE,
      type: ConfigType.BOOLEAN,
      defaultValue: false,
      importance: Importance.MEDIUM,
      group: 'DDL Support',
      documentation: 'Create the destination table (CREATE TABLE) from the record schema when it is missing.',
    })
    .define({
      name: AUTO_EVOLVE,
      type: ConfigType.BOOLEAN,
      defaultValue: false,
      importance: Importance.MEDIUM,
      group: 'DDL Support',
      documentation: 'Add missing columns (ALTER TABLE … ADD) for new optional fields of the record schema.',
    })
    .define({
      name: MAX_RETRIES,
      type: ConfigType.INT,
      defaultValue: 10,
      validator: Range.atLeast(0),
      importance: Importance.MEDIUM,
      group: 'Retries',
      documentation: 'Times a failed put is retried (as a RetriableError) before the task fails.',
    })
    .define({
      name: RETRY_BACKOFF,
      type: ConfigType.INT,
      defaultValue: 3_000,
      validator: Range.atLeast(0),
      importance: Importance.MEDIUM,
      group: 'Retries',
      documentation: 'Milliseconds to wait before a failed put is retried.',
    });
