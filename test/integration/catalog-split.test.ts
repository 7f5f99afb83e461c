import fc from 'fast-check';
import { DynamoDbCatalogStore } from '../../functions/adapters/connection-store';
import type { SyncCheckpoint } from '../../functions/core/connection';
import type { FirstSyncSplit } from '../../functions/use-cases/plan-first-sync';
import { type SyncOutcome, syncProducts } from '../../functions/use-cases/sync-products';
import type { SandboxPim } from '../../sandbox';
import { FAMILY_CODES } from '../../sandbox/catalog-structure';
import { connectApp, startSandboxWithApp } from '../sandbox/sandbox-helpers';
import { syncTestBed } from '../support/sync-test-bed';

/**
 * Split from the first full page on (the default waits for 10 pages of 1,000: too large a sandbox for a test), cut
 * by the first page's dates alone as the catalog source does by default; `PROBED` refines the cuts with counts too.
 */
const SPLIT: FirstSyncSplit = { maxRanges: 4, minPages: 1 };
const PROBED: FirstSyncSplit = { ...SPLIT, probeRounds: 3 };
const SCOPES = 'read_products read_catalogs write_catalogs delete_catalogs';

/** Products touched in one second of the sandbox's clock, `offset` seconds after the previous group. */
interface TouchedGroup {
  readonly offset: number;
  readonly count: number;
}

/**
 * A first sync of the app's catalog split into `updated` ranges, over real HTTP against the sandbox PIM (its catalog
 * listings, `updated_after`/`updated_before`, `with_count` on product-uuids), the connection and its checkpoints in
 * DynamoDB Local, the parts in a local directory.
 */
describe("a first sync of the app's catalog split into updated ranges", () => {
  const bed = syncTestBed('catalog-split-');
  const catalogStore = new DynamoDbCatalogStore({ client: bed.documents, tableName: bed.tables.connectionsTableName });

  /**
   * A sandbox PIM with `generated` products (updated over 30 days) and groups touched in one second each, connected
   * with the catalog scopes; the sandbox's clock then moves on, and `now` follows it (the run's window ends there).
   */
  async function sandboxWith(generated: number, groups: readonly TouchedGroup[]) {
    const { pim, app } = await startSandboxWithApp({ productCount: generated });
    let advanced = 0;
    for (const group of groups) {
      pim.advanceClock(group.offset);
      advanced += group.offset;
      pim.touchProducts(group.count);
    }
    pim.advanceClock(5);
    advanced += 5;
    const token = (await connectApp(pim, app, SCOPES)).access_token;
    const now = () => new Date(Date.now() + advanced * 1000);
    return { pim, token, clientId: app.clientId, now };
  }

  const saveConnection = (pim: SandboxPim, token: string) =>
    bed.saveConnection(pim, token, { scopes: SCOPES.split(' ') });

  function syncStep(
    now: () => Date,
    checkpoints: SyncCheckpoint[],
    { onePagePerStep = false, onPage = (): void => undefined, split = SPLIT } = {},
  ) {
    const step = syncProducts({
      ...bed.stepBase({ now, checkpoints }),
      reserveMs: onePagePerStep ? 1_000 : 0,
      catalog: { name: 'Export', store: catalogStore, callTimeoutMs: 10_000, setupTimeoutMs: 40_000 },
      firstSyncSplit: split,
      onPage,
    });
    const timeLeftMs = () => (onePagePerStep ? 999 : 60_000);
    return (pimHost: string, runId?: string) => step({ pimHost, timeLeftMs, ...(runId ? { runId } : {}) });
  }

  /** Runs steps until the run ends; the uuids of every part of a completed run, in part order. */
  async function runToEnd(step: ReturnType<typeof syncStep>, pimHost: string) {
    let outcome: SyncOutcome = await step(pimHost);
    let steps = 1;
    while (outcome.kind === 'continued') {
      outcome = await step(pimHost, outcome.runId);
      steps += 1;
    }
    const uuids = outcome.kind === 'completed' ? bed.exportedUuids(pimHost, outcome) : [];
    return { outcome, steps, uuids };
  }

  /**
   * The connection's first step creates the app's catalog (disabled, as Akeneo creates it) and meets it disabled;
   * a PIM user then selects `families` and enables it.
   */
  async function enabledCatalog(pim: SandboxPim, clientId: string, pimHost: string, step: ReturnType<typeof syncStep>) {
    expect(await step(pimHost)).toMatchObject({ kind: 'catalog_disabled' });
    const [catalog] = pim.catalogs(clientId);
    if (catalog === undefined) throw new Error('The first step should have created the catalog');
    return catalog.id;
  }

  /**
   * Whether the run's product pages were asked under more than one `updated` window: one cursor asks every page with
   * the run's; a split walk asks each range's own.
   */
  function readsRanges(pim: SandboxPim): boolean {
    const windows = new Set(
      productPages(pim).map(
        (url) => `${url.searchParams.get('updated_after')} ${url.searchParams.get('updated_before')}`,
      ),
    );
    return windows.size > 1;
  }

  /** The product pages the run asked for. */
  function productPages(pim: SandboxPim): URL[] {
    return pim.apiStats.recentRequests
      .map((request) => new URL(request, 'http://sandbox'))
      .filter((url) => url.pathname.endsWith('/products'));
  }

  it('exports every selected product exactly once whatever the updated dates, many in one second included, across continuations', async () => {
    let split = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2_000, max: 6_000 }),
        fc.array(fc.record({ offset: fc.integer({ min: 0, max: 100_000 }), count: fc.integer({ min: 1, max: 600 }) }), {
          maxLength: 4,
        }),
        // Every family but at most one of the 4: over 1,000 products selected, so every run is split.
        fc.subarray([...FAMILY_CODES], { minLength: FAMILY_CODES.size - 1 }),
        fc.boolean(),
        async (generated, groups, families, onePagePerStep) => {
          const { pim, token, clientId, now } = await sandboxWith(generated, groups);
          try {
            const pimHost = await saveConnection(pim, token);
            const checkpoints: SyncCheckpoint[] = [];
            const step = syncStep(now, checkpoints, { onePagePerStep });
            const catalogId = await enabledCatalog(pim, clientId, pimHost, step);
            pim.setCatalogSelection(catalogId, { families, categories: [] });
            pim.enableCatalog(catalogId, true);
            const selected = pim.catalogProductUuids(catalogId);
            pim.resetApiStats();

            const { outcome, uuids } = await runToEnd(step, pimHost);

            expect(outcome).toMatchObject({ kind: 'completed', productCount: selected.length });
            expect(uuids).toHaveLength(selected.length);
            expect(new Set(uuids)).toEqual(new Set(selected));
            expect(pim.apiStats.maxConcurrent).toBeLessThanOrEqual(SPLIT.maxRanges);
            if (readsRanges(pim)) split += 1;
            // The page the plan read is the run's first part: no range reads its products again.
            expect(productPages(pim).filter((url) => !url.searchParams.has('search_after'))).toHaveLength(1);
            runs += 1;
            for (const link of checkpoints.flatMap((checkpoint) => checkpoint.rangeLinks ?? [])) {
              expect(new URL(link).pathname).toBe(`/api/rest/v1/catalogs/${catalogId}/products`);
              expect(new URL(link).searchParams.get('updated_before')).not.toBeNull();
            }
          } finally {
            await pim.close();
          }
        },
      ),
      { numRuns: 8 },
    );
    // The property is about split walks: each of its catalogs (over 1,000 products selected) must have been split.
    expect(runs).toBe(8);
    expect(split).toBe(runs);
  });

  it('walks up to 4 ranges side by side, cut with count probes, and resumes every open range after each continuation', async () => {
    const { pim, token, clientId, now } = await sandboxWith(6_000, [
      { offset: 60, count: 2_000 },
      { offset: 7, count: 1_000 },
    ]);
    try {
      const pimHost = await saveConnection(pim, token);
      const checkpoints: SyncCheckpoint[] = [];
      const step = syncStep(now, checkpoints, { onePagePerStep: true, split: PROBED });
      const catalogId = await enabledCatalog(pim, clientId, pimHost, step);
      pim.setCatalogSelection(catalogId, { families: [...FAMILY_CODES], categories: [] });
      pim.enableCatalog(catalogId, true);
      pim.setApiLatency(20);
      pim.resetApiStats();

      const { outcome, uuids, steps } = await runToEnd(step, pimHost);

      expect(outcome).toMatchObject({ kind: 'completed', productCount: 6_000 });
      expect(new Set(uuids)).toEqual(new Set(pim.catalogProductUuids(catalogId)));
      expect(uuids).toHaveLength(6_000);
      expect(checkpoints[0]?.rangeLinks?.length).toBeGreaterThan(1);
      for (const [index, checkpoint] of checkpoints.entries()) {
        const before = checkpoints[index - 1]?.rangeLinks?.length ?? 4;
        expect(checkpoint.rangeLinks?.length).toBeLessThanOrEqual(before);
      }
      expect(steps).toBe(checkpoints.length + 1);
      expect(pim.apiStats.maxConcurrent).toBeGreaterThan(1);
      expect(pim.apiStats.maxConcurrent).toBeLessThanOrEqual(4);
      const connection = await bed.store.get(pimHost);
      expect(connection?.syncCheckpoint).toBeUndefined();
      expect(connection?.syncCursorSource).toBe(`catalog:${catalogId}`);
    } finally {
      await pim.close();
    }
  });

  it('ends a split walk as catalog_disabled when the PIM user disables the catalog midway, and reads it all once enabled again', async () => {
    const { pim, token, clientId, now } = await sandboxWith(3_000, []);
    try {
      const pimHost = await saveConnection(pim, token);
      let catalogId = '';
      let disabled = false;
      // Once the walk has written its first part, the PIM user disables the catalog.
      const onPage = () => {
        if (disabled) return;
        disabled = true;
        pim.enableCatalog(catalogId, false);
      };
      const step = syncStep(now, [], { onPage });
      catalogId = await enabledCatalog(pim, clientId, pimHost, step);
      pim.setCatalogSelection(catalogId, { families: [...FAMILY_CODES], categories: [] });
      pim.enableCatalog(catalogId, true);

      const stopped = await runToEnd(step, pimHost);

      expect(disabled).toBe(true);
      expect(stopped.outcome).toMatchObject({ kind: 'catalog_disabled', catalogId });
      const afterStop = await bed.store.get(pimHost);
      expect(afterStop).toMatchObject({ syncStatus: 'catalog_disabled', catalogEnabled: false });
      expect(afterStop?.syncCursor).toBeUndefined();
      expect(afterStop?.syncCheckpoint).toBeUndefined();

      pim.enableCatalog(catalogId, true);
      const resumed = await runToEnd(step, pimHost);

      expect(resumed.outcome).toMatchObject({ kind: 'completed', productCount: 3_000 });
      expect(new Set(resumed.uuids)).toEqual(new Set(pim.catalogProductUuids(catalogId)));
      const afterRun = await bed.store.get(pimHost);
      expect(afterRun?.syncStatus).toBeUndefined();
      expect(afterRun?.catalogEnabled).toBe(true);
    } finally {
      await pim.close();
    }
  });

  it('keeps one cursor for an incremental run: no count, only the pages of what changed', async () => {
    const { pim, token, clientId, now } = await sandboxWith(2_000, []);
    try {
      const pimHost = await saveConnection(pim, token);
      const step = syncStep(now, []);
      const catalogId = await enabledCatalog(pim, clientId, pimHost, step);
      pim.setCatalogSelection(catalogId, { families: [...FAMILY_CODES], categories: [] });
      pim.enableCatalog(catalogId, true);
      expect((await runToEnd(step, pimHost)).outcome).toMatchObject({ kind: 'completed', productCount: 2_000 });
      pim.advanceClock(60);
      const touched = pim.touchProducts(1_500);
      pim.advanceClock(5);
      const later = () => new Date(now().getTime() + 65_000);
      pim.resetApiStats();

      const { outcome, uuids } = await runToEnd(syncStep(later, []), pimHost);

      expect(outcome).toMatchObject({ kind: 'completed' });
      expect(new Set(uuids)).toEqual(new Set(touched));
      // Two pages of 1,000 (the second partly full), read by one cursor: no count asked, no range.
      expect(pim.apiStats.requests).toBe(2);
    } finally {
      await pim.close();
    }
  });
});
