import {
  ConfigDef,
  ConfigType,
  Importance,
  NO_DEFAULT,
  Range,
  ValidList,
  ValidString,
} from '../../api/index.js';
import { defineConnection } from './common-config.js';

export const MODE = 'mode';
export const MODE_BULK = 'bulk';
export const MODE_TIMESTAMP = 'timestamp';
export const MODE_INCREMENTING = 'incrementing';
export const MODE_TIMESTAMP_INCREMENTING = 'timestamp+incrementing';
export const INCREMENTING_COLUMN = 'incrementing.column.name';
export const TIMESTAMP_COLUMN = 'timestamp.column.name';
export const TIMESTAMP_INITIAL = 'timestamp.initial';
export const VALIDATE_NON_NULL = 'validate.non.null';
export const TABLE_WHITELIST = 'table.whitelist';
export const TABLE_BLACKLIST = 'table.blacklist';
export const TABLE_TYPES = 'table.types';
export const SCHEMA_PATTERN = 'schema.pattern';
export const QUERY = 'query';
export const TOPIC_PREFIX = 'topic.prefix';
export const POLL_INTERVAL = 'poll.interval.ms';
export const BATCH_MAX_ROWS = 'batch.max.rows';
export const TABLE_POLL_INTERVAL = 'table.poll.interval.ms';
export const TIMESTAMP_DELAY = 'timestamp.delay.interval.ms';
export const NUMERIC_MAPPING = 'numeric.mapping';
export const NUMERIC_PRECISION_MAPPING = 'numeric.precision.mapping';
/** Task-only key: the tables this task reads, as a JSON array of TableIds (Confluent's `tables`). */
export const TABLES = 'tables';

/** The JDBC source's config spec: Confluent's keys, defaults and importance. */
export const sourceConfigDef = () =>
  defineConnection(new ConfigDef())
    .define({
      name: TABLE_WHITELIST,
      type: ConfigType.LIST,
      defaultValue: '',
      importance: Importance.MEDIUM,
      group: 'Database',
      documentation:
        'Tables to copy (table, schema.table or db.schema.table). If set, table.blacklist must not be set.',
    })
    .define({
      name: TABLE_BLACKLIST,
      type: ConfigType.LIST,
      defaultValue: '',
      importance: Importance.MEDIUM,
      group: 'Database',
      documentation: 'Tables not to copy. If set, table.whitelist must not be set.',
    })
    .define({
      name: SCHEMA_PATTERN,
      type: ConfigType.STRING,
      defaultValue: null,
      importance: Importance.MEDIUM,
      group: 'Database',
      documentation:
        'Schema pattern (SQL LIKE) to list tables from; null lists every non-system schema (PostgreSQL) or the current database (MySQL).',
    })
    .define({
      name: TABLE_TYPES,
      type: ConfigType.LIST,
      defaultValue: 'TABLE',
      validator: ValidList.in('TABLE', 'VIEW'),
      importance: Importance.LOW,
      group: 'Database',
      documentation: 'Table types to copy: TABLE, VIEW.',
    })
    .define({
      name: NUMERIC_MAPPING,
      type: ConfigType.STRING,
      defaultValue: null,
      validator: {
        ensureValid: (name: string, value: unknown) => {
          if (value !== null && !['none', 'precision_only', 'best_fit'].includes(String(value)))
            ValidString.in('none', 'precision_only', 'best_fit').ensureValid(name, value);
        },
        toString: () => '[none, precision_only, best_fit]',
      },
      importance: Importance.LOW,
      group: 'Database',
      documentation:
        'How NUMERIC columns map: none (Decimal), precision_only (integers by precision when scale is 0), best_fit (also FLOAT64 for scale > 0 and precision <= 15).',
    })
    .define({
      name: NUMERIC_PRECISION_MAPPING,
      type: ConfigType.BOOLEAN,
      defaultValue: false,
      importance: Importance.LOW,
      group: 'Database',
      documentation: 'Deprecated: true means numeric.mapping=precision_only.',
    })
    .define({
      name: MODE,
      type: ConfigType.STRING,
      defaultValue: NO_DEFAULT,
      validator: ValidString.in(MODE_BULK, MODE_TIMESTAMP, MODE_INCREMENTING, MODE_TIMESTAMP_INCREMENTING),
      importance: Importance.HIGH,
      group: 'Mode',
      documentation:
        'How to detect new rows: bulk (the whole table each poll), incrementing (a strictly increasing column), timestamp (a modification timestamp), timestamp+incrementing (both).',
    })
    .define({
      name: INCREMENTING_COLUMN,
      type: ConfigType.STRING,
      defaultValue: '',
      importance: Importance.MEDIUM,
      group: 'Mode',
      documentation: 'Strictly increasing column; empty means the table’s auto-increment column.',
    })
    .define({
      name: TIMESTAMP_COLUMN,
      type: ConfigType.LIST,
      defaultValue: '',
      importance: Importance.MEDIUM,
      group: 'Mode',
      documentation: 'Timestamp column(s); with several, the first non-null (COALESCE) is used.',
    })
    .define({
      name: TIMESTAMP_INITIAL,
      type: ConfigType.LONG,
      defaultValue: null,
      importance: Importance.LOW,
      group: 'Mode',
      documentation:
        'Epoch ms to start timestamp modes from when no offset exists; -1 means now; null means 1970.',
    })
    .define({
      name: VALIDATE_NON_NULL,
      type: ConfigType.BOOLEAN,
      defaultValue: true,
      importance: Importance.LOW,
      group: 'Mode',
      documentation: 'Fail when an incrementing or timestamp column is nullable.',
    })
    .define({
      name: QUERY,
      type: ConfigType.STRING,
      defaultValue: '',
      importance: Importance.MEDIUM,
      group: 'Mode',
      documentation:
        'A query to run instead of copying tables; its rows go to topic.prefix. Incremental modes filter it as a subquery.',
    })
    .define({
      name: POLL_INTERVAL,
      type: ConfigType.INT,
      defaultValue: 5_000,
      validator: Range.atLeast(0),
      importance: Importance.HIGH,
      group: 'Connector',
      documentation: 'Frequency in ms to poll for new data in each table.',
    })
    .define({
      name: BATCH_MAX_ROWS,
      type: ConfigType.INT,
      defaultValue: 100,
      validator: Range.atLeast(1),
      importance: Importance.LOW,
      group: 'Connector',
      documentation: 'Maximum rows to read in one query (one poll).',
    })
    .define({
      name: TABLE_POLL_INTERVAL,
      type: ConfigType.LONG,
      defaultValue: 60_000,
      importance: Importance.LOW,
      group: 'Connector',
      documentation:
        'Frequency in ms to look for new or removed tables (then task reconfiguration is requested).',
    })
    .define({
      name: TOPIC_PREFIX,
      type: ConfigType.STRING,
      defaultValue: NO_DEFAULT,
      importance: Importance.HIGH,
      group: 'Connector',
      documentation: 'Prefix of the topic names: <prefix><table>, or the whole topic name in query mode.',
    })
    .define({
      name: TIMESTAMP_DELAY,
      type: ConfigType.LONG,
      defaultValue: 0,
      importance: Importance.HIGH,
      group: 'Connector',
      documentation:
        'How long in ms after a row appears with a timestamp before it is read, so transactions with earlier timestamps can complete.',
    });
