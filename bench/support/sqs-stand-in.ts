import { createHash, randomUUID } from 'node:crypto';
import { type AwsOperation, AwsServiceError, startAwsJsonService } from '../../test/support/aws-json-service';

/**
 * A local SQS FIFO queue for the bench. @aws-sdk/client-sqs 3.1164 speaks AWS JSON 1.0 (`X-Amz-Target:
 * AmazonSQS.<Op>`, `application/x-amz-json-1.0`, query-compatible errors), so this answers `SendMessageBatch` and
 * `SendMessage` in that protocol, with the MD5 of each body that the client checks. It keeps only counts.
 */
export interface SqsStandIn {
  readonly endpoint: string;
  readonly queueUrl: string;
  /** Every operation received, in order. */
  readonly calls: string[];
  /** Messages accepted, and the largest batch seen. */
  readonly stats: { messages: number; largestBatch: number };
  /** Message group ids seen, with their count. */
  readonly groups: Map<string, number>;
  reset(): void;
  close(): Promise<void>;
}

const MAX_BATCH = 10;

export async function startSqsStandIn(queueName = 'akeneo-sync.fifo'): Promise<SqsStandIn> {
  const stats = { messages: 0, largestBatch: 0 };
  const groups = new Map<string, number>();
  let sequence = 0;
  const accept = (entry: Record<string, unknown>) => {
    const body = String(entry.MessageBody ?? '');
    const group = String(entry.MessageGroupId ?? '');
    groups.set(group, (groups.get(group) ?? 0) + 1);
    stats.messages += 1;
    sequence += 1;
    return {
      MessageId: randomUUID(),
      MD5OfMessageBody: createHash('md5').update(body).digest('hex'),
      SequenceNumber: String(sequence).padStart(20, '0'),
    };
  };
  const operations: Record<string, AwsOperation> = {
    SendMessage: (input) => accept(input),
    SendMessageBatch: (input) => {
      const entries = (Array.isArray(input.Entries) ? input.Entries : []) as Array<Record<string, unknown>>;
      if (entries.length === 0 || entries.length > MAX_BATCH) {
        throw new AwsServiceError('com.amazonaws.sqs#TooManyEntriesInBatchRequest', `${entries.length} entries`);
      }
      stats.largestBatch = Math.max(stats.largestBatch, entries.length);
      return { Successful: entries.map((entry) => ({ Id: entry.Id, ...accept(entry) })), Failed: [] };
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
    reset() {
      calls.length = 0;
      stats.messages = 0;
      stats.largestBatch = 0;
      groups.clear();
    },
    close: service.close,
  };
}
