import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  BrowserMismatchError,
  ExpiredStateError,
  StateAlreadyUsedError,
  UnknownStateError,
  withPim,
} from '../../core/errors';
import { type AuthorizationState, sameDigest } from '../../core/state';
import type { StateStore } from './interface';

interface StoredState extends AuthorizationState {
  readonly consumedAt?: number;
}

export interface DynamoDbStateStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** States in DynamoDB, keyed by `stateHash`, removed by TTL on `expiresAt` (lazily: every read checks it too). */
export class DynamoDbStateStore implements StateStore {
  private readonly client: DynamoDBDocumentClient;
  readonly tableName: string;

  constructor({ client, tableName }: DynamoDbStateStoreOptions) {
    this.client = client;
    this.tableName = tableName;
  }

  async save(state: AuthorizationState): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...state, requestedScopes: [...state.requestedScopes] },
        ConditionExpression: 'attribute_not_exists(stateHash)',
      }),
    );
  }

  async consume(stateHash: string, browserBindingHash: string, now: number): Promise<AuthorizationState> {
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { stateHash },
          UpdateExpression: 'SET consumedAt = :now',
          ConditionExpression:
            'attribute_exists(stateHash) AND attribute_not_exists(consumedAt) AND expiresAt > :now AND browserBindingHash = :binding',
          ExpressionAttributeValues: { ':now': now, ':binding': browserBindingHash },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toAuthorizationState(result.Attributes as StoredState);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw await this.whyNotConsumable(stateHash, browserBindingHash, now);
      throw error;
    }
  }

  /** Only runs after a refused consume, to say why; it never changes anything. */
  private async whyNotConsumable(stateHash: string, browserBindingHash: string, now: number): Promise<Error> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { stateHash }, ConsistentRead: true }),
    );
    const stored = Item as StoredState | undefined;
    if (!stored) return new UnknownStateError('No such authorization state');
    if (!sameDigest(stored.browserBindingHash, browserBindingHash)) {
      return new BrowserMismatchError('The state was issued to another browser');
    }
    // Past the browser check, the page may name the PIM the state was for: it links back to it.
    const pim = { url: stored.pimUrl, host: stored.pimHost };
    if (stored.consumedAt !== undefined) return withPim(new StateAlreadyUsedError(stored.pimHost), pim);
    if (stored.expiresAt <= now) return withPim(new ExpiredStateError('The authorization state has expired'), pim);
    return new UnknownStateError('The authorization state could not be consumed');
  }
}

function toAuthorizationState(stored: StoredState): AuthorizationState {
  const { consumedAt: _consumedAt, ...state } = stored;
  return state;
}
