import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type KeySchemaElement,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { StoreError } from './errors.js';
import type { TableNames } from './state-store.js';
import { TABLES, type TableKind } from './tables.js';

/**
 * Creates the three state tables from `TABLES` (on-demand billing) where they are missing, and waits
 * until all are ACTIVE. For local mode and tests; on AWS the CDK construct owns the tables. Safe to
 * call concurrently: a table another process is creating is waited for, not created twice.
 */
export async function ensureTables(
  client: DynamoDBClient,
  names: TableNames,
  options: { timeoutMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  await Promise.all(
    (Object.keys(TABLES) as TableKind[]).map(async (kind) => {
      const TableName = names[kind];
      try {
        if ((await describe(client, TableName)) === undefined) await create(client, kind, TableName);
        while ((await describe(client, TableName)) !== 'ACTIVE') {
          if (Date.now() > deadline) throw new StoreError(`Table ${TableName} did not become ACTIVE`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      } catch (error) {
        if (error instanceof StoreError) throw error;
        throw new StoreError(`Could not ensure table ${TableName}: ${String(error)}`, { cause: error });
      }
    }),
  );
}

async function describe(client: DynamoDBClient, TableName: string): Promise<string | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName }));
    return Table?.TableStatus ?? 'CREATING';
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function create(client: DynamoDBClient, kind: TableKind, TableName: string): Promise<void> {
  const { partitionKey, sortKey } = TABLES[kind];
  const AttributeDefinitions: AttributeDefinition[] = [{ AttributeName: partitionKey, AttributeType: 'S' }];
  const KeySchema: KeySchemaElement[] = [{ AttributeName: partitionKey, KeyType: 'HASH' }];
  if (sortKey) {
    AttributeDefinitions.push({ AttributeName: sortKey, AttributeType: 'S' });
    KeySchema.push({ AttributeName: sortKey, KeyType: 'RANGE' });
  }
  try {
    await client.send(
      new CreateTableCommand({ TableName, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions, KeySchema }),
    );
  } catch (error) {
    // Someone else created it between our describe and create: wait for theirs.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}
