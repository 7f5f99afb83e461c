import type { Logger } from '@aws-lambda-powertools/logger';
import {
  DynamoDbActiveConnections,
  DynamoDbReconcileDueConnections,
  DynamoDbSyncTimes,
} from '../adapters/connection-store';
import type { SyncQueue } from '../adapters/sync-queue';
import { type Config, requireSetting } from '../config';
import { CONNECTIONS_RECONCILE_INDEX } from '../contract/tables';
import { createLogger } from '../observability/logger';
import { type AppMetrics, createMetrics } from '../observability/metrics';
import { type DispatchSyncs, dispatchSyncs } from '../use-cases/dispatch-syncs';
import { createDocumentClient } from './adapters/dynamodb';
import { createSyncQueue } from './adapters/sync-queue';
import { type AwsClients, awsClients } from './aws-clients';

/** Everything the sync dispatch handler uses. */
export interface SyncDispatchHandlerDeps {
  readonly dispatch: DispatchSyncs;
  readonly logger: Logger;
  /** Connections dispatched, and the stale ones among them. */
  readonly metrics?: AppMetrics;
}

export interface SyncDispatchOptions {
  /** Where the messages go instead of SQS: the local run's in-memory queue. */
  readonly queue?: SyncQueue;
}

/** The dispatch reads the status and reconcile-due indexes and sends to the queue: nothing else. */
export function createSyncDispatchAdapters(
  config: Config,
  options: SyncDispatchOptions = {},
  aws: AwsClients = awsClients('sync-dispatch'),
) {
  const client = createDocumentClient(config, aws);
  const tableName = requireSetting(config, 'connectionsTableName');
  return {
    connections: new DynamoDbActiveConnections({ client, tableName, indexName: config.connectionsStatusIndex }),
    reconcileDue: new DynamoDbReconcileDueConnections({
      client,
      tableName,
      indexName: CONNECTIONS_RECONCILE_INDEX.name,
    }),
    syncTimes: new DynamoDbSyncTimes({ client, tableName }),
    queue: options.queue ?? createSyncQueue(config, aws),
  };
}

/** Everything the dispatch uses, chosen from the configuration once per cold start. */
export function createSyncDispatchDeps(config: Config, options: SyncDispatchOptions = {}): SyncDispatchHandlerDeps {
  return {
    dispatch: dispatchSyncs({
      ...createSyncDispatchAdapters(config, options),
      scheduleMinutes: config.syncScheduleMinutes,
    }),
    logger: createLogger(config),
    metrics: createMetrics(config),
  };
}
