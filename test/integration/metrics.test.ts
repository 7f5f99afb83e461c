import type { Context, SQSRecord } from 'aws-lambda';
import { InMemorySyncQueue } from '../../functions/adapters/sync-queue';
import { encodeSyncMessage } from '../../functions/contract/sync-message';
import type { RetryPolicy } from '../../functions/core/backoff';
import { METRIC_NAMES } from '../../functions/observability/metrics';
import { makeSyncDispatchHandler } from '../../functions/sync-dispatch';
import { makeSyncWorkerHandler } from '../../functions/sync-worker';
import { createSyncDispatchDeps } from '../../functions/wiring/sync-dispatch';
import { createSyncWorkerDeps } from '../../functions/wiring/sync-worker';
import { TestBrowser } from '../support/browser';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { connect, startTestApp, type TestApp } from '../support/test-app';

const FAST_RETRY: RetryPolicy = { baseDelayMs: 5, maxDelayMs: 20, maxRateLimitRetries: 3, maxServerErrorRetries: 2 };

function sqsRecord(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle: messageId,
    body,
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

interface EmfLine {
  readonly _aws: {
    readonly CloudWatchMetrics: ReadonlyArray<{
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: ReadonlyArray<{ readonly Name: string; readonly Unit: string }>;
    }>;
  };
  readonly [key: string]: unknown;
}

/**
 * Issue 17, item 2: the functions' metrics, read from their own output (embedded metric format on stdout, as Lambda
 * sends it to CloudWatch), through a connect, a failed connect, and syncs that complete, meet 429s and fail on 500s.
 */
describe('the metrics the functions emit', () => {
  let app: TestApp;
  let logs: LogCapture;
  const emf = () => logs.lines().filter((line): line is EmfLine & Record<string, unknown> => '_aws' in line);
  const emitted = (name: string) =>
    emf().filter((line) => line._aws.CloudWatchMetrics.some((set) => set.Metrics.some((m) => m.Name === name)));

  beforeAll(async () => {
    logs = captureLogs();
    app = await startTestApp({ sandboxProducts: 150 });
    expect((await connect(app, new TestBrowser())).page.status).toBe(200);
    await new TestBrowser().get(`${app.url}/callback?code=abc&state=not-a-state`);
    app.sandbox.injectApiFaults([{ kind: 'rate-limit', retryAfterSeconds: 0 }]);
    expect(await scheduledSync('2026-11-30T12:00:00Z')).toEqual({ batchItemFailures: [] });
    app.sandbox.injectApiFaults(Array.from({ length: 10 }, () => ({ kind: 'server-error' as const })));
    expect((await scheduledSync('2026-11-30T12:15:00Z')).batchItemFailures).toHaveLength(1);
    app.sandbox.clearApiFaults();
  });

  /** The dispatch handler, then the worker handler on each message it sent: the functions Lambda runs. */
  async function scheduledSync(time: string) {
    const queue = new InMemorySyncQueue();
    await makeSyncDispatchHandler(createSyncDispatchDeps(app.config, { queue }))({ time });
    const worker = makeSyncWorkerHandler(createSyncWorkerDeps(app.config, { queue, retry: FAST_RETRY }));
    const records: SQSRecord[] = [];
    for (let message = queue.take(); message !== undefined; message = queue.take()) {
      // The sync's metrics only: the reconciliation pass the first completed sync made due is left out.
      if (message.kind === 'reconcile') continue;
      records.push(sqsRecord(String(records.length), encodeSyncMessage(message)));
    }
    return worker({ Records: records }, { getRemainingTimeInMillis: () => 250_000 } as unknown as Context);
  }

  afterAll(async () => {
    await app.close();
    logs.stop();
  });

  it('counts connections started, completed and failed by error code', () => {
    expect(emitted(METRIC_NAMES.connectStarted)).not.toHaveLength(0);
    expect(emitted(METRIC_NAMES.connectCompleted)).toHaveLength(1);
    const failed = emitted(METRIC_NAMES.connectFailed);
    expect(failed.map((line) => line.errorCode)).toEqual(['unknown_state']);
    expect(failed[0]?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service', 'errorCode']]);
  });

  it('counts sync runs, products, pages, 429s, retries, run durations and failures by code', () => {
    for (const name of [
      METRIC_NAMES.syncRunCompleted,
      METRIC_NAMES.syncProducts,
      METRIC_NAMES.syncPages,
      METRIC_NAMES.syncRateLimited,
      METRIC_NAMES.syncRetries,
      METRIC_NAMES.syncRunDuration,
    ]) {
      expect({ name, emitted: emitted(name).length > 0 }).toEqual({ name, emitted: true });
    }
    expect(emitted(METRIC_NAMES.syncRunFailed).map((line) => line.errorCode)).toEqual(['pim_unavailable']);
    const products = emitted(METRIC_NAMES.syncProducts).map((line) => line[METRIC_NAMES.syncProducts]);
    expect(products.flat().reduce((sum: number, value) => sum + Number(value), 0)).toBeGreaterThanOrEqual(150);
  });

  it('counts the connections the dispatch sent', () => {
    expect(emitted(METRIC_NAMES.dispatchedConnections).map((line) => line[METRIC_NAMES.dispatchedConnections])).toEqual(
      // One per scheduled dispatch, one active connection each time.
      [1, 1],
    );
  });

  it('uses the service name as namespace and never a PIM dimension', () => {
    const sets = emf().flatMap((line) => line._aws.CloudWatchMetrics);
    expect(new Set(sets.map((set) => set.Namespace))).toEqual(new Set([app.config.serviceName]));
    for (const line of emf()) {
      expect(JSON.stringify(line._aws.CloudWatchMetrics)).not.toContain('pim');
      expect(Object.values(line)).not.toContain(app.pimHost);
    }
  });
});
