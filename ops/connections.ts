import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient, type DynamoDBClientConfig, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbConnectionStore } from '../functions/adapters/connection-store';
import { requireSetting } from '../functions/config';
import type { Connection } from '../functions/core/connection';
import { type LocalDynamoDb, localDynamoDbClientConfig } from '../functions/wiring/local-dynamodb';
import { DataDirInUseError } from '../local/data-dir-lock';
import { runningEmbeddedDynamoDb, withLocalDynamoDb } from '../local/embedded-dynamodb';
import { OperationFailedError, UsageError } from './errors';
import type { AwsTarget, LocalTarget, Target } from './target';

/** Every stored connection of the target, read from its Connections table. */
export async function listConnections(target: Target): Promise<Connection[]> {
  return target.kind === 'local' ? listLocalConnections(target) : listAwsConnections(target);
}

/**
 * DYNAMODB_ENDPOINT if set; else the embedded DynamoDB of a running `npm start`, which holds a lock on its files;
 * else those files, opened just for this command. No files yet means nothing ever connected.
 */
async function listLocalConnections({ config }: LocalTarget): Promise<Connection[]> {
  const running = config.dynamodbEndpoint ?? runningEmbeddedDynamoDb(config.dataDir);
  if (!running && !existsSync(join(config.dataDir, 'dynamodb'))) return [];
  const tableName = requireSetting(config, 'connectionsTableName');
  try {
    return await withLocalDynamoDb(config.dataDir, config.dynamodbEndpoint, 'npm run pim', (database) =>
      scanLocal(tableName, database),
    );
  } catch (error) {
    if (error instanceof DataDirInUseError) throw new OperationFailedError(error.message, { cause: error });
    throw error;
  }
}

async function scanLocal(tableName: string, database: LocalDynamoDb): Promise<Connection[]> {
  try {
    return await scan(tableName, localDynamoDbClientConfig(database));
  } catch (error) {
    // The app creates its tables when it starts: no table, no connection yet.
    if (error instanceof ResourceNotFoundException) return [];
    throw error;
  }
}

async function listAwsConnections(target: AwsTarget): Promise<Connection[]> {
  const tableName = target.connectionsTableName;
  if (!tableName) {
    throw new UsageError(
      'Name the Connections table: --connections-table <name>, CONNECTIONS_TABLE_NAME or --stack <name>',
    );
  }
  try {
    return await scan(tableName, { region: target.region });
  } catch (error) {
    if (error instanceof ResourceNotFoundException) {
      throw new OperationFailedError(
        `No table ${tableName} in ${target.region}: check --connections-table and --region`,
        { cause: error },
      );
    }
    throw error;
  }
}

async function scan(tableName: string, clientConfig: DynamoDBClientConfig): Promise<Connection[]> {
  // Our own client, destroyed after use: a document client's `destroy()` leaves the sockets of the one it wraps open.
  const client = new DynamoDBClient(clientConfig);
  try {
    return await new DynamoDbConnectionStore({ client: DynamoDBDocumentClient.from(client), tableName }).list();
  } finally {
    client.destroy();
  }
}
