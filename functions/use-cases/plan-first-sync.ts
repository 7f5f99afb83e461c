import { itemsCountOf, PRODUCT_PAGE_SIZE, productCountUrl, productsCreatedUrl, productsUrl } from '../akeneo/products';
import { RetryBeyondTimeLeftError } from '../akeneo/rest-errors';
import { CreatedSplit, createdRanges, createdSecondOf } from '../core/created-ranges';
import { type PageRead, type PageSource, readPage } from './read-page';

/** How a first sync is split into `created` ranges walked side by side. */
export interface FirstSyncSplit {
  /** Ranges at most: Akeneo serves 4 calls at once per connection, and each range has one call in flight. */
  readonly maxRanges: number;
  /** A catalog smaller than this is read by one cursor: probing would cost more round trips than it saves. */
  readonly minProducts: number;
  /** Rounds of count probes (up to `maxRanges - 1` calls each, side by side) to even out the ranges. */
  readonly probeRounds: number;
}

export const DEFAULT_FIRST_SYNC_SPLIT: FirstSyncSplit = { maxRanges: 4, minProducts: 2_000, probeRounds: 4 };

export type FirstSyncPlan =
  /** One cursor over every product; `first` is its first page, already asked for. */
  | { readonly kind: 'single'; readonly first?: PageRead }
  /** The first page of each range, in order of `created`. */
  | { readonly kind: 'split'; readonly links: readonly string[] };

/**
 * Decides how a first sync reads the catalog. The first page of the ordinary walk and a count of every product are
 * asked for side by side: a small catalog (or one page) keeps that walk and its first page. Otherwise the page's
 * products, in uuid order, are a random draw of creation dates, from which `CreatedSplit` guesses where to cut and
 * count probes refine the cuts. A wait longer than the time left during the probes keeps what is known so far.
 */
export async function planFirstSync(pim: PageSource, split: FirstSyncSplit): Promise<FirstSyncPlan> {
  const first = readPage(pim, productsUrl(pim.baseUrl));
  const total = await countProducts(pim);
  if (total === undefined || total < split.minProducts || split.maxRanges < 2) return { kind: 'single', first };
  let sample: number[];
  try {
    const page = await first.page;
    if (page.nextUrl === undefined) return { kind: 'single', first };
    sample = page.items.map(createdSecondOf).filter((second): second is number => second !== undefined);
  } catch (error) {
    if (error instanceof RetryBeyondTimeLeftError) return { kind: 'single' };
    throw error;
  }
  const planner = new CreatedSplit(total, sample, {
    parts: split.maxRanges,
    tolerance: Math.max(PRODUCT_PAGE_SIZE, total / 100),
  });
  for (let round = 0; round < split.probeRounds; round += 1) {
    const probes = planner.nextProbes();
    if (probes.length === 0) break;
    const counts = await Promise.all(probes.map((second) => countProducts(pim, second)));
    if (counts.some((count) => count === undefined)) break;
    probes.forEach((second, index) => {
      planner.record({ second, count: counts[index] as number });
    });
  }
  const ranges = createdRanges(planner.boundaries());
  if (ranges.length < 2) return { kind: 'single', first };
  return { kind: 'split', links: ranges.map((range) => productsCreatedUrl(pim.baseUrl, range)) };
}

/**
 * The products created at or before `second` (all of them without it); undefined when the PIM did not count, or
 * asked for a wait longer than the time left: the plan then goes without this count.
 */
async function countProducts(pim: PageSource, second?: number): Promise<number | undefined> {
  const url = productCountUrl(pim.baseUrl, second === undefined ? {} : { to: second });
  try {
    return itemsCountOf(await pim.follow(url, {}));
  } catch (error) {
    if (error instanceof RetryBeyondTimeLeftError) return undefined;
    throw error;
  }
}
