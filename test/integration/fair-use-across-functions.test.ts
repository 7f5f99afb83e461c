import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InMemorySyncQueue } from '../../functions/adapters/sync-queue';
import { LocalKeyTokenCipher } from '../../functions/adapters/token-cipher/local-key';
import { AkeneoRestClient } from '../../functions/akeneo/rest-client';
import { pimHostKey, workerName } from '../../functions/contract/names';
import { DEFAULT_APP_SCOPES } from '../../functions/core/scopes';
import type { PimAccess } from '../../functions/pim-access';
import { createCallSlots } from '../../functions/wiring/adapters/call-slots';
import { awsClients } from '../../functions/wiring/aws-clients';
import { createPimAccess } from '../../functions/wiring/pim-access';
import { createSyncWorkerDeps } from '../../functions/wiring/sync-worker';
import { tokenKey } from '../../sandbox/api-traffic';
import { TestBrowser } from '../support/browser';
import { connect, startTestApp, type TestApp } from '../support/test-app';

/** Five pages of 100 (the last one half full) for the sync. */
const PRODUCTS = 450;
const PAGES = 5;
/** Each worker keeps asking for this many pages at once while the sync runs: alone, it would keep 4 in flight. */
const WORKER_LANES = 4;
/** Long enough that the three functions' calls overlap at the PIM. */
const LATENCY_MS = 100;

/**
 * Issue 14, item 3: Akeneo's 4 concurrent calls per connection are shared by every function of the app. The sync
 * worker (as its wiring builds it) and two downstream workers run at once on one PIM, each an independent function
 * instance with its own call slots and its own REST client, sharing only the call slots table (DynamoDB Local); the
 * sandbox PIM counts the calls in flight per token over HTTP.
 */
// Twelve lanes contend for 4 slots, polled: on a loaded shared machine this takes minutes, not seconds. Time is not
// what is tested here (the bench measures the slots' cost); only the bound.
jest.setTimeout(240_000);

describe('fair use across functions: the sync and two workers on one PIM at once', () => {
  let app: TestApp;
  let accessToken: string;

  beforeAll(async () => {
    app = await startTestApp({
      sandboxProducts: PRODUCTS,
      env: { APP_SCOPES: [...DEFAULT_APP_SCOPES, 'write_products'].join(' ') },
    });
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

      // The sync's pages, the count a first sync asks for beside its first page, and the workers' pages.
      expect(app.sandbox.apiStats.statuses).toEqual({ '200': PAGES + 1 + workerPages });
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

  it('holds with two workers that write through the entry point: never more than 4 in flight, every product exported', async () => {
    const sync = createSyncWorkerDeps(app.config, { queue: new InMemorySyncQueue() }).syncProducts;
    // Two independent worker instances, as their Lambdas would build them: their own entry point and call slots.
    const workers = [workerName('writer-one'), workerName('writer-two')].map((name) =>
      createPimAccess(app.config, awsClients(name)),
    );
    const uuids = await readAllUuids(workers[0] as PimAccess);
    // The same values every time: after the first write the PIM answers 204 without a change.
    const lines = uuids.map((uuid, index) => ({
      uuid,
      values: { name: [{ locale: 'fr_FR', scope: null, data: `Produit ${index}` }] },
    }));
    app.sandbox.resetApiStats();
    app.sandbox.setApiLatency(LATENCY_MS);
    let syncing = true;
    /** One worker writes every product, again and again (5 calls of 100 lines, 4 at once), until the sync ends. */
    const write = async (pims: PimAccess) => {
      let writes = 0;
      while (syncing) {
        const outcome = await pims.withPim(app.pimHost, (pim) => pim.patchProducts(lines));
        if (outcome.status !== 'done') throw new Error(`The worker could not write: ${outcome.status}`);
        expect(outcome.value.every((result) => result.outcome === 'updated')).toBe(true);
        writes += 1;
      }
      return writes;
    };
    try {
      const writing = workers.map(write);
      const outcome = await sync({ pimHost: app.pimHost, timeLeftMs: () => 10 * 60_000 }).finally(() => {
        syncing = false;
      });
      const writes = await Promise.all(writing);

      expect(writes.every((count) => count >= 1)).toBe(true);
      expect(app.sandbox.apiStats.statuses['429']).toBeUndefined();
      expect(app.sandbox.apiStats.maxConcurrentPerToken).toEqual({ [tokenKey(accessToken)]: 4 });
      expect(outcome).toMatchObject({ kind: 'completed', productCount: PRODUCTS });
      if (outcome.kind !== 'completed') return;
      expect(exportedUuids(outcome.runId).size).toBe(PRODUCTS);
    } finally {
      app.sandbox.setApiLatency(0);
    }
  });

  async function readAllUuids(pims: PimAccess): Promise<string[]> {
    const outcome = await pims.withPim(app.pimHost, async (pim) => {
      const uuids: string[] = [];
      for await (const page of pim.list('/api/rest/v1/products-uuid')) {
        uuids.push(...page.items.map((item) => (item as { uuid: string }).uuid));
      }
      return uuids;
    });
    if (outcome.status !== 'done') throw new Error(`Could not list the products: ${outcome.status}`);
    return outcome.value;
  }

  /** The distinct products in the run's parts, in the local export directory. */
  function exportedUuids(runId: string): Set<string> {
    const directory = join(app.config.dataDir, 'exports', pimHostKey(app.pimHost), 'products', runId);
    const lines = readdirSync(directory)
      .filter((name) => name.startsWith('part-'))
      .flatMap((name) => readFileSync(join(directory, name), 'utf8').split('\n').filter(Boolean));
    return new Set(lines.map((line) => (JSON.parse(line) as { uuid: string }).uuid));
  }
});
