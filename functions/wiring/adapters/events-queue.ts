import { SQSClient } from '@aws-sdk/client-sqs';
import { type ProductEventQueue, SqsProductEventQueue } from '../../adapters/events-queue';
import { type Config, requireSetting } from '../../config';
import type { AwsClients } from '../aws-clients';

/** The SQS FIFO events queue. The local run passes its in-memory queue instead, through the handlers' options. */
export function createProductEventQueue(config: Config, aws: AwsClients): ProductEventQueue {
  return new SqsProductEventQueue({
    client: aws.create(SQSClient),
    queueUrl: requireSetting(config, 'eventsQueueUrl'),
  });
}
