import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  deduplicationIdOf,
  encodeProductEventMessage,
  type ProductEventMessageBody,
} from '../../contract/product-event-message';
import type { ProductEventQueue } from './interface';

export interface SqsProductEventQueueOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
}

/** The SQS FIFO events queue: message group = PIM host, deduplication id = the event id (hashed past SQS's limit). */
export class SqsProductEventQueue implements ProductEventQueue {
  readonly queueUrl: string;
  private readonly client: SQSClient;

  constructor({ client, queueUrl }: SqsProductEventQueueOptions) {
    this.client = client;
    this.queueUrl = queueUrl;
  }

  async send(message: ProductEventMessageBody): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: encodeProductEventMessage(message),
        MessageGroupId: message.pimHost,
        MessageDeduplicationId: deduplicationIdOf(message.eventId),
      }),
    );
  }
}
