import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { type Config, requireSetting } from '../functions/config';
import { localDynamoDbClientConfig } from '../functions/wiring/local-dynamodb';

/** The tables the stack creates, created locally when missing: same names, same keys. */
export async function ensureTables(client: DynamoDBClient, config: Config): Promise<void> {
  await ensureTable(client, requireSetting(config, 'statesTableName'), 'stateHash');
  await ensureTable(client, requireSetting(config, 'connectionsTableName'), 'pimHost', config.connectionsStatusIndex);
}

async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  partitionKey: string,
  statusIndex?: string,
): Promise<void> {
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
      AttributeDefinitions: [
        { AttributeName: partitionKey, AttributeType: 'S' },
        ...(statusIndex ? [{ AttributeName: 'status', AttributeType: 'S' as const }] : []),
      ],
      KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }],
      ...(statusIndex
        ? {
            GlobalSecondaryIndexes: [
              {
                IndexName: statusIndex,
                KeySchema: [
                  { AttributeName: 'status', KeyType: 'HASH' as const },
                  { AttributeName: partitionKey, KeyType: 'RANGE' as const },
                ],
                Projection: { ProjectionType: 'KEYS_ONLY' as const },
              },
            ],
          }
        : {}),
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
}

/** The tables on a local endpoint (embedded or DynamoDB Local). */
export async function ensureLocalTables(config: Config): Promise<void> {
  const client = new DynamoDBClient(
    localDynamoDbClientConfig({
      endpoint: requireSetting(config, 'dynamodbEndpoint'),
      accessKeyId: config.dynamodbAccessKeyId,
    }),
  );
  try {
    await ensureTables(client, config);
  } finally {
    client.destroy();
  }
}
