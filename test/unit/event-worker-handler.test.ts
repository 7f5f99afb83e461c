import type { SQSRecord } from 'aws-lambda';
import type { QueuedProductEvent } from '../../functions/core/product-event-batch';
import { makeEventWorkerHandler } from '../../functions/event-worker';
import { createLogger } from '../../functions/observability/logger';
import type { EventWorkerHandlerDeps } from '../../functions/wiring/event-worker';
import { captureLogs } from '../support/log-capture';

function record(messageId: string, pimHost: string, body: unknown): SQSRecord {
  return {
    messageId,
    receiptHandle: messageId,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 's',
      ApproximateFirstReceiveTimestamp: '0',
      MessageGroupId: pimHost,
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:events.fifo',
    awsRegion: 'eu-west-1',
  };
}

const event = (pimHost: string, id: string) => ({
  pimHost,
  eventId: id,
  change: 'updated',
  productUuid: `0b6d3e39-4d43-4bb2-9bde-7cb4b9b1b7a${id.slice(-1)}`,
  time: '2026-11-28T12:00:00.000Z',
});

/** The Lambda glue around the use case (a stand-in here; the use case runs for real in the integration tests). */
describe('the event worker handler', () => {
  let logs: ReturnType<typeof captureLogs>;
  beforeEach(() => {
    logs = captureLogs();
  });
  afterEach(() => logs.stop());

  function handlerWith(apply: EventWorkerHandlerDeps['applyProductEvents']) {
    return makeEventWorkerHandler({ applyProductEvents: apply, logger: createLogger() });
  }

  it("applies each PIM's events of the batch together, in order, once per PIM", async () => {
    const calls: Array<[string, string[]]> = [];
    const handler = handlerWith(async (pimHost, events: readonly QueuedProductEvent[]) => {
      calls.push([pimHost, events.map((e) => e.eventId)]);
      return { kind: 'written', runId: 'r', products: events.length, notFound: 0, deleted: 0, parts: 1 };
    });

    const answer = await handler({
      Records: [
        record('m1', 'a.example.com', event('a.example.com', 'e1')),
        record('m2', 'b.example.com', event('b.example.com', 'e2')),
        record('m3', 'a.example.com', event('a.example.com', 'e3')),
      ],
    });

    expect(answer).toEqual({ batchItemFailures: [] });
    expect(calls).toEqual([
      ['a.example.com', ['e1', 'e3']],
      ['b.example.com', ['e2']],
    ]);
  });

  it("reports every message of a PIM whose run failed, and only that PIM's (FIFO: none skips ahead)", async () => {
    const handler = handlerWith(async (pimHost) => {
      if (pimHost === 'a.example.com') throw new Error('S3 is down');
      return { kind: 'written', runId: 'r', products: 1, notFound: 0, deleted: 0, parts: 1 };
    });

    const answer = await handler({
      Records: [
        record('m1', 'a.example.com', event('a.example.com', 'e1')),
        record('m2', 'b.example.com', event('b.example.com', 'e2')),
        record('m3', 'a.example.com', event('a.example.com', 'e3')),
      ],
    });

    expect(answer.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(['m1', 'm3']);
    expect(logs.lines().find((line) => line.message === 'Product events failed')).toMatchObject({
      pimHost: 'a.example.com',
      reason: 'S3 is down',
    });
  });

  it('fails an unreadable message with the rest of its PIM, and applies nothing of that PIM', async () => {
    const applied: string[] = [];
    const handler = handlerWith(async (pimHost) => {
      applied.push(pimHost);
      return { kind: 'written', runId: 'r', products: 1, notFound: 0, deleted: 0, parts: 1 };
    });

    const answer = await handler({
      Records: [
        record('m1', 'a.example.com', 'not json'),
        record('m2', 'a.example.com', event('a.example.com', 'e2')),
        record('m3', 'b.example.com', event('b.example.com', 'e3')),
      ],
    });

    expect(answer.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(['m1', 'm2']);
    expect(applied).toEqual(['b.example.com']);
  });
});
