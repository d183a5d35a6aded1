import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Where the dev stack keeps its jars, data and logs, and which loopback ports it uses. */
export interface StackSettings {
  /** Downloaded jars, shared by every checkout: `$SC_CACHE_DIR` or `~/.cache/serverless-connect`. */
  cacheDir: string;
  /**
   * Kafka log dirs, DynamoDB Local's database, PostgreSQL's cluster, S3Mock's objects, OpenSearch's
   * indices, pid files and logs: `$SC_DATA_DIR` or `<repo>/.data`.
   */
  dataDir: string;
  kafkaPort: number;
  kafkaControllerPort: number;
  dynamodbPort: number;
  /** The PostgreSQL cluster with `wal_level=logical` the CDC tests use: `$PG_LOGICAL_PORT` or 5433. */
  pgLogicalPort: number;
  /** `$PG_BIN_DIR`, PostgreSQL's `bin` directory; undefined: the highest `/usr/lib/postgresql/<version>/bin`. */
  pgBinDir: string | undefined;
  /** S3Mock's S3 API (plain HTTP), for the S3 sink's tests: `$S3_PORT` or 9090. */
  s3Port: number;
  /** OpenSearch's REST API, for the Elasticsearch/OpenSearch sink's tests: `$OPENSEARCH_PORT` or 9200. */
  opensearchPort: number;
  /** OpenSearch's transport (node-to-node) port, also on loopback: `$OPENSEARCH_TRANSPORT_PORT` or 9300. */
  opensearchTransportPort: number;
  /** The pom that lists the artifacts to fetch. */
  pom: string;
}

export function stackSettings(env: NodeJS.ProcessEnv = process.env): StackSettings {
  return {
    cacheDir: env.SC_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'serverless-connect'),
    dataDir: resolve(env.SC_DATA_DIR ?? join(repoRoot, '.data')),
    kafkaPort: port(env.KAFKA_PORT, 9092),
    kafkaControllerPort: port(env.KAFKA_CONTROLLER_PORT, 9093),
    dynamodbPort: port(env.DYNAMODB_PORT, 8000),
    pgLogicalPort: port(env.PG_LOGICAL_PORT, 5433),
    pgBinDir: env.PG_BIN_DIR || undefined,
    s3Port: port(env.S3_PORT, 9090),
    opensearchPort: port(env.OPENSEARCH_PORT, 9200),
    opensearchTransportPort: port(env.OPENSEARCH_TRANSPORT_PORT, 9300),
    pom: join(repoRoot, 'local', 'stack', 'pom.xml'),
  };
}

function port(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new StackError(`invalid port '${value}': use 1-65535`);
  return n;
}

/** A dev-stack failure with a one-line message that says what to do. */
export class StackError extends Error {
  override name = 'StackError';
}
