import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { type Config, requireSetting } from '../functions/config';
import {
  CALL_SLOTS_TABLE,
  CONNECTIONS_TABLE,
  keyAttributes,
  STATES_TABLE,
  type TableDefinition,
} from '../functions/contract/tables';
import { localDynamoDbClientConfig } from '../functions/wiring/local-dynamodb';

/** The tables the stack creates, created locally when missing: the same definitions, under the configured names. */
export async function ensureTables(client: DynamoDBClient, config: Config): Promise<void> {
  await ensureTable(client, createTableInput(requireSetting(config, 'statesTableName'), STATES_TABLE));
  await ensureTable(client, createTableInput(requireSetting(config, 'connectionsTableName'), CONNECTIONS_TABLE));
  await ensureTable(client, createTableInput(requireSetting(config, 'callSlotsTableName'), CALL_SLOTS_TABLE));
}

/**
 * A contract table as a CreateTable request. The time to live is left out: the embedded database cannot set one,
 * and every read treats an expired item as absent anyway.
 */
export function createTableInput(tableName: string, table: TableDefinition): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: keyAttributes(table).map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: table.partitionKey, KeyType: 'HASH' },
      ...(table.sortKey ? [{ AttributeName: table.sortKey, KeyType: 'RANGE' as const }] : []),
    ],
    ...(table.indexes.length > 0
      ? {
          GlobalSecondaryIndexes: table.indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              ...(index.sortKey ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' as const }] : []),
            ],
            Projection: { ProjectionType: index.projection },
          })),
        }
      : {}),
  };
}

async function ensureTable(client: DynamoDBClient, input: CreateTableCommandInput): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: input.TableName }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  try {
    await client.send(new CreateTableCommand(input));
  } catch (error) {
    // Another tool on the same database (or another test suite on DynamoDB Local) is creating it right now.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: input.TableName });
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
