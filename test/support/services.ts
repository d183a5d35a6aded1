import { randomBytes } from 'node:crypto';
import { stackSettings } from '../../local/stack/settings.js';

/** Endpoints of the dev stack (or of the services named by KAFKA_BROKERS / DYNAMODB_ENDPOINT). */
const settings = stackSettings();
export const KAFKA_BROKERS = (process.env.KAFKA_BROKERS ?? `127.0.0.1:${settings.kafkaPort}`).split(',');
export const DYNAMODB_ENDPOINT = process.env.DYNAMODB_ENDPOINT ?? `http://127.0.0.1:${settings.dynamodbPort}`;
export const POSTGRES_URL = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The dev stack's PostgreSQL with `wal_level=logical`, for the CDC tests (logical replication). */
export const POSTGRES_CDC_URL =
  process.env.POSTGRES_CDC_URL ?? `postgres://postgres@127.0.0.1:${settings.pgLogicalPort}/test`;
/** The dev stack's S3Mock (S3 over plain HTTP; clients need `forcePathStyle: true`), for the S3 sink's tests. */
export const S3_ENDPOINT = process.env.S3_ENDPOINT ?? `http://127.0.0.1:${settings.s3Port}`;
/** The dev stack's OpenSearch 2.x (HTTP, no security plugin), for the Elasticsearch/OpenSearch sink's tests. */
export const OPENSEARCH_URL = process.env.OPENSEARCH_URL ?? `http://127.0.0.1:${settings.opensearchPort}`;
export const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'test' };

/** A name no other test (or earlier run) uses: `<prefix>-<8 hex>`; valid as a topic, table or connector name. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
