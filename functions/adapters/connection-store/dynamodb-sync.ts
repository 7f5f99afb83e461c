import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, paginateQuery, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ScopesNotice, SyncCheckpoint, SyncFailure } from '../../core/connection';
import { type DynamoDbConnectionAccessOptions, DynamoDbConnectionAccessStore } from './dynamodb-access';
import { ConnectionChangedError } from './errors';
import type { ScopesNoticeStore, SyncHealthStore } from './health-interface';
import type { ActiveConnections, CompletedRun, SyncStateStore } from './sync-interface';

export type DynamoDbSyncStoreOptions = DynamoDbConnectionAccessOptions;

/** The sync worker's store: the entry point's reads and status writes, and the run's checkpoint and completion. */
export class DynamoDbSyncStateStore
  extends DynamoDbConnectionAccessStore
  implements SyncStateStore, SyncHealthStore, ScopesNoticeStore
{
  async claimScopesNotice(pimHost: string, notice: ScopesNotice): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pimHost },
          UpdateExpression: 'SET scopesNotice = :notice',
          ConditionExpression:
            'attribute_exists(pimHost) AND (attribute_not_exists(scopesNotice) OR scopesNotice.setHash <> :setHash)',
          ExpressionAttributeValues: { ':notice': notice, ':setHash': notice.setHash },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async releaseScopesNotice(pimHost: string, setHash: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pimHost },
          UpdateExpression: 'REMOVE scopesNotice',
          ConditionExpression: 'scopesNotice.setHash = :setHash',
          ExpressionAttributeValues: { ':setHash': setHash },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async recordFailure(pimHost: string, failure: SyncFailure): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pimHost },
          UpdateExpression: 'SET lastFailure = :failure ADD consecutiveFailures :one',
          ConditionExpression: 'attribute_exists(pimHost)',
          ExpressionAttributeValues: { ':failure': failure, ':one': 1 },
        }),
      );
    } catch (error) {
      // No connection (removed meanwhile): nothing to keep the failure on.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async saveCheckpoint(pimHost: string, checkpoint: SyncCheckpoint): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pimHost },
          UpdateExpression: 'SET syncCheckpoint = :checkpoint',
          ConditionExpression: '#status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':checkpoint': checkpoint, ':active': 'active' },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConnectionChangedError(pimHost);
      throw error;
    }
  }

  async completeRun(pimHost: string, run: CompletedRun): Promise<void> {
    const event = run.event === undefined ? '' : ', pendingRunEvent = :event';
    const duration = run.durationMs === undefined ? '' : ', lastSyncDurationMs = :durationMs';
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pimHost },
        UpdateExpression: `SET syncCursor = :cursor, lastSyncAt = :completedAt, lastSyncRunId = :runId, lastSyncProductCount = :count, consecutiveFailures = :noFailure${duration}${event} REMOVE syncCheckpoint`,
        ConditionExpression: 'attribute_exists(pimHost)',
        ExpressionAttributeValues: {
          ':cursor': run.cursor,
          ':completedAt': run.completedAt,
          ':runId': run.runId,
          ':count': run.productCount,
          ':noFailure': 0,
          ...(run.durationMs === undefined ? {} : { ':durationMs': run.durationMs }),
          ...(run.event === undefined ? {} : { ':event': run.event }),
        },
      }),
    );
  }

  async clearRunEvent(pimHost: string, runId: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pimHost },
          UpdateExpression: 'REMOVE pendingRunEvent',
          ConditionExpression: 'pendingRunEvent.runId = :runId',
          ExpressionAttributeValues: { ':runId': runId },
        }),
      );
    } catch (error) {
      // Already forgotten (a repeated step), or another run's event waits by now: that one stays.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

export interface DynamoDbActiveConnectionsOptions extends DynamoDbSyncStoreOptions {
  /** A GSI with partition key `status` and sort key `pimHost`, keys only. */
  readonly indexName: string;
}

/** Active connections through the status index: one Query page per 1 MB of index, never a table scan. */
export class DynamoDbActiveConnections implements ActiveConnections {
  readonly tableName: string;
  readonly indexName: string;
  private readonly client: DynamoDBDocumentClient;

  constructor({ client, tableName, indexName }: DynamoDbActiveConnectionsOptions) {
    this.client = client;
    this.tableName = tableName;
    this.indexName = indexName;
  }

  async *pages(): AsyncIterable<readonly string[]> {
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        IndexName: this.indexName,
        KeyConditionExpression: '#status = :active',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':active': 'active' },
      },
    );
    for await (const page of pages) {
      yield (page.Items ?? []).map((item) => String(item.pimHost));
    }
  }
}
