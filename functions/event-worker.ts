import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { loadConfig } from './config';
import { decodeProductEventMessage, type ProductEventMessageBody } from './contract/product-event-message';
import { asAppError, reasonOf } from './core/errors';
import { createEventWorkerDeps, type EventWorkerHandlerDeps } from './wiring/event-worker';
import { lazyHandler } from './wiring/lazy-handler';

export type EventWorkerHandler = (event: SQSEvent) => Promise<SQSBatchResponse>;

/**
 * SQS FIFO: a batch of product events, one message group per PIM. Each PIM's events become one small run of the
 * export. A PIM whose run fails has all its messages of the batch reported as failures (FIFO: none of a group may be
 * skipped ahead of one that failed): SQS retries them, then moves them to the dead-letter queue. A message that cannot
 * be read fails alone, and with it the rest of its PIM's messages.
 */
export const makeEventWorkerHandler =
  (deps: EventWorkerHandlerDeps): EventWorkerHandler =>
  async (event) => {
    const groups = new Map<
      string,
      { records: SQSRecord[]; messages: ProductEventMessageBody[]; unreadable: boolean }
    >();
    for (const record of event.Records) {
      const groupId = record.attributes.MessageGroupId ?? 'unknown';
      const group = groups.get(groupId) ?? { records: [], messages: [], unreadable: false };
      groups.set(groupId, group);
      group.records.push(record);
      if (group.unreadable) continue;
      try {
        group.messages.push(decodeProductEventMessage(record.body));
      } catch (error) {
        group.unreadable = true;
        deps.logger.error('Product event message unreadable', { messageId: record.messageId, reason: String(error) });
      }
    }
    const failures: SQSBatchItemFailure[] = [];
    for (const [pimHost, group] of groups) {
      const failed = () => failures.push(...group.records.map((record) => ({ itemIdentifier: record.messageId })));
      if (group.unreadable) {
        failed();
        continue;
      }
      try {
        const outcome = await deps.applyProductEvents(pimHost, group.messages);
        const level = outcome.kind === 'written' ? 'info' : 'warn';
        deps.logger[level](`Product events ${outcome.kind}`, { pimHost, events: group.messages.length, ...outcome });
      } catch (error) {
        const failure = asAppError(error);
        deps.logger.error('Product events failed', {
          pimHost,
          events: group.messages.length,
          errorCode: failure.code,
          reason: reasonOf(failure),
          next: 'SQS retries the messages, then moves them to the dead-letter queue',
        });
        failed();
      }
    }
    return { batchItemFailures: failures };
  };

export const handler: EventWorkerHandler = lazyHandler(() =>
  makeEventWorkerHandler(createEventWorkerDeps(loadConfig(process.env))),
);
