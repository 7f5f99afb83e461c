import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, paginateScan, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { EventPlatformSubscription } from '../../contract/event-platform';
import type { Connection, ConnectionAuthorization } from '../../core/connection';
import type { ConnectionStore } from './interface';

export interface DynamoDbConnectionStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** One connection by its PIM host, read consistently: the callback and the sync both act on what they read. */
export async function readConnection(
  client: DynamoDBDocumentClient,
  tableName: string,
  pimHost: string,
): Promise<Connection | undefined> {
  const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: { pimHost }, ConsistentRead: true }));
  return Item as Connection | undefined;
}

export class DynamoDbConnectionStore implements ConnectionStore {
  private readonly client: DynamoDBDocumentClient;
  readonly tableName: string;

  constructor({ client, tableName }: DynamoDbConnectionStoreOptions) {
    this.client = client;
    this.tableName = tableName;
  }

  get(pimHost: string): Promise<Connection | undefined> {
    return readConnection(this.client, this.tableName, pimHost);
  }

  async saveAuthorization(authorization: ConnectionAuthorization): Promise<Connection> {
    const set = [
      'pimUrl = :pimUrl',
      '#status = :active',
      'encryptedToken = :encryptedToken',
      'tokenVersion = :tokenVersion',
      'scopes = :scopes',
      'connectedAt = :connectedAt',
      'updatedAt = :connectedAt',
      'firstConnectedAt = if_not_exists(firstConnectedAt, :connectedAt)',
      'lastStateHash = :stateHash',
    ];
    const remove = ['statusReason', 'statusChangedAt'];
    const values: Record<string, unknown> = {
      ':pimUrl': authorization.pimUrl,
      ':active': 'active',
      ':encryptedToken': authorization.encryptedToken,
      ':tokenVersion': authorization.tokenVersion,
      ':scopes': [...authorization.scopes],
      ':connectedAt': authorization.connectedAt,
      ':stateHash': authorization.stateHash,
    };
    if (authorization.connectedBy) {
      set.push('connectedBy = :connectedBy');
      values[':connectedBy'] = authorization.connectedBy;
    } else {
      remove.push('connectedBy');
    }
    // The item as this write left it, sync fields included: the connected page needs no second (possibly stale) read.
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pimHost: authorization.pimHost },
        UpdateExpression: `SET ${set.join(', ')} REMOVE ${remove.join(', ')}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes as Connection;
  }

  async saveEventPlatform(
    pimHost: string,
    tokenVersion: string,
    eventPlatform: EventPlatformSubscription,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pimHost },
          UpdateExpression: 'SET eventPlatform = :eventPlatform',
          ConditionExpression: 'tokenVersion = :tokenVersion AND #status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':eventPlatform': { ...eventPlatform },
            ':tokenVersion': tokenVersion,
            ':active': 'active',
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async list(): Promise<Connection[]> {
    const connections: Connection[] = [];
    for await (const page of paginateScan({ client: this.client }, { TableName: this.tableName })) {
      connections.push(...((page.Items ?? []) as Connection[]));
    }
    return connections.sort((a, b) => a.pimHost.localeCompare(b.pimHost));
  }
}
