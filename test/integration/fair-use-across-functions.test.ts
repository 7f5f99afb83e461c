import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InMemorySyncQueue } from '../../functions/adapters/sync-queue';
import { LocalKeyTokenCipher } from '../../functions/adapters/token-cipher/local-key';
import { AkeneoRestClient } from '../../functions/akeneo/rest-client';
import { pimHostKey } from '../../functions/contract/names';
import { createCallSlots } from '../../functions/wiring/adapters/call-slots';
import { awsClients } from '../../functions/wiring/aws-clients';
import { createSyncWorkerDeps } from '../../functions/wiring/sync-worker';
import { tokenKey } from '../../sandbox/api-traffic';
import { TestBrowser } from '../support/browser';
import { connect, startTestApp, type TestApp } from '../support/test-app';

/** Five pages of 100 (the last one half full) for the sync. */
const PRODUCTS = 450;
const PAGES = 5;
/** Each worker keeps asking for this many pages at once while the sync runs: alone, it would keep 4 in flight. */
const WORKER_LANES = 6;
/** Long enough that the three functions' calls overlap at the PIM. */
const LATENCY_MS = 100;

/**
 * Issue 14, item 3: Akeneo's 4 concurrent calls per connection are shared by every function of the app. The sync
 * worker (as its wiring builds it) and two downstream workers run at once on one PIM, each an independent function
 * instance with its own call slots and its own REST client, sharing only the call slots table (DynamoDB Local); the
 * sandbox PIM counts the calls in flight per token over HTTP.
 */
describe('fair use across functions: the sync and two workers on one PIM at once', () => {
  let app: TestApp;
  let accessToken: string;

  beforeAll(async () => {
    app = await startTestApp({ sandboxProducts: PRODUCTS });
    await connect(app, new TestBrowser());
    const connection = await app.connections.get(app.pimHost);
    if (!connection?.encryptedToken) throw new Error('The app did not connect the sandbox');
    accessToken = await LocalKeyTokenCipher.fromDataDir(app.config.dataDir).decrypt(
      connection.encryptedToken,
      app.pimHost,
    );
  });

  afterAll(() => app.close());

  it('never has more than 4 calls in flight at the PIM for the connection, reaches 4, and exports every product', async () => {
    const sync = createSyncWorkerDeps(app.config, { queue: new InMemorySyncQueue() }).syncProducts;
    const workers = [1, 2].map(
      () =>
        new AkeneoRestClient({
          pimUrl: app.sandbox.url,
          accessToken,
          callSlots: createCallSlots(app.config, awsClients('sync-worker')),
        }),
    );
    const pageOfTen = `${app.sandbox.url}/api/rest/v1/products-uuid?limit=10`;
    app.sandbox.resetApiStats();
    app.sandbox.setApiLatency(LATENCY_MS);
    let syncing = true;
    /** One worker: its lanes each read a page after the other until the sync has ended; how many each read. */
    const work = (worker: AkeneoRestClient) =>
      Promise.all(
        Array.from({ length: WORKER_LANES }, async () => {
          let pages = 0;
          while (syncing) {
            await worker.getJson(pageOfTen);
            pages += 1;
          }
          return pages;
        }),
      );
    try {
      const working = workers.map(work);
      const outcome = await sync({ pimHost: app.pimHost, timeLeftMs: () => 10 * 60_000 }).finally(() => {
        syncing = false;
      });
      const workerPages = (await Promise.all(working)).flat().reduce((sum, pages) => sum + pages, 0);

      expect(app.sandbox.apiStats.statuses).toEqual({ '200': PAGES + workerPages });
      expect(workerPages).toBeGreaterThanOrEqual(2 * WORKER_LANES);
      // Exactly 4: at most 4 is the rule, and at least 4 shows the calls did overlap, so the bound was tested.
      expect(app.sandbox.apiStats.maxConcurrentPerToken).toEqual({ [tokenKey(accessToken)]: 4 });
      expect(outcome).toMatchObject({ kind: 'completed', productCount: PRODUCTS });
      if (outcome.kind !== 'completed') return;
      expect(exportedUuids(outcome.runId).size).toBe(PRODUCTS);
    } finally {
      app.sandbox.setApiLatency(0);
      await Promise.all(workers.map((worker) => worker.close()));
    }
  });

  /** The distinct products in the run's parts, in the local export directory. */
  function exportedUuids(runId: string): Set<string> {
    const directory = join(app.config.dataDir, 'exports', pimHostKey(app.pimHost), 'products', runId);
    const lines = readdirSync(directory)
      .filter((name) => name.startsWith('part-'))
      .flatMap((name) => readFileSync(join(directory, name), 'utf8').split('\n').filter(Boolean));
    return new Set(lines.map((line) => (JSON.parse(line) as { uuid: string }).uuid));
  }
});
