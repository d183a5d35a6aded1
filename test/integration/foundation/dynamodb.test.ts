import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteTableCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../../lib/store/dynamo-client.js';
import { DYNAMODB_ENDPOINT, uniqueName } from '../../support/services.js';

describe('the dev stack DynamoDB Local', () => {
  it('rejects a conditional write whose condition does not hold', async () => {
    // Prepare
    const client = createDynamoClient({ endpoint: DYNAMODB_ENDPOINT });
    const TableName = uniqueName('cond');
    await client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    const createOnce = () =>
      client.send(
        new PutItemCommand({
          TableName,
          Item: { pk: { S: 'connector-a' } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    try {
      // Act
      await createOnce();
      const second = createOnce();
      // Assess
      await expect(second).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    } finally {
      await client.send(new DeleteTableCommand({ TableName }));
      client.destroy();
    }
  });
});
