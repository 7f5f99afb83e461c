import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CatalogSetupLease, Connection } from '../../core/connection';
import type { CatalogSetupStore, CatalogSyncStore, StoredCatalog } from './catalog-interface';
import { readConnection } from './dynamodb';

export interface DynamoDbCatalogStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** The app's catalog on the connection's item: item-level conditional updates only. */
export class DynamoDbCatalogStore implements CatalogSetupStore, CatalogSyncStore {
  readonly tableName: string;
  private readonly client: DynamoDBDocumentClient;

  constructor({ client, tableName }: DynamoDbCatalogStoreOptions) {
    this.client = client;
    this.tableName = tableName;
  }

  get(pimHost: string): Promise<Connection | undefined> {
    return readConnection(this.client, this.tableName, pimHost);
  }

  claimCatalogSetup(pimHost: string, lease: CatalogSetupLease, now: number): Promise<boolean> {
    return this.conditionally({
      Key: { pimHost },
      UpdateExpression: 'SET catalogSetup = :lease',
      ConditionExpression:
        'attribute_exists(pimHost) AND (attribute_not_exists(catalogSetup) OR catalogSetup.expiresAt < :now)',
      ExpressionAttributeValues: { ':lease': lease, ':now': now },
    });
  }

  saveCatalog(
    pimHost: string,
    catalog: StoredCatalog,
    { owner, recreatedAt }: { readonly owner: string; readonly recreatedAt?: string },
  ): Promise<boolean> {
    const recreated = recreatedAt === undefined ? '' : ', catalogRecreatedAt = :recreatedAt';
    return this.conditionally({
      Key: { pimHost },
      UpdateExpression:
        'SET catalogId = :id, catalogName = :name, catalogEnabled = :enabled, catalogCheckedAt = :checkedAt' +
        `${recreated} REMOVE catalogSetup`,
      ConditionExpression: 'catalogSetup.#owner = :owner',
      ExpressionAttributeNames: { '#owner': 'owner' },
      ExpressionAttributeValues: {
        ':id': catalog.id,
        ':name': catalog.name,
        ':enabled': catalog.enabled,
        ':checkedAt': catalog.checkedAt,
        ':owner': owner,
        ...(recreatedAt === undefined ? {} : { ':recreatedAt': recreatedAt }),
      },
    });
  }

  async releaseCatalogSetup(pimHost: string, owner: string): Promise<void> {
    await this.conditionally({
      Key: { pimHost },
      UpdateExpression: 'REMOVE catalogSetup',
      ConditionExpression: 'catalogSetup.#owner = :owner',
      ExpressionAttributeNames: { '#owner': 'owner' },
      ExpressionAttributeValues: { ':owner': owner },
    });
  }

  async noteCatalogSeen(pimHost: string, catalog: StoredCatalog): Promise<void> {
    await this.conditionally({
      Key: { pimHost },
      UpdateExpression: 'SET catalogName = :name, catalogEnabled = :enabled, catalogCheckedAt = :checkedAt',
      ConditionExpression: 'catalogId = :id',
      ExpressionAttributeValues: {
        ':id': catalog.id,
        ':name': catalog.name,
        ':enabled': catalog.enabled,
        ':checkedAt': catalog.checkedAt,
      },
    });
  }

  async markCatalogDisabled(
    pimHost: string,
    { catalogId, reason, at }: { readonly catalogId: string; readonly reason: string; readonly at: string },
  ): Promise<void> {
    await this.conditionally({
      Key: { pimHost },
      UpdateExpression:
        'SET syncStatus = :disabled, syncStatusReason = :reason, syncStatusChangedAt = :at, ' +
        'catalogEnabled = :false, catalogCheckedAt = :at REMOVE syncCheckpoint',
      ConditionExpression: '#status = :active AND catalogId = :id',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':disabled': 'catalog_disabled',
        ':reason': reason,
        ':at': at,
        ':false': false,
        ':active': 'active',
        ':id': catalogId,
      },
    });
  }

  async noteCatalogServing(
    pimHost: string,
    { catalogId, at }: { readonly catalogId: string; readonly at: string },
  ): Promise<void> {
    await this.conditionally({
      Key: { pimHost },
      UpdateExpression:
        'SET catalogEnabled = :true, catalogCheckedAt = :at REMOVE syncStatus, syncStatusReason, syncStatusChangedAt',
      ConditionExpression: 'catalogId = :id',
      ExpressionAttributeValues: { ':true': true, ':at': at, ':id': catalogId },
    });
  }

  /** One conditional update: whether its condition held. */
  private async conditionally(input: Omit<UpdateCommandInput, 'TableName'>): Promise<boolean> {
    try {
      await this.client.send(new UpdateCommand({ TableName: this.tableName, ...input }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
