import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDbSyncStateStore, type SyncStateStore } from '../../functions/adapters/connection-store';
import { InMemorySyncQueue } from '../../functions/adapters/sync-queue';
import { AkeneoRestClient } from '../../functions/akeneo/rest-client';
import { runLocalSync } from '../../functions/local/sync-runner';
import { syncProducts } from '../../functions/use-cases/sync-products';
import { createSyncProducts, createWorkerAdapters } from '../../functions/wiring/worker-deps';
import { TestBrowser } from '../support/browser';
import { testDocumentClient } from '../support/dynamodb';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { connect, startTestApp, type TestApp } from '../support/test-app';

const DISCONNECTED = 'The access token provided is invalid. Your app has been disconnected from that PIM.';

describe('a PIM that disconnects the app', () => {
  let app: TestApp;
  let logs: LogCapture;
  let store: DynamoDbSyncStateStore;

  beforeAll(async () => {
    logs = captureLogs();
    app = await startTestApp();
    store = new DynamoDbSyncStateStore({
      client: testDocumentClient(),
      tableName: app.config.connectionsTableName ?? '',
    });
    await connect(app, new TestBrowser());
  });

  afterAll(async () => {
    await app.close();
    logs.stop();
  });

  it('is marked revoked with the PIM reason at the next sync, and no longer dispatched', async () => {
    expect(completed(await runLocalSync({ config: app.config }))).toBe(1);
    app.sandbox.disconnect(app.clientId);

    const summary = await runLocalSync({ config: app.config });

    expect(summary.outcomes[0]?.outcome).toEqual({ kind: 'revoked', reason: DISCONNECTED, marked: true });
    expect(await store.get(app.pimHost)).toMatchObject({ status: 'revoked', statusReason: DISCONNECTED });
    expect((await runLocalSync({ config: app.config })).dispatched).toBe(0);
  });

  it('is synced again once it reconnects', async () => {
    const result = await connect(app, new TestBrowser());

    const summary = await runLocalSync({ config: app.config });

    expect(result.page.status).toBe(200);
    expect((await store.get(app.pimHost))?.status).toBe('active');
    expect(summary.dispatched).toBe(1);
    const outcome = summary.outcomes[0]?.outcome;
    expect(outcome?.kind).toBe('completed');
    // No bucket configured locally: the same layout under DATA_DIR/exports.
    const runDirectory = join(app.config.dataDir, 'exports', app.pimHost.replace(':', '_'), 'products');
    const manifest = JSON.parse(
      readFileSync(join(runDirectory, outcome?.kind === 'completed' ? outcome.runId : '', 'manifest.json'), 'utf8'),
    );
    // Reconnecting kept the cursor: nothing changed in the PIM since the first sync.
    expect(manifest).toMatchObject({ productCount: 0, parts: [] });
  });

  it('keeps a reconnect that races the 401 active: the old token version is no longer current', async () => {
    app.sandbox.disconnect(app.clientId);
    const adapters = createWorkerAdapters(app.config, { queue: new InMemorySyncQueue() });
    // Between the 401 and the write that marks it, the admin reconnects: a new token and a new version.
    const racing: SyncStateStore = {
      get: (host) => adapters.store.get(host),
      saveCheckpoint: (host, checkpoint) => adapters.store.saveCheckpoint(host, checkpoint),
      completeRun: (host, run) => adapters.store.completeRun(host, run),
      markInactive: async (host, change) => {
        await connect(app, new TestBrowser());
        return adapters.store.markInactive(host, change);
      },
    };
    const sync = syncProducts({
      ...adapters,
      store: racing,
      openPim: (pimUrl, accessToken) => new AkeneoRestClient({ pimUrl, accessToken }),
      overlapSeconds: 5,
      reserveMs: 0,
      now: () => new Date(),
      randomBytes: (size) => new Uint8Array(size),
    });

    const outcome = await sync({ pimHost: app.pimHost, timeLeftMs: () => 60_000 });

    expect(outcome).toEqual({ kind: 'revoked', reason: DISCONNECTED, marked: false });
    expect((await store.get(app.pimHost))?.status).toBe('active');
    const next = await createSyncProducts(app.config, { queue: new InMemorySyncQueue() })({
      pimHost: app.pimHost,
      timeLeftMs: () => 60_000,
    });
    expect(next.kind).toBe('completed');
  });
});

describe('a PIM that does not grant read_products', () => {
  it('is marked scope_missing with the PIM reason and no longer dispatched', async () => {
    const logs = captureLogs();
    const app = await startTestApp({ env: { APP_SCOPES: 'read_categories openid' } });
    try {
      await connect(app, new TestBrowser());

      const summary = await runLocalSync({ config: app.config });

      expect(summary.outcomes[0]?.outcome).toMatchObject({ kind: 'scope_missing', marked: true });
      const store = new DynamoDbSyncStateStore({
        client: testDocumentClient(),
        tableName: app.config.connectionsTableName ?? '',
      });
      expect(await store.get(app.pimHost)).toMatchObject({
        status: 'scope_missing',
        statusReason: 'Access forbidden. You are not allowed to list products.',
      });
      expect((await runLocalSync({ config: app.config })).dispatched).toBe(0);
    } finally {
      await app.close();
      logs.stop();
    }
  });
});

function completed(summary: Awaited<ReturnType<typeof runLocalSync>>): number {
  return summary.outcomes.filter(({ outcome }) => outcome.kind === 'completed').length;
}
