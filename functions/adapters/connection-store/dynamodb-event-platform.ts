import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Connection } from '../../core/connection';
import { readConnection } from './dynamodb';
import type { EventPlatformStateStore, SubscriptionChange } from './event-platform-interface';

export interface DynamoDbEventPlatformStateOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** Only the stored subscription, and never one already revoked: a late or repeated notification changes nothing. */
const STORED_SUBSCRIPTION = 'eventPlatform.subscriptionId = :subscriptionId AND eventPlatform.#state <> :revoked';

/** The Connections table as the Event Platform's webhooks use it: item reads and conditional subscription writes. */
export class DynamoDbEventPlatformStateStore implements EventPlatformStateStore {
  readonly tableName: string;
  private readonly client: DynamoDBDocumentClient;

  constructor({ client, tableName }: DynamoDbEventPlatformStateOptions) {
    this.client = client;
    this.tableName = tableName;
  }

  get(pimHost: string): Promise<Connection | undefined> {
    return readConnection(this.client, this.tableName, pimHost);
  }

  offboard(pimHost: string, change: SubscriptionChange): Promise<boolean> {
    return this.update({
      TableName: this.tableName,
      Key: { pimHost },
      UpdateExpression:
        'SET #status = :revoked, statusReason = :reason, statusChangedAt = :at, updatedAt = :at, ' +
        'eventPlatform.#state = :revoked, eventPlatform.reason = :reason, eventPlatform.changedAt = :at ' +
        'REMOVE encryptedToken, syncCheckpoint',
      ConditionExpression: STORED_SUBSCRIPTION,
      ExpressionAttributeNames: { '#status': 'status', '#state': 'state' },
      ExpressionAttributeValues: {
        ':revoked': 'revoked',
        ':reason': change.reason,
        ':at': change.at,
        ':subscriptionId': change.subscriptionId,
      },
    });
  }

  setSubscriptionState(
    pimHost: string,
    change: SubscriptionChange & { readonly state: 'active' | 'suspended' },
  ): Promise<boolean> {
    const reason = change.state === 'suspended' ? 'eventPlatform.reason = :reason' : undefined;
    return this.update({
      TableName: this.tableName,
      Key: { pimHost },
      UpdateExpression:
        `SET eventPlatform.#state = :state, eventPlatform.changedAt = :at${reason ? `, ${reason}` : ''}` +
        (reason ? '' : ' REMOVE eventPlatform.reason'),
      ConditionExpression: STORED_SUBSCRIPTION,
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':state': change.state,
        ':at': change.at,
        ':subscriptionId': change.subscriptionId,
        ':revoked': 'revoked',
        ...(reason ? { ':reason': change.reason } : {}),
      },
    });
  }

  private async update(input: UpdateCommandInput): Promise<boolean> {
    try {
      await this.client.send(new UpdateCommand(input));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
