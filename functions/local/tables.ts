import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { type Config, requireSetting } from '../config';

/** The tables the stack creates, created locally when missing: same names, same keys. */
export async function ensureTables(client: DynamoDBClient, config: Config): Promise<void> {
  await ensureTable(client, requireSetting(config, 'statesTableName'), 'stateHash');
  await ensureTable(client, requireSetting(config, 'connectionsTableName'), 'pimHost');
}

async function ensureTable(client: DynamoDBClient, tableName: string, partitionKey: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: partitionKey, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }],
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
}
