import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { encodeSyncMessage } from '../../contract/sync-message';
import { ConcurrencyLimit } from '../../core/concurrency-limit';
import type { SyncMessage, SyncQueue } from './interface';

export const SQS_BATCH_SIZE = 10;
/** Batches in flight at once: a dispatch of thousands of PIMs is bound by round trips, not by SQS. */
const PARALLEL_BATCHES = 8;
const MAX_ATTEMPTS = 3;

export interface SqsSyncQueueOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
}

/** The SQS FIFO queue: message group = PIM host, so one sync per PIM runs at a time across all workers. */
export class SqsSyncQueue implements SyncQueue {
  readonly queueUrl: string;
  private readonly client: SQSClient;

  constructor({ client, queueUrl }: SqsSyncQueueOptions) {
    this.client = client;
    this.queueUrl = queueUrl;
  }

  async send(messages: readonly SyncMessage[]): Promise<number> {
    const batches: SyncMessage[][] = [];
    for (let start = 0; start < messages.length; start += SQS_BATCH_SIZE) {
      batches.push(messages.slice(start, start + SQS_BATCH_SIZE));
    }
    const limit = new ConcurrencyLimit(PARALLEL_BATCHES);
    const calls = await Promise.all(batches.map((batch) => limit.run(() => this.sendBatch(batch))));
    return calls.reduce((sum, count) => sum + count, 0);
  }

  /** A batch can fail in part: the failed entries are sent again, a bounded number of times. */
  private async sendBatch(batch: readonly SyncMessage[]): Promise<number> {
    let pending = batch;
    for (let attempt = 1; ; attempt += 1) {
      const { Failed = [] } = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: pending.map((message, index) => ({
            Id: String(index),
            MessageBody: encodeSyncMessage(message),
            MessageGroupId: message.pimHost,
            MessageDeduplicationId: message.deduplicationId,
          })),
        }),
      );
      if (Failed.length === 0) return attempt;
      const failedIds = new Set(Failed.map((entry) => entry.Id));
      pending = pending.filter((_message, index) => failedIds.has(String(index)));
      if (attempt === MAX_ATTEMPTS) {
        throw new Error(`SQS refused ${pending.length} sync message(s): ${Failed[0]?.Code ?? 'unknown'}`);
      }
    }
  }
}
