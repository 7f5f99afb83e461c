import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, paginateQuery, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ScopesNotice, SyncCheckpoint, SyncFailure } from '../../core/connection';
import type { ReconcileCheckpoint } from '../../core/reconciliation';
import { type DynamoDbConnectionAccessOptions, DynamoDbConnectionAccessStore } from './dynamodb-access';
import { ConnectionChangedError } from './errors';
import type { ScopesNoticeStore, SyncHealthStore } from './health-interface';
import type {
  ActiveConnections,
  CompletedReconciliation,
  CompletedRun,
  ReconcileDueConnections,
  ReconcileStateStore,
  SyncStateStore,
} from './sync-interface';

export type DynamoDbSyncStoreOptions = DynamoDbConnectionAccessOptions;

/**
 * The sync worker's store: the entry point's reads and status writes, the checkpoint and completion of a sync run or
 * a reconciliation pass, and the run's health.
 */
export class DynamoDbSyncStateStore
  extends DynamoDbConnectionAccessStore
  implements SyncStateStore, ReconcileStateStore, SyncHealthStore, ScopesNoticeStore
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

  saveCheckpoint(pimHost: string, checkpoint: SyncCheckpoint): Promise<void> {
    return this.setWhileActive(pimHost, 'syncCheckpoint', checkpoint);
  }

  saveReconcileCheckpoint(pimHost: string, checkpoint: ReconcileCheckpoint): Promise<void> {
    return this.setWhileActive(pimHost, 'reconcileCheckpoint', checkpoint);
  }

  private async setWhileActive(
    pimHost: string,
    attribute: 'syncCheckpoint' | 'reconcileCheckpoint',
    checkpoint: SyncCheckpoint | ReconcileCheckpoint,
  ): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pimHost },
          UpdateExpression: `SET ${attribute} = :checkpoint`,
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
    const source = run.cursorSource === undefined ? '' : ', syncCursorSource = :source';
    const duration = run.durationMs === undefined ? '' : ', lastSyncDurationMs = :durationMs';
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pimHost },
        UpdateExpression: `SET syncCursor = :cursor, lastSyncAt = :completedAt, lastSyncRunId = :runId, lastSyncProductCount = :count, reconcileDueAt = if_not_exists(reconcileDueAt, :completedAt), consecutiveFailures = :noFailure${duration}${event}${source} REMOVE syncCheckpoint`,
        ConditionExpression: 'attribute_exists(pimHost)',
        ExpressionAttributeValues: {
          ':cursor': run.cursor,
          ':completedAt': run.completedAt,
          ':runId': run.runId,
          ':count': run.productCount,
          ':noFailure': 0,
          ...(run.durationMs === undefined ? {} : { ':durationMs': run.durationMs }),
          ...(run.event === undefined ? {} : { ':event': run.event }),
          ...(run.cursorSource === undefined ? {} : { ':source': run.cursorSource }),
        },
      }),
    );
  }

  async completeReconciliation(pimHost: string, pass: CompletedReconciliation): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pimHost },
        UpdateExpression:
          'SET lastReconciliation = :snapshot, reconcileDueAt = :dueAt, pendingReconciliationEvent = :event ' +
          'REMOVE reconcileCheckpoint',
        ConditionExpression: 'attribute_exists(pimHost)',
        ExpressionAttributeValues: { ':snapshot': pass.snapshot, ':dueAt': pass.dueAt, ':event': pass.event },
      }),
    );
  }

  clearRunEvent(pimHost: string, runId: string): Promise<void> {
    return this.clearEvent(pimHost, 'pendingRunEvent', runId);
  }

  clearReconciliationEvent(pimHost: string, runId: string): Promise<void> {
    return this.clearEvent(pimHost, 'pendingReconciliationEvent', runId);
  }

  private async clearEvent(
    pimHost: string,
    attribute: 'pendingRunEvent' | 'pendingReconciliationEvent',
    runId: string,
  ): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pimHost },
          UpdateExpression: `REMOVE ${attribute}`,
          ConditionExpression: `${attribute}.runId = :runId`,
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

export interface DynamoDbReconcileDueOptions extends DynamoDbSyncStoreOptions {
  /** A GSI with partition key `status` and sort key `reconcileDueAt`, keys only (`CONNECTIONS_RECONCILE_INDEX`). */
  readonly indexName: string;
}

/** Active connections due for a reconciliation pass, through the sparse due-time index: never a table scan. */
export class DynamoDbReconcileDueConnections implements ReconcileDueConnections {
  readonly tableName: string;
  readonly indexName: string;
  private readonly client: DynamoDBDocumentClient;

  constructor({ client, tableName, indexName }: DynamoDbReconcileDueOptions) {
    this.client = client;
    this.tableName = tableName;
    this.indexName = indexName;
  }

  async *duePages(now: Date): AsyncIterable<ReadonlyArray<{ pimHost: string; reconcileDueAt: string }>> {
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        IndexName: this.indexName,
        KeyConditionExpression: '#status = :active AND reconcileDueAt <= :now',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':active': 'active', ':now': now.toISOString() },
      },
    );
    for await (const page of pages) {
      yield (page.Items ?? []).map((item) => ({
        pimHost: String(item.pimHost),
        reconcileDueAt: String(item.reconcileDueAt),
      }));
    }
  }
}
