import { DynamoDbSyncStateStore } from '../../functions/adapters/connection-store';
import type { RetryPolicy } from '../../functions/core/backoff';
import { PimUnavailableError } from '../../functions/core/errors';
import { withoutControlCharacters } from '../../functions/core/plain-text';
import { MAX_FAILURE_MESSAGE_LENGTH, recordingSyncFailures } from '../../functions/use-cases/record-sync-failures';
import { runLocalSync } from '../../local/sync-runner';
import { TestBrowser } from '../support/browser';
import { testDocumentClient } from '../support/dynamodb';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { connect, startTestApp, type TestApp } from '../support/test-app';

const FAST_RETRY: RetryPolicy = { baseDelayMs: 5, maxDelayMs: 20, maxRateLimitRetries: 2, maxServerErrorRetries: 2 };

/** Issue 17, item 1: each run's end kept on the connection, against the sandbox PIM over HTTP and DynamoDB Local. */
describe('the sync health kept on the connection', () => {
  let app: TestApp;
  let logs: LogCapture;
  let store: DynamoDbSyncStateStore;
  const sync = () => runLocalSync({ config: app.config, pimHost: app.pimHost, retry: FAST_RETRY });

  beforeAll(async () => {
    logs = captureLogs();
    app = await startTestApp({ sandboxProducts: 30 });
    store = new DynamoDbSyncStateStore({
      client: testDocumentClient(),
      tableName: app.config.connectionsTableName ?? '',
    });
    expect((await connect(app, new TestBrowser())).page.status).toBe(200);
  });

  afterAll(async () => {
    await app.close();
    logs.stop();
  });

  afterEach(() => app.sandbox.clearApiFaults());

  it('records a complete run: when, how many products, how long, and no failure in a row', async () => {
    await sync();

    const connection = await store.get(app.pimHost);
    expect(connection).toMatchObject({ lastSyncProductCount: 30, consecutiveFailures: 0 });
    expect(connection?.lastSyncDurationMs).toBeGreaterThanOrEqual(0);
    expect(connection?.lastFailure).toBeUndefined();
  });

  it('counts failed runs in a row with the last one’s code and message', async () => {
    app.sandbox.injectApiFaults(Array.from({ length: 20 }, () => ({ kind: 'server-error' as const })));

    await expect(sync()).rejects.toThrow(/kept failing/);
    await expect(sync()).rejects.toThrow(/kept failing/);

    const connection = await store.get(app.pimHost);
    expect(connection?.consecutiveFailures).toBe(2);
    expect(connection?.lastFailure).toMatchObject({ code: 'pim_unavailable' });
    expect(connection?.lastFailure?.message).toContain('The PIM kept failing (500)');
  });

  it('stores a failure message without its control characters, cut to 500 characters', async () => {
    const before = (await store.get(app.pimHost))?.consecutiveFailures ?? 0;
    const hostile = `The PIM said \u001b[2J\u0007no\r\nway ${'x'.repeat(600)}`;
    const failingSync = recordingSyncFailures(
      async () => {
        throw new PimUnavailableError(hostile);
      },
      { store, now: () => new Date('2026-11-30T12:00:00.000Z') },
    );

    await expect(failingSync({ pimHost: app.pimHost, timeLeftMs: () => 60_000 })).rejects.toThrow(PimUnavailableError);

    const connection = await store.get(app.pimHost);
    expect(connection?.consecutiveFailures).toBe(before + 1);
    expect(connection?.lastFailure).toEqual({
      at: '2026-11-30T12:00:00.000Z',
      code: 'pim_unavailable',
      message: withoutControlCharacters(hostile).slice(0, MAX_FAILURE_MESSAGE_LENGTH),
    });
    expect(connection?.lastFailure?.message).toMatch(/^The PIM said \[2Jno way x+$/);
  });

  it('resets the count at the next complete run and keeps the last failure for the record', async () => {
    await sync();

    const connection = await store.get(app.pimHost);
    expect(connection?.consecutiveFailures).toBe(0);
    expect(connection?.lastFailure?.code).toBe('pim_unavailable');
  });
});
