export { ensureTables } from './create-tables.js';
export { createDynamoClient, type DynamoOptions } from './dynamo-client.js';
export { ConflictError, FencedError, MissingError, StoreError } from './errors.js';
export type * from './ports.js';
export type { RequestCount } from './requests.js';
export {
  type DynamoStateStoreOptions,
  dynamoStateStore,
  type TableNames,
  tableNamesFromEnv,
} from './state-store.js';
export { CONNECTOR_STATUS_ID, TABLES, type TableKind, taskStatusId } from './tables.js';
