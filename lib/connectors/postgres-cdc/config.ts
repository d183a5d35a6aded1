import {
  CaseInsensitiveValidString,
  ConfigDef,
  ConfigError,
  ConfigType,
  Importance,
  NO_DEFAULT,
  Range,
  type Validator,
} from '../../api/index.js';

/**
 * The Debezium release whose keys, defaults and events this connector reproduces; `source.version`
 * carries it, so consumers that branch on Debezium's version see the one whose output they get.
 */
export const DEBEZIUM_VERSION = '3.6.1.Final';

export const HOSTNAME = 'database.hostname';
export const PORT = 'database.port';
export const USER = 'database.user';
export const PASSWORD = 'database.password';
export const DBNAME = 'database.dbname';
export const SSLMODE = 'database.sslmode';
export const INITIAL_STATEMENTS = 'database.initial.statements';
export const TOPIC_PREFIX = 'topic.prefix';
export const TOPIC_DELIMITER = 'topic.delimiter';
export const HEARTBEAT_PREFIX = 'topic.heartbeat.prefix';
export const PLUGIN_NAME = 'plugin.name';
export const SLOT_NAME = 'slot.name';
export const SLOT_DROP_ON_STOP = 'slot.drop.on.stop';
export const PUBLICATION_NAME = 'publication.name';
export const PUBLICATION_AUTOCREATE = 'publication.autocreate.mode';
export const SCHEMA_INCLUDE = 'schema.include.list';
export const SCHEMA_EXCLUDE = 'schema.exclude.list';
export const TABLE_INCLUDE = 'table.include.list';
export const TABLE_EXCLUDE = 'table.exclude.list';
export const COLUMN_INCLUDE = 'column.include.list';
export const COLUMN_EXCLUDE = 'column.exclude.list';
export const MESSAGE_KEY_COLUMNS = 'message.key.columns';
export const SNAPSHOT_MODE = 'snapshot.mode';
export const SNAPSHOT_FETCH_SIZE = 'snapshot.fetch.size';
export const SNAPSHOT_INCLUDE = 'snapshot.include.collection.list';
export const DECIMAL_MODE = 'decimal.handling.mode';
export const TIME_PRECISION_MODE = 'time.precision.mode';
export const HSTORE_MODE = 'hstore.handling.mode';
export const INTERVAL_MODE = 'interval.handling.mode';
export const BINARY_MODE = 'binary.handling.mode';
export const MONEY_FRACTION_DIGITS = 'money.fraction.digits';
export const INCLUDE_UNKNOWN = 'include.unknown.datatypes';
export const UNAVAILABLE_PLACEHOLDER = 'unavailable.value.placeholder';
export const TOMBSTONES_ON_DELETE = 'tombstones.on.delete';
export const SKIPPED_OPERATIONS = 'skipped.operations';
export const MAX_BATCH_SIZE = 'max.batch.size';
export const POLL_INTERVAL = 'poll.interval.ms';
export const HEARTBEAT_INTERVAL = 'heartbeat.interval.ms';
export const HEARTBEAT_ACTION_QUERY = 'heartbeat.action.query';
export const STATUS_UPDATE_INTERVAL = 'status.update.interval.ms';
export const LSN_FLUSH_MODE = 'lsn.flush.mode';
export const FLUSH_LSN_SOURCE = 'flush.lsn.source';
export const PROVIDE_TX_METADATA = 'provide.transaction.metadata';
export const EXTENDED_HEADERS = 'extended.headers.enabled';

export const SNAPSHOT_MODES = [
  'initial',
  'always',
  'initial_only',
  'no_data',
  'never',
  'when_needed',
] as const;
export type SnapshotMode = (typeof SNAPSHOT_MODES)[number];
export type AutocreateMode = 'disabled' | 'all_tables' | 'filtered' | 'no_tables';

const oneOf = (...values: string[]) => CaseInsensitiveValidString.in(...values);

/** Debezium's `topic.prefix` rule (CommonConnectorConfig.TOPIC_PREFIX). */
const topicPrefixValidator: Validator = {
  ensureValid(name, value) {
    if (typeof value !== 'string' || !/^[a-zA-Z0-9_.-]+$/.test(value))
      throw new ConfigError(
        `Invalid value ${String(value)} for configuration ${name}: must match ^[a-zA-Z0-9_.\\-]+$`,
      );
  },
  toString: () => 'letters, digits, _ . -',
};

/** PostgreSQL slot names: lower-case letters, digits and underscores, at most 63 (Debezium's check). */
const slotNameValidator: Validator = {
  ensureValid(name, value) {
    if (typeof value !== 'string' || !/^[a-z0-9_]{1,63}$/.test(value))
      throw new ConfigError(
        `Invalid value ${String(value)} for configuration ${name}: slot names may contain only lower case letters, numbers and the underscore character, 63 at most`,
      );
  },
  toString: () => '[a-z0-9_]{1,63}',
};

/** Only pgoutput is decoded; decoderbufs needs a server-side plugin this connector does not speak. */
const pluginValidator: Validator = {
  ensureValid(name, value) {
    const v = String(value).trim().toLowerCase();
    if (v === 'pgoutput') return;
    throw new ConfigError(
      v === 'decoderbufs'
        ? `Invalid value decoderbufs for configuration ${name}: only pgoutput is supported (it is built into PostgreSQL 10+); set ${name}=pgoutput`
        : `Invalid value ${String(value)} for configuration ${name}: must be pgoutput`,
    );
  },
  toString: () => '[pgoutput]',
};

const skippedValidator: Validator = {
  ensureValid(name, value) {
    for (const op of value as string[]) {
      if (!['c', 'u', 'd', 't', 'none'].includes(op.trim().toLowerCase()))
        throw new ConfigError(
          `Invalid value ${op} for configuration ${name}: the operations are c, u, d, t or none`,
        );
    }
  },
  toString: () => 'any of c, u, d, t, or none',
};

const noTransactionMetadata: Validator = {
  ensureValid(name, value) {
    if (value === true)
      throw new ConfigError(
        `Invalid value true for configuration ${name}: transaction metadata events are not supported by this connector`,
      );
  },
  toString: () => '[false]',
};

const G = { connection: 'Connection', filters: 'Filters', snapshot: 'Snapshot', events: 'Events' };

/** The PostgreSQL connector's config spec: Debezium 3.6's keys and defaults, pgoutput only. */
export const postgresConfigDef = () =>
  new ConfigDef()
    .define({
      name: HOSTNAME,
      type: ConfigType.STRING,
      defaultValue: NO_DEFAULT,
      importance: Importance.HIGH,
      group: G.connection,
      documentation: 'Resolvable hostname or IP address of the PostgreSQL server.',
    })
    .define({
      name: PORT,
      type: ConfigType.INT,
      defaultValue: 5432,
      validator: Range.between(1, 65535),
      importance: Importance.HIGH,
      group: G.connection,
      documentation: 'Port of the PostgreSQL server.',
    })
    .define({
      name: USER,
      type: ConfigType.STRING,
      defaultValue: NO_DEFAULT,
      importance: Importance.HIGH,
      group: G.connection,
      documentation: 'PostgreSQL user with the REPLICATION and LOGIN attributes (or rds_replication on RDS).',
    })
    .define({
      name: PASSWORD,
      type: ConfigType.PASSWORD,
      defaultValue: null,
      importance: Importance.HIGH,
      group: G.connection,
      documentation:
        // biome-ignore lint/suspicious/noTemplateCurlyInString: config provider placeholders, not a template
        'Password of the user; use a config provider (${secretsmanager:…}, ${file:…}) to keep it out of the stored config.',
    })
    .define({
      name: DBNAME,
      type: ConfigType.STRING,
      defaultValue: NO_DEFAULT,
      importance: Importance.HIGH,
      group: G.connection,
      documentation: 'The database to capture changes from (one per connector).',
    })
    .define({
      name: SSLMODE,
      type: ConfigType.STRING,
      defaultValue: 'prefer',
      validator: oneOf('disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'),
      importance: Importance.MEDIUM,
      group: G.connection,
      documentation:
        'disable, allow and prefer (try TLS, fall back to plain; here: plain unless the server requires TLS), require (TLS, no certificate check), verify-ca and verify-full (TLS with the CA bundle of the runtime).',
    })
    .define({
      name: INITIAL_STATEMENTS,
      type: ConfigType.STRING,
      defaultValue: null,
      importance: Importance.LOW,
      group: G.connection,
      documentation: 'SQL statements separated by ; run on each new (non-replication) connection.',
    })
    .define({
      name: TOPIC_PREFIX,
      type: ConfigType.STRING,
      defaultValue: NO_DEFAULT,
      validator: topicPrefixValidator,
      importance: Importance.HIGH,
      group: G.events,
      documentation:
        'Names this server: prefix of every topic (<topic.prefix>.<schema>.<table>), source.name, and the source partition {"server": <topic.prefix>} of the offsets.',
    })
    .define({
      name: TOPIC_DELIMITER,
      type: ConfigType.STRING,
      defaultValue: '.',
      importance: Importance.LOW,
      group: G.events,
      documentation: 'Delimiter between the parts of a topic name.',
    })
    .define({
      name: HEARTBEAT_PREFIX,
      type: ConfigType.STRING,
      defaultValue: '__debezium-heartbeat',
      importance: Importance.LOW,
      group: G.events,
      documentation: 'Prefix of the heartbeat topic, <prefix>.<topic.prefix>.',
    })
    .define({
      name: PLUGIN_NAME,
      type: ConfigType.STRING,
      defaultValue: 'pgoutput',
      validator: pluginValidator,
      importance: Importance.MEDIUM,
      group: G.connection,
      documentation:
        "Logical decoding plugin. Only pgoutput (PostgreSQL's own, nothing to install). Debezium's default is decoderbufs; here an unset plugin.name means pgoutput and decoderbufs is refused.",
    })
    .define({
      name: SLOT_NAME,
      type: ConfigType.STRING,
      defaultValue: 'debezium',
      validator: slotNameValidator,
      importance: Importance.MEDIUM,
      group: G.connection,
      documentation: 'Logical replication slot this connector reads; created when missing.',
    })
    .define({
      name: SLOT_DROP_ON_STOP,
      type: ConfigType.BOOLEAN,
      defaultValue: false,
      importance: Importance.LOW,
      group: G.connection,
      documentation:
        'Drop the slot when the connector is stopped or deleted (not after each batch); the next start then snapshots per snapshot.mode from a new slot.',
    })
    .define({
      name: PUBLICATION_NAME,
      type: ConfigType.STRING,
      defaultValue: 'dbz_publication',
      importance: Importance.MEDIUM,
      group: G.connection,
      documentation: 'The publication pgoutput streams.',
    })
    .define({
      name: PUBLICATION_AUTOCREATE,
      type: ConfigType.STRING,
      defaultValue: 'all_tables',
      validator: oneOf('disabled', 'all_tables', 'filtered', 'no_tables'),
      importance: Importance.LOW,
      group: G.connection,
      documentation:
        'When the publication is missing: disabled (fail), all_tables (FOR ALL TABLES, needs a superuser), filtered (FOR TABLE the tables the filters select, kept in step on each start), no_tables (empty).',
    })
    .define({
      name: STATUS_UPDATE_INTERVAL,
      type: ConfigType.INT,
      defaultValue: 10_000,
      validator: Range.atLeast(1),
      importance: Importance.LOW,
      group: G.connection,
      documentation: 'Milliseconds between status updates to the server while streaming.',
    })
    .define({
      name: SCHEMA_INCLUDE,
      type: ConfigType.LIST,
      defaultValue: null,
      importance: Importance.MEDIUM,
      group: G.filters,
      documentation: 'Regular expressions matched (whole, case-insensitive) against schema names to capture.',
    })
    .define({
      name: SCHEMA_EXCLUDE,
      type: ConfigType.LIST,
      defaultValue: null,
      importance: Importance.MEDIUM,
      group: G.filters,
      documentation: 'Regular expressions of schema names not to capture.',
    })
    .define({
      name: TABLE_INCLUDE,
      type: ConfigType.LIST,
      defaultValue: null,
      importance: Importance.MEDIUM,
      group: G.filters,
      documentation: 'Regular expressions matched against schema.table of the tables to capture.',
    })
    .define({
      name: TABLE_EXCLUDE,
      type: ConfigType.LIST,
      defaultValue: null,
      importance: Importance.MEDIUM,
      group: G.filters,
      documentation: 'Regular expressions of schema.table not to capture.',
    })
    .define({
      name: COLUMN_INCLUDE,
      type: ConfigType.LIST,
      defaultValue: null,
      importance: Importance.MEDIUM,
      group: G.filters,
      documentation: 'Regular expressions matched against schema.table.column of the columns to emit.',
    })
    .define({
      name: COLUMN_EXCLUDE,
      type: ConfigType.LIST,
      defaultValue: null,
      importance: Importance.MEDIUM,
      group: G.filters,
      documentation: 'Regular expressions of schema.table.column not to emit.',
    })
    .define({
      name: MESSAGE_KEY_COLUMNS,
      type: ConfigType.STRING,
      defaultValue: null,
      importance: Importance.LOW,
      group: G.events,
      documentation:
        'Key columns per table instead of the primary key: schema.table:c1,c2;schema.t2:c (the table part is a regular expression).',
    })
    .define({
      name: SNAPSHOT_MODE,
      type: ConfigType.STRING,
      defaultValue: 'initial',
      validator: oneOf(...SNAPSHOT_MODES),
      importance: Importance.MEDIUM,
      group: G.snapshot,
      documentation:
        'initial (snapshot when there is no offset or the last one was unfinished, then stream), always, initial_only (snapshot, no streaming), no_data / never (no snapshot), when_needed (also when the stored position is gone from the slot).',
    })
    .define({
      name: SNAPSHOT_FETCH_SIZE,
      type: ConfigType.INT,
      defaultValue: 10_240,
      validator: Range.atLeast(1),
      importance: Importance.LOW,
      group: G.snapshot,
      documentation: 'Rows read per snapshot query (keyset chunks).',
    })
    .define({
      name: SNAPSHOT_INCLUDE,
      type: ConfigType.LIST,
      defaultValue: null,
      importance: Importance.LOW,
      group: G.snapshot,
      documentation: 'Regular expressions of schema.table: the captured tables to snapshot (default: all).',
    })
    .define({
      name: DECIMAL_MODE,
      type: ConfigType.STRING,
      defaultValue: 'precise',
      validator: oneOf('precise', 'string', 'double'),
      importance: Importance.MEDIUM,
      group: G.events,
      documentation: 'numeric and money as Connect Decimal (precise), STRING or FLOAT64.',
    })
    .define({
      name: TIME_PRECISION_MODE,
      type: ConfigType.STRING,
      defaultValue: 'adaptive',
      validator: oneOf(
        'adaptive',
        'adaptive_time_microseconds',
        'connect',
        'isostring',
        'microseconds',
        'nanoseconds',
      ),
      importance: Importance.MEDIUM,
      group: G.events,
      documentation:
        'Temporal types: adaptive (precision of the column), adaptive_time_microseconds, connect (Kafka Connect logical types, ms), isostring, microseconds, nanoseconds.',
    })
    .define({
      name: HSTORE_MODE,
      type: ConfigType.STRING,
      defaultValue: 'json',
      validator: oneOf('json', 'map'),
      importance: Importance.LOW,
      group: G.events,
      documentation: 'hstore as a JSON string or a MAP.',
    })
    .define({
      name: INTERVAL_MODE,
      type: ConfigType.STRING,
      defaultValue: 'numeric',
      validator: oneOf('numeric', 'string'),
      importance: Importance.LOW,
      group: G.events,
      documentation: 'interval as microseconds (numeric) or an ISO 8601 string.',
    })
    .define({
      name: BINARY_MODE,
      type: ConfigType.STRING,
      defaultValue: 'bytes',
      validator: oneOf('bytes', 'base64', 'base64-url-safe', 'hex'),
      importance: Importance.LOW,
      group: G.events,
      documentation: 'bytea as BYTES or as a base64, base64-url-safe or hex STRING.',
    })
    .define({
      name: MONEY_FRACTION_DIGITS,
      type: ConfigType.SHORT,
      defaultValue: 2,
      importance: Importance.LOW,
      group: G.events,
      documentation: 'Scale of money values under decimal.handling.mode=precise.',
    })
    .define({
      name: INCLUDE_UNKNOWN,
      type: ConfigType.BOOLEAN,
      defaultValue: false,
      importance: Importance.LOW,
      group: G.events,
      documentation: 'Emit columns of unknown types as bytes of their text; otherwise they are left out.',
    })
    .define({
      name: UNAVAILABLE_PLACEHOLDER,
      type: ConfigType.STRING,
      defaultValue: '__debezium_unavailable_value',
      importance: Importance.LOW,
      group: G.events,
      documentation:
        'Value of an unchanged TOASTed column that PostgreSQL did not send (a hex: prefix gives bytes).',
    })
    .define({
      name: TOMBSTONES_ON_DELETE,
      type: ConfigType.BOOLEAN,
      defaultValue: true,
      importance: Importance.MEDIUM,
      group: G.events,
      documentation: 'Follow each delete event with a tombstone (same key, null value) for log compaction.',
    })
    .define({
      name: SKIPPED_OPERATIONS,
      type: ConfigType.LIST,
      defaultValue: 't',
      validator: skippedValidator,
      importance: Importance.LOW,
      group: G.events,
      documentation: 'Operations not emitted: any of c, u, d, t, or none.',
    })
    .define({
      name: PROVIDE_TX_METADATA,
      type: ConfigType.BOOLEAN,
      defaultValue: false,
      validator: noTransactionMetadata,
      importance: Importance.LOW,
      group: G.events,
      documentation: 'Transaction BEGIN/END events: not supported (true is refused).',
    })
    .define({
      name: EXTENDED_HEADERS,
      type: ConfigType.BOOLEAN,
      defaultValue: true,
      importance: Importance.LOW,
      group: G.events,
      documentation:
        'Debezium context headers on every change event: __debezium.context.connectorLogicalName, taskId, connectorName, runId (a UUID per task start).',
    })
    .define({
      name: MAX_BATCH_SIZE,
      type: ConfigType.INT,
      defaultValue: 2048,
      validator: Range.atLeast(1),
      importance: Importance.LOW,
      group: G.events,
      documentation: 'Most events one poll answers.',
    })
    .define({
      name: POLL_INTERVAL,
      type: ConfigType.LONG,
      defaultValue: 500,
      validator: Range.atLeast(0),
      importance: Importance.LOW,
      group: G.events,
      documentation: 'Milliseconds a poll waits for new events before it answers none.',
    })
    .define({
      name: HEARTBEAT_INTERVAL,
      type: ConfigType.INT,
      defaultValue: 0,
      validator: Range.atLeast(0),
      importance: Importance.MEDIUM,
      group: G.events,
      documentation:
        'Milliseconds between heartbeat records to __debezium-heartbeat.<topic.prefix> (0: none). They carry the current position, so the slot advances even when no captured table changes.',
    })
    .define({
      name: HEARTBEAT_ACTION_QUERY,
      type: ConfigType.STRING,
      defaultValue: null,
      importance: Importance.LOW,
      group: G.events,
      documentation: 'SQL run at each heartbeat, e.g. an UPDATE of a table in the publication.',
    })
    .define({
      name: LSN_FLUSH_MODE,
      type: ConfigType.STRING,
      defaultValue: 'connector',
      validator: oneOf('connector', 'manual', 'connector_and_driver'),
      importance: Importance.LOW,
      group: G.connection,
      documentation:
        'connector: confirm the LSN to the slot after offsets are committed; manual: never (someone else advances the slot); connector_and_driver: as connector.',
    })
    .define({
      name: FLUSH_LSN_SOURCE,
      type: ConfigType.BOOLEAN,
      defaultValue: true,
      importance: Importance.LOW,
      group: G.connection,
      documentation: 'Deprecated (Debezium 3.4): false is lsn.flush.mode=manual.',
    });
