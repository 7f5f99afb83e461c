import { SQSClient } from '@aws-sdk/client-sqs';
import { SqsSyncQueue, type SyncQueue } from '../../adapters/sync-queue';
import { type Config, requireSetting } from '../../config';
import type { AwsClients } from '../aws-clients';

/** The SQS FIFO queue. The local run passes its in-memory queue instead, through the handlers' options. */
export function createSyncQueue(config: Config, aws: AwsClients): SyncQueue {
  return new SqsSyncQueue({ client: aws.create(SQSClient), queueUrl: requireSetting(config, 'syncQueueUrl') });
}
