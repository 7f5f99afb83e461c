import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDbActiveConnections } from '../adapters/connection-store';
import { SqsSyncQueue, type SyncQueue } from '../adapters/sync-queue';
import { type Config, requireSetting } from '../config';
import { dispatchSyncs } from '../use-cases/dispatch-syncs';
import { type AwsCallingFunction, awsClientOptions } from './aws-client-options';
import { createDocumentClient } from './shared';

export function createSyncQueue(config: Config, caller?: AwsCallingFunction): SyncQueue {
  return new SqsSyncQueue({
    client: new SQSClient(awsClientOptions(caller)),
    queueUrl: requireSetting(config, 'syncQueueUrl'),
  });
}

/** The dispatch reads the status index and sends to the queue: nothing else. */
export function createDispatchAdapters(config: Config, overrides: { readonly queue?: SyncQueue } = {}) {
  return {
    connections: new DynamoDbActiveConnections({
      client: createDocumentClient(config, 'sync-dispatch'),
      tableName: requireSetting(config, 'connectionsTableName'),
      indexName: config.connectionsStatusIndex,
    }),
    queue: overrides.queue ?? createSyncQueue(config, 'sync-dispatch'),
  };
}

export function createDispatch(config: Config, overrides: { readonly queue?: SyncQueue } = {}) {
  return dispatchSyncs({ ...createDispatchAdapters(config, overrides), scheduleMinutes: config.syncScheduleMinutes });
}
