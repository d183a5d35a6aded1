import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ENV } from '../env.js';
import { DynamoConfigStore } from './dynamo-config-store.js';
import { DynamoLeaseStore } from './dynamo-lease-store.js';
import { DynamoOffsetStore } from './dynamo-offset-store.js';
import { DynamoStatusStore } from './dynamo-status-store.js';
import type { StateStore } from './ports.js';
import { DynamoRequests } from './requests.js';
import { TABLES, type TableKind } from './tables.js';

export type TableNames = Record<TableKind, string>;

export interface DynamoStateStoreOptions {
  client: DynamoDBClient;
  tables: TableNames;
  /** Epoch milliseconds. @default Date.now */
  clock?: () => number;
}

/**
 * The StateStore on DynamoDB. All four stores share one request counter.
 * @example
 * const store = dynamoStateStore({ client: createDynamoClient(), tables: tableNamesFromEnv() });
 * const before = store.requestCount().total;
 * await store.configs.listAll();
 * const cost = store.requestCount().total - before;
 */
export function dynamoStateStore(options: DynamoStateStoreOptions): StateStore {
  const requests = new DynamoRequests(options.client);
  const clock = options.clock ?? Date.now;
  const { configs, status, offsets } = options.tables;
  return {
    configs: new DynamoConfigStore({ requests, table: configs, clock }),
    status: new DynamoStatusStore({ requests, table: status, clock }),
    leases: new DynamoLeaseStore({ requests, table: status, clock }),
    offsets: new DynamoOffsetStore({ requests, table: offsets, statusTable: status }),
    requestCount: () => requests.count(),
  };
}

/** Table names from CONFIGS_TABLE / STATUS_TABLE / OFFSETS_TABLE, else the default names. */
export function tableNamesFromEnv(env: Record<string, string | undefined> = process.env): TableNames {
  return {
    configs: env[ENV.configsTable] || TABLES.configs.defaultName,
    status: env[ENV.statusTable] || TABLES.status.defaultName,
    offsets: env[ENV.offsetsTable] || TABLES.offsets.defaultName,
  };
}
