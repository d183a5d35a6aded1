import { POSTGRES_CDC_URL } from './services.js';

/**
 * A Debezium PostgreSQL connector config against the dev stack's logical PostgreSQL, with its own slot,
 * publication and topic prefix (all `name`), pgoutput, capturing the `tables` regex list; the same keys
 * run under our connector and under Debezium itself.
 */
export function debeziumConfig(name: string, tables: string): Record<string, string> {
  const url = new URL(POSTGRES_CDC_URL);
  return {
    'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
    'database.hostname': url.hostname,
    'database.port': url.port,
    'database.user': url.username,
    'database.dbname': url.pathname.slice(1),
    'topic.prefix': name,
    'plugin.name': 'pgoutput',
    'slot.name': name,
    'publication.name': name,
    'publication.autocreate.mode': 'filtered',
    'table.include.list': tables,
  };
}
