import { createHash, randomUUID } from 'node:crypto';
import { type AwsOperation, AwsServiceError, startAwsJsonService } from './aws-json-service';

/**
 * A local SQS FIFO queue for the tests and the bench. @aws-sdk/client-sqs 3.1164 speaks AWS JSON 1.0 (`X-Amz-Target:
 * AmazonSQS.<Op>`, `application/x-amz-json-1.0`, query-compatible errors), so this answers `SendMessageBatch` and
 * `SendMessage` in that protocol, with the MD5 of each body that the client checks. Like a FIFO queue without
 * content-based deduplication, it needs a group id and a deduplication id on every message, and accepts a message
 * whose deduplication id it saw in the last 5 minutes without queueing it again.
 */
export interface SqsStandIn {
  readonly endpoint: string;
  readonly queueUrl: string;
  /** Every operation received, in order. */
  readonly calls: string[];
  /** Messages queued, duplicates accepted but not queued, and the largest batch seen. */
  readonly stats: { messages: number; duplicates: number; largestBatch: number };
  /** Message group ids of the queued messages, with their count. */
  readonly groups: Map<string, number>;
  /** The queued messages, in order. */
  readonly messages: readonly QueuedMessage[];
  /** The next `count` entries received are refused (in the batch's `Failed` list), as SQS sometimes does. */
  refuseNext(count: number): void;
  /** Empties the queue, the counts and the deduplication memory. */
  reset(): void;
  close(): Promise<void>;
}

export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly groupId: string;
  readonly deduplicationId: string;
  readonly sequenceNumber: string;
}

export interface SqsStandInOptions {
  readonly queueName?: string;
  /** The queue's clock, epoch milliseconds, for the deduplication window. */
  readonly now?: () => number;
}

const MAX_BATCH = 10;
export const DEDUPLICATION_WINDOW_MS = 5 * 60_000;

export async function startSqsStandIn(options: SqsStandInOptions = {}): Promise<SqsStandIn> {
  const queueName = options.queueName ?? 'akeneo-sync.fifo';
  const now = options.now ?? Date.now;
  const stats = { messages: 0, duplicates: 0, largestBatch: 0 };
  const groups = new Map<string, number>();
  const messages: QueuedMessage[] = [];
  /** Deduplication id → the message it queued, and when. */
  const recent = new Map<string, { message: QueuedMessage; at: number }>();
  let refusals = 0;
  let sequence = 0;

  const receipt = (message: QueuedMessage) => ({
    MessageId: message.messageId,
    MD5OfMessageBody: createHash('md5').update(message.body).digest('hex'),
    SequenceNumber: message.sequenceNumber,
  });
  const accept = (entry: Record<string, unknown>) => {
    const groupId = String(entry.MessageGroupId ?? '');
    const deduplicationId = String(entry.MessageDeduplicationId ?? '');
    if (groupId === '') throw new AwsServiceError('com.amazonaws.sqs#MissingParameter', 'MessageGroupId is required');
    if (deduplicationId === '') {
      throw new AwsServiceError(
        'com.amazonaws.sqs#InvalidParameterValue',
        'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      );
    }
    const seen = recent.get(deduplicationId);
    if (seen !== undefined && now() - seen.at < DEDUPLICATION_WINDOW_MS) {
      stats.duplicates += 1;
      return receipt(seen.message);
    }
    sequence += 1;
    const message: QueuedMessage = {
      messageId: randomUUID(),
      body: String(entry.MessageBody ?? ''),
      groupId,
      deduplicationId,
      sequenceNumber: String(sequence).padStart(20, '0'),
    };
    recent.set(deduplicationId, { message, at: now() });
    messages.push(message);
    groups.set(groupId, (groups.get(groupId) ?? 0) + 1);
    stats.messages += 1;
    return receipt(message);
  };
  const operations: Record<string, AwsOperation> = {
    SendMessage: (input) => accept(input),
    SendMessageBatch: (input) => {
      const entries = (Array.isArray(input.Entries) ? input.Entries : []) as Array<Record<string, unknown>>;
      if (entries.length === 0 || entries.length > MAX_BATCH) {
        throw new AwsServiceError('com.amazonaws.sqs#TooManyEntriesInBatchRequest', `${entries.length} entries`);
      }
      stats.largestBatch = Math.max(stats.largestBatch, entries.length);
      const successful: unknown[] = [];
      const failed: unknown[] = [];
      for (const entry of entries) {
        if (refusals > 0) {
          refusals -= 1;
          failed.push({ Id: entry.Id, Code: 'InternalError', SenderFault: false, Message: 'Refused by the test' });
          continue;
        }
        try {
          successful.push({ Id: entry.Id, ...accept(entry) });
        } catch (error) {
          if (!(error instanceof AwsServiceError)) throw error;
          failed.push({ Id: entry.Id, Code: error.type.split('#').at(-1), SenderFault: true, Message: error.message });
        }
      }
      return { Successful: successful, Failed: failed };
    },
  };

  const service = await startAwsJsonService({
    targetPrefix: 'AmazonSQS',
    jsonVersion: '1.0',
    operations,
    unknownOperationType: 'com.amazonaws.sqs#UnsupportedOperation',
    internalErrorType: 'InternalError',
  });
  const { endpoint, calls } = service;
  return {
    endpoint,
    queueUrl: `${endpoint}/123456789012/${queueName}`,
    calls,
    stats,
    groups,
    messages,
    refuseNext(count) {
      refusals = count;
    },
    reset() {
      calls.length = 0;
      stats.messages = 0;
      stats.duplicates = 0;
      stats.largestBatch = 0;
      groups.clear();
      messages.length = 0;
      recent.clear();
      refusals = 0;
    },
    close: service.close,
  };
}
