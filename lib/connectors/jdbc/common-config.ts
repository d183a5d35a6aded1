import { type ConfigDef, ConfigType, Importance, NO_DEFAULT, Range, ValidString } from '../../api/index.js';

/** Confluent's kafka-connect-jdbc version whose keys and defaults these connectors follow. */
export const VERSION = '10.8.0';

export const CONNECTION_URL = 'connection.url';
export const CONNECTION_USER = 'connection.user';
export const CONNECTION_PASSWORD = 'connection.password';
export const CONNECTION_ATTEMPTS = 'connection.attempts';
export const CONNECTION_BACKOFF = 'connection.backoff.ms';
export const QUOTE_SQL_IDENTIFIERS = 'quote.sql.identifiers';
export const DB_TIMEZONE = 'db.timezone';
export const DIALECT_NAME = 'dialect.name';

/** The connection keys both JDBC connectors share. */
export function defineConnection(def: ConfigDef): ConfigDef {
  return def
    .define({
      name: CONNECTION_URL,
      type: ConfigType.STRING,
      defaultValue: NO_DEFAULT,
      importance: Importance.HIGH,
      group: 'Database',
      documentation:
        'JDBC connection URL: jdbc:postgresql://host[:port]/db, jdbc:mysql://host[:port]/db or jdbc:mariadb://host[:port]/db, with optional ?user=…&password=…&sslmode=… parameters.',
    })
    .define({
      name: CONNECTION_USER,
      type: ConfigType.STRING,
      defaultValue: null,
      importance: Importance.HIGH,
      group: 'Database',
      documentation: 'JDBC connection user (overrides a user in the URL).',
    })
    .define({
      name: CONNECTION_PASSWORD,
      type: ConfigType.PASSWORD,
      defaultValue: null,
      importance: Importance.HIGH,
      group: 'Database',
      documentation:
        // biome-ignore lint/suspicious/noTemplateCurlyInString: config provider placeholders, not a template
        'JDBC connection password; use a config provider (${secretsmanager:…}, ${file:…}) to keep it out of the stored config.',
    })
    .define({
      name: CONNECTION_ATTEMPTS,
      type: ConfigType.INT,
      defaultValue: 3,
      validator: Range.atLeast(1),
      importance: Importance.LOW,
      group: 'Database',
      documentation: 'Maximum number of attempts to open a connection.',
    })
    .define({
      name: CONNECTION_BACKOFF,
      type: ConfigType.LONG,
      defaultValue: 10_000,
      importance: Importance.LOW,
      group: 'Database',
      documentation:
        'Backoff time in milliseconds between connection attempts (capped at 2 s here, to fit a bounded batch).',
    })
    .define({
      name: DIALECT_NAME,
      type: ConfigType.STRING,
      defaultValue: '',
      validator: ValidString.in('', 'PostgreSqlDatabaseDialect', 'MySqlDatabaseDialect'),
      importance: Importance.LOW,
      group: 'Database',
      documentation: 'The database dialect; empty means derived from the connection URL.',
    })
    .define({
      name: QUOTE_SQL_IDENTIFIERS,
      type: ConfigType.STRING,
      defaultValue: 'always',
      validator: ValidString.in('always', 'never'),
      importance: Importance.MEDIUM,
      group: 'Database',
      documentation:
        'When to quote table and column names in SQL. With never, names must be plain identifiers ([A-Za-z_][A-Za-z0-9_$]*).',
    })
    .define({
      name: DB_TIMEZONE,
      type: ConfigType.STRING,
      defaultValue: 'UTC',
      validator: ValidString.in('UTC'),
      importance: Importance.MEDIUM,
      group: 'Database',
      documentation: 'Time zone of timestamp columns without a zone. Only UTC is supported.',
    });
}
