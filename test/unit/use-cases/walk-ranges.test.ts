import type { ListPage } from '../../../functions/akeneo/list-page';
import { RunLedger } from '../../../functions/core/sync-run';
import type { PageSource } from '../../../functions/use-cases/read-page';
import { walkRanges } from '../../../functions/use-cases/walk-ranges';

const PIM = 'https://pim.example.com';
const link = (name: string) => `${PIM}/api/rest/v1/catalogs/c/products?page=${name}`;

/** A PIM that answers each page at once: range a has pages a1 to a3, range b one page. */
const pages: Record<string, ListPage> = {
  [link('a1')]: { items: [{ uuid: 'a1' }], nextUrl: link('a2') },
  [link('a2')]: { items: [{ uuid: 'a2' }], nextUrl: link('a3') },
  [link('a3')]: { items: [{ uuid: 'a3' }] },
  [link('b1')]: { items: [{ uuid: 'b1' }] },
};
const pim: PageSource = {
  baseUrl: PIM,
  follow: async () => {
    throw new Error('The walk reads pages as text');
  },
  followText: async (url) => {
    const page = pages[url];
    if (page === undefined) throw new Error(`No page at ${url}`);
    return JSON.stringify(page);
  },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The walk over a fake PIM and a fake sink whose timing the tests set: they are about the order of the walk's own
 * steps, which the sync tests over HTTP (catalog-split, sync-created-ranges) cannot provoke on purpose.
 */
describe('a walk of ranges side by side', () => {
  const run = { runId: 'r', startedAt: '2026-01-01T00:00:00.000Z', window: { to: '2026-01-01T00:00:00.000Z' } };
  const walkWith = (writePart: (partNumber: number, products: readonly unknown[]) => Promise<void>) =>
    walkRanges({
      pim,
      ledger: new RunLedger('pim.example.com', { ...run, nextUrl: link('a1') }),
      links: [link('a1'), link('b1')],
      enoughTime: () => true,
      parse: (text) => JSON.parse(text) as ListPage,
      writePart,
    });

  it('throws a part the sink refused only once the part its range had begun meanwhile is in', async () => {
    const settled: string[] = [];
    const walking = walkWith(async (_partNumber, products) => {
      const [{ uuid }] = products as [{ uuid: string }];
      // a1 is refused after a2 has begun; a2 takes longer than anything else.
      await sleep(uuid === 'a1' ? 20 : uuid === 'a2' ? 150 : 1);
      settled.push(uuid);
      if (uuid === 'a1') throw new Error('The sink refused a1');
    });

    await expect(walking).rejects.toThrow('The sink refused a1');
    expect(settled).toContain('a2');
    expect(settled).not.toContain('a3');
  });

  it('has at most two parts of a range being written at once, and writes every page once', async () => {
    let writing = 0;
    let most = 0;
    const written: string[] = [];
    const end = await walkWith(async (_partNumber, products) => {
      writing += 1;
      most = Math.max(most, writing);
      await sleep(30);
      written.push((products as [{ uuid: string }])[0].uuid);
      writing -= 1;
    });

    expect(end).toEqual({ kind: 'done' });
    expect(written.sort()).toEqual(['a1', 'a2', 'a3', 'b1']);
    // Range a: two of its parts at once at most, and b's one beside them.
    expect(most).toBeLessThanOrEqual(3);
  });
});
