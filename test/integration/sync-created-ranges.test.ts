import fc from 'fast-check';
import type { SyncCheckpoint } from '../../functions/core/connection';
import type { FirstSyncSplit } from '../../functions/use-cases/plan-first-sync';
import { type SyncOutcome, syncProducts } from '../../functions/use-cases/sync-products';
import type { SandboxPim } from '../../sandbox';
import { apiGet, connectApp, startSandboxWithApp } from '../sandbox/sandbox-helpers';
import { syncTestBed } from '../support/sync-test-bed';

const SPLIT: FirstSyncSplit = { maxRanges: 4, minPages: 1, probeRounds: 3 };

interface ProductItem {
  readonly uuid: string;
  readonly created: string;
}

/** Products added in one second of the sandbox's clock, `offset` seconds from where the previous group was added. */
interface CreatedGroup {
  readonly offset: number;
  readonly count: number;
}

/**
 * A first sync split into `created` ranges, over real HTTP against the sandbox PIM (its `created` filter and
 * `with_count`), with the connection and its checkpoints in DynamoDB Local and the parts in a local directory.
 */
describe('a first sync split into created ranges', () => {
  const bed = syncTestBed('created-ranges-');

  /** A sandbox PIM with `generated` products (created over 90 days) and groups of products created in one second. */
  async function sandboxWith(generated: number, groups: readonly CreatedGroup[]) {
    const { pim, app } = await startSandboxWithApp({ productCount: generated });
    for (const group of groups) {
      pim.advanceClock(group.offset);
      pim.addProducts(group.count);
    }
    const token = (await connectApp(pim, app, 'read_products')).access_token;
    return { pim, token };
  }

  /** Every product of the PIM, read by one cursor. */
  async function catalogOf(pim: SandboxPim, token: string): Promise<ProductItem[]> {
    const items: ProductItem[] = [];
    let next: string | undefined = '/api/rest/v1/products-uuid?pagination_type=search_after&limit=100';
    while (next) {
      const page = (await apiGet(pim, next, token)).body as {
        _links: { next?: { href: string } };
        _embedded: { items: ProductItem[] };
      };
      items.push(...page._embedded.items);
      next = page._links.next?.href;
    }
    return items;
  }

  const saveConnection = (pim: SandboxPim, token: string, extra: Record<string, unknown> = {}) =>
    bed.saveConnection(pim, token, { extra });

  /** Runs the first sync to its end; with `onePagePerStep`, each invocation reads one page per range. */
  async function firstSync(
    pim: SandboxPim,
    token: string,
    { onePagePerStep = false, split = SPLIT, onPage = (): void => undefined, stepMs = 60_000 } = {},
  ) {
    const pimHost = await saveConnection(pim, token);
    const checkpoints: SyncCheckpoint[] = [];
    const step = syncProducts({
      ...bed.stepBase({ checkpoints }),
      reserveMs: onePagePerStep ? 1_000 : 0,
      firstSyncSplit: split,
      onPage,
    });
    const timeLeftMs = () => (onePagePerStep ? 999 : stepMs);
    let outcome: SyncOutcome = await step({ pimHost, timeLeftMs });
    const outcomes = [outcome];
    let steps = 1;
    while (outcome.kind === 'continued') {
      outcome = await step({ pimHost, runId: outcome.runId, timeLeftMs });
      outcomes.push(outcome);
      steps += 1;
    }
    if (outcome.kind !== 'completed') throw new Error(`Expected a completed run, got ${JSON.stringify(outcome)}`);
    const uuids = bed.exportedUuids(pimHost, outcome);
    const connection = await bed.store.get(pimHost);
    return { outcome, outcomes, uuids, steps, checkpoints, connection };
  }

  it('exports every product exactly once whatever the creation dates, many in one second included, across continuations', async () => {
    let split = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        // Products spread over 90 days beside the groups: enough for every first sync to be split.
        fc.integer({ min: 200, max: 400 }),
        fc.array(
          fc.record({ offset: fc.integer({ min: -100_000, max: 100_000 }), count: fc.integer({ min: 1, max: 250 }) }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.boolean(),
        async (generated, groups, onePagePerStep) => {
          const { pim, token } = await sandboxWith(generated, groups);
          try {
            const catalog = await catalogOf(pim, token);
            const { outcome, uuids } = await firstSync(pim, token, { onePagePerStep });

            expect(new Set(uuids).size).toBe(uuids.length);
            expect([...uuids].sort()).toEqual(catalog.map((item) => item.uuid).sort());
            expect(outcome).toMatchObject({ productCount: catalog.length });
            expect(pim.apiStats.maxConcurrent).toBeLessThanOrEqual(SPLIT.maxRanges);
            runs += 1;
            if (readsRanges(pim)) split += 1;
          } finally {
            await pim.close();
          }
        },
      ),
      { numRuns: 12 },
    );
    // The property is about split walks: each of its catalogs must have been split.
    expect(runs).toBe(12);
    expect(split).toBe(runs);
  });

  /**
   * Whether the run's product pages were asked under more than one `created` search: one cursor asks every page with
   * the same (none on a first sync); a split walk asks each range's own.
   */
  function readsRanges(pim: SandboxPim): boolean {
    const searches = new Set(
      pim.apiStats.recentRequests
        .map((request) => new URL(request, 'http://sandbox'))
        .filter((url) => url.searchParams.get('pagination_type') === 'search_after')
        .map((url) => url.searchParams.get('search')),
    );
    return searches.size > 1;
  }

  it('with a third of the catalog created in one second, walks 4 ranges side by side and resumes every open range after each continuation', async () => {
    const { pim, token } = await sandboxWith(400, [
      { offset: 0, count: 300 },
      { offset: 7, count: 200 },
    ]);
    try {
      const catalog = await catalogOf(pim, token);
      pim.setApiLatency(20);
      pim.resetApiStats();
      const { uuids, steps, checkpoints, connection, outcome } = await firstSync(pim, token, { onePagePerStep: true });

      expect(uuids).toHaveLength(catalog.length);
      expect(new Set(uuids)).toEqual(new Set(catalog.map((item) => item.uuid)));
      expect(checkpoints[0]?.rangeLinks).toHaveLength(4);
      expect(checkpoints[0]?.nextUrl).toBe(checkpoints[0]?.rangeLinks?.[0]);
      // Each continued step read one page of every range still open: ranges end, none is dropped before its end.
      for (const [index, checkpoint] of checkpoints.entries()) {
        const before = checkpoints[index - 1]?.rangeLinks?.length ?? 4;
        expect(checkpoint.rangeLinks?.length).toBeLessThanOrEqual(before);
        for (const link of checkpoint.rangeLinks ?? []) expect(decodeURIComponent(link)).toContain('"created"');
      }
      expect(steps).toBe(checkpoints.length + 1);
      expect(pim.apiStats.maxConcurrent).toBeGreaterThan(1);
      expect(pim.apiStats.maxConcurrent).toBeLessThanOrEqual(4);
      // The cursor after a first sync is the run's start, as for a single cursor; the checkpoint is gone.
      expect(connection?.syncCheckpoint).toBeUndefined();
      expect(connection?.syncCursor).toBeDefined();
      expect(outcome).toMatchObject({ kind: 'completed', productCount: catalog.length });
    } finally {
      await pim.close();
    }
  });

  it('stops every range when the PIM asks for a wait longer than the time left, and the continuation resumes them all', async () => {
    const { pim, token } = await sandboxWith(600, [{ offset: 0, count: 200 }]);
    try {
      const catalog = await catalogOf(pim, token);
      let injected = false;
      // Once the walk has written its first part, the PIM's next answer is a 429 asking for 120 s.
      const onPage = () => {
        if (injected) return;
        injected = true;
        pim.injectApiFaults([{ kind: 'rate-limit', retryAfterSeconds: 120 }]);
      };
      // 20 s left: the wait (capped at 60 s) is longer, so the run continues in another invocation instead.
      const { outcomes, uuids, checkpoints } = await firstSync(pim, token, { onPage, stepMs: 20_000 });

      expect(outcomes[0]).toMatchObject({ kind: 'continued', reason: 'rate-limited' });
      expect(checkpoints[0]?.rangeLinks?.length).toBeGreaterThan(1);
      expect(outcomes.at(-1)).toMatchObject({ kind: 'completed', productCount: catalog.length });
      expect(uuids).toHaveLength(catalog.length);
      expect(new Set(uuids)).toEqual(new Set(catalog.map((item) => item.uuid)));
    } finally {
      await pim.close();
    }
  });

  it('falls back to one cursor when the PIM asks for a long wait while the first sync is planned', async () => {
    const { pim, token } = await sandboxWith(500, []);
    try {
      const catalog = await catalogOf(pim, token);
      // The first answer of the run (its first page or its count, asked for side by side) is a 429 asking for 120 s.
      pim.injectApiFaults([{ kind: 'rate-limit', retryAfterSeconds: 120 }]);
      const { outcomes, uuids, checkpoints } = await firstSync(pim, token, { stepMs: 20_000 });

      expect(outcomes).toEqual([expect.objectContaining({ kind: 'completed', productCount: catalog.length })]);
      expect(checkpoints).toEqual([]);
      expect(uuids).toHaveLength(catalog.length);
      expect(new Set(uuids)).toEqual(new Set(catalog.map((item) => item.uuid)));
    } finally {
      await pim.close();
    }
  });

  it('refuses a checkpoint whose range link names another host, before any request', async () => {
    const { pim, token } = await sandboxWith(10, []);
    try {
      const own = `${pim.url}/api/rest/v1/products-uuid?pagination_type=search_after&limit=100`;
      const elsewhere = 'http://pim.elsewhere.example/api/rest/v1/products-uuid?pagination_type=search_after&limit=100';
      const run = { runId: '20261128T120000Z-abcdef', startedAt: '2026-11-28T12:00:00.000Z' };
      const syncCheckpoint = { ...run, window: { to: run.startedAt }, nextUrl: own, rangeLinks: [own, elsewhere] };
      const pimHost = await saveConnection(pim, token, { syncCheckpoint });
      pim.resetApiStats();
      const step = syncProducts({ ...bed.stepBase(), reserveMs: 0, firstSyncSplit: SPLIT });

      const outcome = await step({ pimHost, runId: run.runId, timeLeftMs: () => 60_000 });

      expect(outcome).toMatchObject({ kind: 'pim_url_mismatch', marked: true });
      expect(pim.apiStats.requests).toBe(0);
    } finally {
      await pim.close();
    }
  });

  it('keeps one cursor for a catalog smaller than the split threshold, reusing the first page it read', async () => {
    const { pim, token } = await sandboxWith(150, []);
    try {
      pim.resetApiStats();
      const { uuids, checkpoints } = await firstSync(pim, token, { split: { ...SPLIT, minPages: 2 } });

      expect(new Set(uuids).size).toBe(150);
      expect(uuids).toHaveLength(150);
      expect(checkpoints).toEqual([]);
      // One count and two pages: the first page, asked for beside the count, is not read again.
      expect(pim.apiStats.requests).toBe(3);
    } finally {
      await pim.close();
    }
  });
});
