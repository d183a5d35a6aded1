import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

export interface DynamoOptions {
  /** Endpoint override for DynamoDB Local; unset on AWS. */
  endpoint?: string;
  region?: string;
}

/**
 * Builds the one DynamoDB client a process uses. Against a local endpoint it supplies dummy credentials
 * and a region, which DynamoDB Local requires but ignores.
 */
export function createDynamoClient(options: DynamoOptions = {}): DynamoDBClient {
  if (!options.endpoint) return new DynamoDBClient({ region: options.region });
  return new DynamoDBClient({
    endpoint: options.endpoint,
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
}

/** Resolves when the endpoint answers a real DynamoDB request; throws otherwise. */
export async function pingDynamo(endpoint: string): Promise<void> {
  const client = createDynamoClient({ endpoint });
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }));
  } finally {
    client.destroy();
  }
}
