import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { PimUnavailableError } from '../../functions/core/errors';
import { RunEventPendingError } from '../../functions/core/sync-errors';
import { createLogger } from '../../functions/observability/logger';
import { makeSyncWorkerHandler } from '../../functions/sync-worker';
import type { ReconcileProducts } from '../../functions/use-cases/reconcile-products';
import type { SyncProducts } from '../../functions/use-cases/sync-products';
import { captureLogs } from '../support/log-capture';

function record(messageId: string, body: unknown): SQSRecord {
  return {
    messageId,
    receiptHandle: messageId,
    body: JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 's',
      ApproximateFirstReceiveTimestamp: '0',
      MessageGroupId: 'g',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:sync.fifo',
    awsRegion: 'eu-west-1',
  };
}

const context = { getRemainingTimeInMillis: () => 250_000 } as unknown as Context;

const noPass: ReconcileProducts = async () => {
  throw new Error('A sync message reached the reconciliation');
};

/** The Lambda glue around the sync use case, which a stand-in replaces here: the use case has its own tests. */
describe('the sync worker handler', () => {
  it('passes the PIM, the run and the remaining time to the sync, and reports no failure when it succeeds', async () => {
    const calls: Array<{ pimHost: string; runId?: string; timeLeft: number }> = [];
    const sync: SyncProducts = async (input) => {
      calls.push({ pimHost: input.pimHost, runId: input.runId, timeLeft: input.timeLeftMs() });
      return { kind: 'completed', runId: 'r', productCount: 3, rereadCount: 0, parts: 1 };
    };
    const logs = captureLogs();
    try {
      const event: SQSEvent = {
        Records: [record('1', { pimHost: 'pim.example.com', kind: 'continuation', runId: 'r1' })],
      };
      const response = await makeSyncWorkerHandler({
        syncProducts: sync,
        reconcileProducts: noPass,
        logger: createLogger(),
      })(event, context);

      expect(response).toEqual({ batchItemFailures: [] });
      expect(calls).toEqual([{ pimHost: 'pim.example.com', runId: 'r1', timeLeft: 250_000 }]);
      expect(logs.lines().find((line) => line.message === 'Sync completed')).toMatchObject({ productCount: 3 });
    } finally {
      logs.stop();
    }
  });

  it('routes a reconcile message to the reconciliation pass, with its run, and logs its outcome', async () => {
    const passes: Array<{ pimHost: string; runId?: string }> = [];
    const reconcile: ReconcileProducts = async (input) => {
      passes.push({ pimHost: input.pimHost, runId: input.runId });
      return { kind: 'completed', runId: 'p1', listed: 10, deleted: 2, previousRunId: 'p0' };
    };
    const sync: SyncProducts = async () => {
      throw new Error('A reconcile message reached the sync');
    };
    const logs = captureLogs();
    try {
      const response = await makeSyncWorkerHandler({
        syncProducts: sync,
        reconcileProducts: reconcile,
        logger: createLogger(),
      })(
        {
          Records: [
            record('1', { pimHost: 'pim.example.com', kind: 'reconcile' }),
            record('2', { pimHost: 'pim.example.com', kind: 'reconcile', runId: 'p1' }),
          ],
        },
        context,
      );

      expect(response).toEqual({ batchItemFailures: [] });
      expect(passes).toEqual([
        { pimHost: 'pim.example.com', runId: undefined },
        { pimHost: 'pim.example.com', runId: 'p1' },
      ]);
      expect(logs.lines().find((line) => line.message === 'Reconciliation completed')).toMatchObject({ deleted: 2 });
    } finally {
      logs.stop();
    }
  });

  it('reports a failed message, and the ones after it in the FIFO batch, for SQS to retry', async () => {
    const sync: SyncProducts = async (input) => {
      if (input.pimHost === 'a.example.com') throw new Error('The PIM kept failing');
      return { kind: 'skipped', reason: 'x' };
    };
    const logs = captureLogs();
    try {
      const event: SQSEvent = {
        Records: [
          record('1', { pimHost: 'b.example.com' }),
          record('2', { pimHost: 'a.example.com' }),
          record('3', { pimHost: 'b.example.com' }),
        ],
      };
      const response = await makeSyncWorkerHandler({
        syncProducts: sync,
        reconcileProducts: noPass,
        logger: createLogger(),
      })(event, context);

      expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(['2', '3']);
      const malformed = await makeSyncWorkerHandler({
        syncProducts: sync,
        reconcileProducts: noPass,
        logger: createLogger(),
      })({ Records: [record('4', 'not an object')] }, context);
      expect(malformed).toEqual({ batchItemFailures: [{ itemIdentifier: '4' }] });
    } finally {
      logs.stop();
    }
  });

  it('logs a failed message with its PIM, its error code and what happens next, before SQS retries it', async () => {
    const sync: SyncProducts = async () => {
      throw new PimUnavailableError('The PIM kept failing (503) after 4 retries');
    };
    const logs = captureLogs();
    try {
      await makeSyncWorkerHandler({ syncProducts: sync, reconcileProducts: noPass, logger: createLogger() })(
        { Records: [record('1', { pimHost: 'a.example.com', kind: 'continuation', runId: 'r1' })] },
        context,
      );

      expect(logs.lines().find((line) => line.message === 'Sync failed')).toMatchObject({
        level: 'ERROR',
        pimHost: 'a.example.com',
        kind: 'continuation',
        runId: 'r1',
        errorCode: 'pim_unavailable',
        reason: 'The PIM kept failing (503) after 4 retries',
        next: expect.stringMatching(/^Nothing lost/),
      });
    } finally {
      logs.stop();
    }
  });

  it('logs a complete run whose event is still to be published: the cursor moved, the event is published first next', async () => {
    const sync: SyncProducts = async () => {
      throw new RunEventPendingError('a.example.com', 'r1', { cause: new Error('EventBridge refused it') });
    };
    const logs = captureLogs();
    try {
      const response = await makeSyncWorkerHandler({
        syncProducts: sync,
        reconcileProducts: noPass,
        logger: createLogger(),
      })({ Records: [record('1', { pimHost: 'a.example.com' })] }, context);

      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '1' }] });
      const line = logs.lines().find((entry) => entry.message === 'Sync failed');
      expect(line).toMatchObject({
        pimHost: 'a.example.com',
        errorCode: 'run_event_pending',
        reason: expect.stringMatching(/^Run r1 of a\.example\.com is complete.*EventBridge refused it$/),
        next: expect.stringMatching(/^Nothing lost: the run is complete and the cursor moved; its event waits/),
      });
      expect(line?.next).not.toMatch(/did not move/);
    } finally {
      logs.stop();
    }
  });

  it('logs any other failure as unexpected, with its own message, whatever code it carries', async () => {
    const sync: SyncProducts = async () => {
      throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    };
    const logs = captureLogs();
    try {
      const response = await makeSyncWorkerHandler({
        syncProducts: sync,
        reconcileProducts: noPass,
        logger: createLogger(),
      })({ Records: [record('1', { pimHost: 'a.example.com' })] }, context);

      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '1' }] });
      expect(logs.lines().find((line) => line.message === 'Sync failed')).toMatchObject({
        level: 'ERROR',
        pimHost: 'a.example.com',
        errorCode: 'unexpected',
        reason: 'read ECONNRESET',
      });
    } finally {
      logs.stop();
    }
  });

  it('refuses a message of an unknown kind, or a continuation without its run, without starting a sync', async () => {
    const calls: string[] = [];
    const sync: SyncProducts = async (input) => {
      calls.push(input.pimHost);
      return { kind: 'skipped', reason: 'x' };
    };
    const logs = captureLogs();
    try {
      const response = await makeSyncWorkerHandler({
        syncProducts: sync,
        reconcileProducts: noPass,
        logger: createLogger(),
      })(
        {
          Records: [
            record('1', { pimHost: 'a.example.com', kind: 'full-resync' }),
            record('2', { pimHost: 'b.example.com', kind: 'continuation' }),
          ],
        },
        context,
      );

      expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(['1', '2']);
      expect(calls).toEqual([]);
    } finally {
      logs.stop();
    }
  });

  it('logs a refused PIM URL as an error: the row was changed behind the callback', async () => {
    const sync: SyncProducts = async () => ({ kind: 'pim_url_mismatch', reason: 'another host', marked: true });
    const logs = captureLogs();
    try {
      const response = await makeSyncWorkerHandler({
        syncProducts: sync,
        reconcileProducts: noPass,
        logger: createLogger(),
      })({ Records: [record('1', { pimHost: 'a.example.com' })] }, context);

      expect(response).toEqual({ batchItemFailures: [] });
      expect(logs.lines().find((line) => line.message === 'Sync pim_url_mismatch')).toMatchObject({
        level: 'ERROR',
        pimHost: 'a.example.com',
      });
    } finally {
      logs.stop();
    }
  });
});
