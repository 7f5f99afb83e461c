import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Connection } from '../../core/connection';
import type { ConnectionAccessStore, InactiveChange } from './access-interface';
import { readConnection } from './dynamodb';

export interface DynamoDbConnectionAccessOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** The Connections table as any function that calls a PIM uses it: item-level reads and conditional status writes. */
export class DynamoDbConnectionAccessStore implements ConnectionAccessStore {
  readonly tableName: string;
  protected readonly client: DynamoDBDocumentClient;

  constructor({ client, tableName }: DynamoDbConnectionAccessOptions) {
    this.client = client;
    this.tableName = tableName;
  }

  get(pimHost: string): Promise<Connection | undefined> {
    return readConnection(this.client, this.tableName, pimHost);
  }

  async markInactive(pimHost: string, change: InactiveChange): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pimHost },
          // A 401 means the PIM no longer honours the token (the app was removed, or a reconnect replaced it): it is
          // deleted, with the data key its ciphertext holds. A new token only ever comes from a callback.
          UpdateExpression: `SET #status = :status, statusReason = :reason, statusChangedAt = :at REMOVE syncCheckpoint${
            change.status === 'revoked' ? ', encryptedToken' : ''
          }`,
          ConditionExpression: 'tokenVersion = :tokenVersion AND #status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': change.status,
            ':reason': change.reason,
            ':at': change.at,
            ':tokenVersion': change.tokenVersion,
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
}
