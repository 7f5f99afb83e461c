import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDbActiveConnections } from '../adapters/connection-store';
import { SqsSyncQueue, type SyncQueue } from '../adapters/sync-queue';
import { type Config, requireSetting } from '../config';
import { dispatchSyncs } from '../use-cases/dispatch-syncs';
import { createDocumentClient } from './shared';

export function createSyncQueue(config: Config): SyncQueue {
  return new SqsSyncQueue({ client: new SQSClient({}), queueUrl: requireSetting(config, 'syncQueueUrl') });
}

/** The dispatch reads the status index and sends to the queue: nothing else. */
export function createDispatchAdapters(config: Config, overrides: { readonly queue?: SyncQueue } = {}) {
  return {
    connections: new DynamoDbActiveConnections({
      client: createDocumentClient(config),
      tableName: requireSetting(config, 'connectionsTableName'),
      indexName: config.connectionsStatusIndex,
    }),
    queue: overrides.queue ?? createSyncQueue(config),
  };
}

export function createDispatch(config: Config, overrides: { readonly queue?: SyncQueue } = {}) {
  return dispatchSyncs({ ...createDispatchAdapters(config, overrides), scheduleMinutes: config.syncScheduleMinutes });
}
