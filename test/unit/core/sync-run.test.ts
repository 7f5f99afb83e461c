import type { SyncCheckpoint } from '../../../functions/core/connection';
import { DEFAULT_RUN_LIMITS, linkFingerprint, RECENT_LINKS_KEPT, RunLedger } from '../../../functions/core/sync-run';

const HOST = 'pim.example.com';
const RUN: SyncCheckpoint = {
  runId: '20261128T120000Z-abcdef',
  startedAt: '2026-11-28T12:00:00.000Z',
  window: { to: '2026-11-28T12:00:00.000Z' },
  nextUrl: `https://${HOST}/api/rest/v1/products-uuid?limit=100`,
};
const page = (n: number) => `https://${HOST}/api/rest/v1/products-uuid?limit=100&search_after=${n}`;

describe('RunLedger', () => {
  it('keeps equal parts as one run of counts, and numbers the parts in order', () => {
    const ledger = new RunLedger(HOST, RUN);

    const numbers = [100, 100, 100, 37].map((count, index) => ledger.pageRead(page(index), count));

    expect(numbers).toEqual([1, 2, 3, 4]);
    expect(ledger.pageRead(page(4), 0)).toBeUndefined();
    expect(ledger.partCounts()).toEqual([100, 100, 100, 37]);
    expect(ledger).toMatchObject({ parts: 4, productCount: 337, pages: 5 });
    expect(ledger.checkpoint(page(5))).toMatchObject({
      nextUrl: page(5),
      partRuns: [
        [100, 3],
        [37, 1],
      ],
      pages: 5,
    });
  });

  it('resumes a checkpoint written before runs of counts existed (one number per part)', () => {
    const ledger = new RunLedger(HOST, { ...RUN, partCounts: [100, 100, 50] });

    expect(ledger).toMatchObject({ parts: 3, productCount: 250, pages: 3 });
    expect(ledger.pageRead(page(9), 100)).toBe(4);
    const checkpoint = ledger.checkpoint(page(10));
    expect(checkpoint.partCounts).toBeUndefined();
    expect(checkpoint.partRuns).toEqual([
      [100, 2],
      [50, 1],
      [100, 1],
    ]);
  });

  it('refuses a next link to a page already read, in this step or (for the last few) before a checkpoint', () => {
    const ledger = new RunLedger(HOST, RUN);
    ledger.pageRead(page(1), 100);
    ledger.pageRead(page(2), 100);

    expect(() => ledger.checkNext(page(1))).toThrow(
      expect.objectContaining({ code: 'pagination_loop', pimHost: HOST, message: expect.stringContaining(HOST) }),
    );
    expect(ledger.mayRead(page(2))).toBe(false);
    expect(ledger.mayRead(page(3))).toBe(true);

    const resumed = new RunLedger(HOST, ledger.checkpoint(page(3)));
    expect(() => resumed.checkNext(page(2))).toThrow(expect.objectContaining({ code: 'pagination_loop' }));
  });

  it('keeps only the last few links in the checkpoint, as short fingerprints', () => {
    const ledger = new RunLedger(HOST, RUN);
    for (let n = 0; n < RECENT_LINKS_KEPT + 10; n += 1) ledger.pageRead(page(n), 100);

    const { recentLinks } = ledger.checkpoint(page(1_000));

    expect(recentLinks).toHaveLength(RECENT_LINKS_KEPT);
    expect(recentLinks?.at(-1)).toBe(linkFingerprint(page(RECENT_LINKS_KEPT + 9)));
    expect(recentLinks?.every((fingerprint) => /^[0-9a-f]{16}$/.test(fingerprint))).toBe(true);
  });

  it('ends a run at the page limit, at a link too long, or when its page sizes keep changing', () => {
    const limits = { maxPages: 3, maxPartRuns: 2, maxLinkLength: 200 };
    const ledger = new RunLedger(HOST, RUN, limits);
    ledger.pageRead(page(1), 100);
    ledger.pageRead(page(2), 100);
    expect(() => ledger.checkNext(`${page(3)}&${'x'.repeat(200)}`)).toThrow(/characters \(at most 200\)/);
    ledger.pageRead(page(3), 100);
    expect(() => ledger.checkNext(page(4))).toThrow(
      expect.objectContaining({ code: 'pagination_limit', message: expect.stringContaining('after 3 pages') }),
    );

    const uneven = new RunLedger(HOST, RUN, limits);
    uneven.pageRead(page(1), 100);
    uneven.pageRead(page(2), 99);
    expect(() => uneven.pageRead(page(3), 100)).toThrow(expect.objectContaining({ code: 'pagination_limit' }));
  });

  it("keeps the largest checkpoint the default limits allow far below DynamoDB's 400 KB item limit", () => {
    const ledger = new RunLedger(HOST, RUN);
    // Every part a different size, with counts and part numbers as long as they can be.
    for (let n = 0; n < DEFAULT_RUN_LIMITS.maxPartRuns; n += 1) ledger.pageRead(page(n), 1_000_000 + n);
    const longest = `https://${HOST}/?${'x'.repeat(DEFAULT_RUN_LIMITS.maxLinkLength - HOST.length - 10)}`;
    ledger.checkNext(longest);

    const checkpoint = ledger.checkpoint(longest);

    expect(checkpoint.partRuns).toHaveLength(DEFAULT_RUN_LIMITS.maxPartRuns);
    // JSON spells every number and bracket out: it is larger than DynamoDB's own measure of the same item.
    expect(Buffer.byteLength(JSON.stringify(checkpoint))).toBeLessThan(32 * 1024);
  });
});
