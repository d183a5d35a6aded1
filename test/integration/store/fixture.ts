import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTables } from '../../../lib/store/create-tables.js';
import { createDynamoClient } from '../../../lib/store/dynamo-client.js';
import type { StateStore } from '../../../lib/store/ports.js';
import { dynamoStateStore, type TableNames } from '../../../lib/store/state-store.js';
import { DYNAMODB_ENDPOINT, uniqueName } from '../../support/services.js';

/** Fresh tables for one test file on DynamoDB Local, and a store over them with a settable clock. */
export interface StoreFixture {
  client: DynamoDBClient;
  tables: TableNames;
  store: StateStore;
  /** Epoch ms the store's clock returns; tests move it. */
  clock: { now: number };
  /** Another store on the same tables (another Lambda, another runner), with its own request count. */
  another(): StateStore;
  dispose(): Promise<void>;
}

export async function storeFixture(prefix: string): Promise<StoreFixture> {
  const client = createDynamoClient({ endpoint: DYNAMODB_ENDPOINT });
  const tables: TableNames = {
    configs: uniqueName(`${prefix}-configs`),
    status: uniqueName(`${prefix}-status`),
    offsets: uniqueName(`${prefix}-offsets`),
  };
  await ensureTables(client, tables);
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  const another = () => dynamoStateStore({ client, tables, clock: () => clock.now });
  return {
    client,
    tables,
    store: another(),
    clock,
    another,
    async dispose() {
      await Promise.all(
        Object.values(tables).map((TableName) => client.send(new DeleteTableCommand({ TableName }))),
      );
      client.destroy();
    },
  };
}
