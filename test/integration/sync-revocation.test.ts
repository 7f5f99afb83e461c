import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CallSlots, InProcessCallSlots } from '../../functions/adapters/call-slots';
import { DynamoDbSyncStateStore, type SyncStateStore } from '../../functions/adapters/connection-store';
import { InMemorySyncQueue } from '../../functions/adapters/sync-queue';
import { PimAccess } from '../../functions/pim-access';
import { syncProducts } from '../../functions/use-cases/sync-products';
import { createSyncWorkerAdapters, createSyncWorkerDeps } from '../../functions/wiring/sync-worker';
import { runLocalSync } from '../../local/sync-runner';
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

  it('loses its token with the revocation (crypto-shredded: the ciphertext held its data key), keeps who connected', async () => {
    const connection = await store.get(app.pimHost);

    expect(connection?.status).toBe('revoked');
    expect(connection).not.toHaveProperty('encryptedToken');
    expect(connection).toHaveProperty('connectedBy');
    expect(connection).toHaveProperty('firstConnectedAt');
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

  // A reconnect (a new token, a new token version) at each point between the sync's read of the connection and its
  // write that marks it revoked: the write is conditional on the version the run read, so it never undoes the
  // reconnect. A version read again at the 401 would be the new one, and the new connection would be revoked.
  const RACE_POINTS = [
    'after the sync read the connection',
    'after the sync decrypted the token',
    'after the page request reached the PIM, before its 401 is handled',
    'between the 401 and the write that marks the connection',
  ] as const;

  it.each(RACE_POINTS)('keeps a reconnect that happens %s active', async (point) => {
    app.sandbox.disconnect(app.clientId);
    const race = racingSync(point);
    // The PIM takes its time to answer, so that the reconnect can happen while the request is at it.
    if (point === 'after the page request reached the PIM, before its 401 is handled') app.sandbox.setApiLatency(1_500);

    const outcome = await race
      .sync({ pimHost: app.pimHost, timeLeftMs: () => 60_000 })
      .finally(() => app.sandbox.setApiLatency(0));

    expect(race.reconnected()).toBe(true);
    expect(outcome).toEqual({ kind: 'revoked', reason: DISCONNECTED, marked: false });
    expect((await store.get(app.pimHost))?.status).toBe('active');
    const next = await createSyncWorkerDeps(app.config, { queue: new InMemorySyncQueue() }).syncProducts({
      pimHost: app.pimHost,
      timeLeftMs: () => 60_000,
    });
    expect(next.kind).toBe('completed');
  });

  /** The worker's sync, with an admin reconnecting the PIM once, at `point`. */
  function racingSync(point: (typeof RACE_POINTS)[number]) {
    const adapters = createSyncWorkerAdapters(app.config, { queue: new InMemorySyncQueue() });
    let reconnected = false;
    const reconnectAt = async (here: (typeof RACE_POINTS)[number]) => {
      if (here !== point || reconnected) return;
      reconnected = true;
      expect((await connect(app, new TestBrowser())).page.status).toBe(200);
    };
    const racingStore: SyncStateStore = {
      get: async (host) => {
        const connection = await adapters.store.get(host);
        await reconnectAt('after the sync read the connection');
        return connection;
      },
      saveCheckpoint: (host, checkpoint) => adapters.store.saveCheckpoint(host, checkpoint),
      completeRun: (host, run) => adapters.store.completeRun(host, run),
      clearRunEvent: (host, runId) => adapters.store.clearRunEvent(host, runId),
      markInactive: async (host, change) => {
        await reconnectAt('between the 401 and the write that marks the connection');
        return adapters.store.markInactive(host, change);
      },
    };
    // The connection's call slots: once the page request has reached the PIM, and before its 401 comes back.
    const slots = new InProcessCallSlots();
    const racingSlots: CallSlots = {
      run: (host, call) =>
        slots.run(host, async () => {
          const before = app.sandbox.apiStats.requests;
          const refusals = app.sandbox.apiStats.statuses['401'] ?? 0;
          const answer = call();
          answer.catch(() => undefined);
          await until(() => app.sandbox.apiStats.requests > before);
          if (point === 'after the page request reached the PIM, before its 401 is handled') {
            await reconnectAt(point);
            // Otherwise the reconnect outlasted the PIM's latency, and this run would show nothing: fail, not pass.
            expect(app.sandbox.apiStats.statuses['401'] ?? 0).toBe(refusals);
          }
          return answer;
        }),
    };
    const pims = new PimAccess({
      store: racingStore,
      cipher: {
        decrypt: async (ciphertext, host) => {
          const token = await adapters.cipher.decrypt(ciphertext, host);
          await reconnectAt('after the sync decrypted the token');
          return token;
        },
      },
      pimUrlPolicy: { local: true },
      callSlots: racingSlots,
      now: () => new Date(),
    });
    const sync = syncProducts({
      ...adapters,
      store: racingStore,
      pims,
      overlapSeconds: 5,
      reserveMs: 0,
      now: () => new Date(),
      randomBytes: (size) => new Uint8Array(size),
    });
    return { sync, reconnected: () => reconnected };
  }
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

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
