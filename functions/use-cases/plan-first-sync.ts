import {
  CATALOG_PRODUCT_PAGE_SIZE,
  catalogProductCountUrl,
  catalogProductsInRangeUrl,
  catalogProductsUrl,
  parseCatalogProductPageText,
} from '../akeneo/catalogs';
import {
  itemsCountOf,
  PRODUCT_PAGE_SIZE,
  type ProductPage,
  parseProductPageText,
  productCountUrl,
  productsCreatedUrl,
  productsUrl,
} from '../akeneo/products';
import { RetryBeyondTimeLeftError } from '../akeneo/rest-errors';
import { createdSecondOf } from '../core/created-ranges';
import { type SecondRange, SecondSplit, secondOf, secondRanges } from '../core/second-ranges';
import { type PageRead, type PageSource, readPage } from './read-page';
import type { PageAlreadyRead } from './walk-ranges';

/** How a first sync is split into date ranges walked side by side. */
export interface FirstSyncSplit {
  /** Ranges at most: Akeneo serves 4 calls at once per connection, and each range has one call in flight. */
  readonly maxRanges: number;
  /**
   * A run of fewer pages than this is read by one cursor: the count probes would cost more round trips than the
   * ranges save. @default the source's own (`SplitSource.minPages`)
   */
  readonly minPages?: number;
  /**
   * Rounds of count probes (up to `maxRanges - 1` calls each, side by side) to even out the ranges. @default the
   * source's own (`SplitSource.probeRounds`)
   */
  readonly probeRounds?: number;
}

export const DEFAULT_FIRST_SYNC_SPLIT: FirstSyncSplit = { maxRanges: 4 };

/**
 * What the plan needs of one product source: every product by `created` (the REST products), or a catalog's
 * products by `updated` within the run's window (Catalogs for Apps filter on nothing else).
 */
export interface SplitSource {
  /** The first page of the single walk over every product of the run. */
  readonly firstUrl: string;
  /** Makes a page of the answer's text. */
  readonly parse: (text: string) => ProductPage;
  /** Products in a full page. */
  readonly pageSize: number;
  /** Pages from which a split pays for its planning (the first page read again, a count, one or two probe rounds). */
  readonly minPages: number;
  /** Rounds of count probes worth their round trips, given how large a sample the first page is. */
  readonly probeRounds: number;
  /** A count of the run's products dated at or before `second` (all of them without it), as `items_count`. */
  readonly countUrl: (second?: number) => string;
  /** The date the ranges are cut by, of one product, in epoch seconds. */
  readonly secondOf: (item: unknown) => number | undefined;
  /** The first page of the run's products dated in `range`. */
  readonly rangeUrl: (range: SecondRange) => string;
  /**
   * The same after the product whose cursor is `searchAfter`, for a source whose cursor means the same whatever the
   * filter (a catalog's listings: the product's UUID). A split then keeps the page it planned with as the run's first
   * part, and its ranges start after that page instead of reading its products again.
   */
  readonly rangeAfterUrl?: (range: SecondRange, searchAfter: string) => string;
}

/** Every product of the PIM, cut by `created`: a product's creation never changes. */
export function productsSplitSource(pimUrl: string): SplitSource {
  return {
    firstUrl: productsUrl(pimUrl),
    parse: parseProductPageText,
    pageSize: PRODUCT_PAGE_SIZE,
    minPages: 20,
    // 100 dates say little about where the quarters fall: the counts do.
    probeRounds: 4,
    countUrl: (second) => productCountUrl(pimUrl, second === undefined ? {} : { to: second }),
    secondOf: createdSecondOf,
    rangeUrl: (range) => productsCreatedUrl(pimUrl, range),
  };
}

/**
 * The products of the app's catalog updated in the run's window, cut by `updated` (the catalog's listings filter on
 * nothing else): the window ends at the run's start, so a product updated during the walk leaves every range at once
 * and the next run reads it.
 */
export function catalogSplitSource(
  pimUrl: string,
  catalogId: string,
  window: { readonly from?: string; readonly to: string },
): SplitSource {
  return {
    firstUrl: catalogProductsUrl(pimUrl, catalogId, window),
    parse: parseCatalogProductPageText,
    pageSize: CATALOG_PRODUCT_PAGE_SIZE,
    // Pages of 1,000 each cost the worker a split's planning many times over: 10 pages are read in about 4 round
    // trips after it, not 11.
    minPages: 10,
    // 1,000 dates put each cut within about 1.4 % of the catalog (a quantile's standard error): closer than a round
    // of probes is worth, while the worker's own time per page, not the ranges' lengths, bounds the walk.
    probeRounds: 0,
    countUrl: (second) => catalogProductCountUrl(pimUrl, catalogId, window, second),
    secondOf: (item) => secondOf(item, 'updated'),
    rangeUrl: (range) => catalogProductsInRangeUrl(pimUrl, catalogId, window, range),
    rangeAfterUrl: (range, searchAfter) => catalogProductsInRangeUrl(pimUrl, catalogId, window, range, searchAfter),
  };
}

export type FirstSyncPlan =
  /** One cursor over every product; `first` is its first page, already asked for. */
  | { readonly kind: 'single'; readonly first?: PageRead }
  /**
   * The first page of each range, in order of the date; with `firstPage` (the page the plan read, for a source with
   * `rangeAfterUrl`), each range starts after it.
   */
  | { readonly kind: 'split'; readonly links: readonly string[]; readonly firstPage?: PageAlreadyRead };

/**
 * Decides how a first sync reads the catalog. The first page of the ordinary walk and a count of every product are
 * asked for side by side: a small catalog (or one page) keeps that walk and its first page. Otherwise the page's
 * products, in uuid order, are a random draw of the dates, from which `SecondSplit` guesses where to cut and count
 * probes refine the cuts. A wait longer than the time left during the probes keeps what is known so far. A first page
 * that fails otherwise is left to the single walk, which tells what it means (a disabled catalog, say).
 */
export async function planFirstSync(
  pim: PageSource,
  split: FirstSyncSplit,
  source: SplitSource,
): Promise<FirstSyncPlan> {
  const first = readPage(pim, source.firstUrl, source.parse);
  const total = await countProducts(pim, source);
  if (total === undefined || total < (split.minPages ?? source.minPages) * source.pageSize || split.maxRanges < 2) {
    return { kind: 'single', first };
  }
  let page: ProductPage;
  try {
    page = await first.page;
    if (page.nextUrl === undefined) return { kind: 'single', first };
  } catch (error) {
    if (error instanceof RetryBeyondTimeLeftError) return { kind: 'single' };
    return { kind: 'single', first };
  }
  const sample = page.items.map(source.secondOf).filter((second): second is number => second !== undefined);
  const planner = new SecondSplit(total, sample, {
    parts: split.maxRanges,
    tolerance: Math.max(source.pageSize, total / 100),
  });
  for (let round = 0; round < (split.probeRounds ?? source.probeRounds); round += 1) {
    const probes = planner.nextProbes();
    if (probes.length === 0) break;
    const counts = await Promise.all(probes.map((second) => countProducts(pim, source, second)));
    if (counts.some((count) => count === undefined)) break;
    probes.forEach((second, index) => {
      planner.record({ second, count: counts[index] as number });
    });
  }
  const ranges = secondRanges(planner.boundaries());
  if (ranges.length < 2) return { kind: 'single', first };
  const cursor = searchAfterOf(page.nextUrl);
  if (source.rangeAfterUrl === undefined || cursor === undefined) {
    return { kind: 'split', links: ranges.map(source.rangeUrl) };
  }
  // The page holds the run's first products in cursor order, whatever their dates: what each range has before the
  // cursor is in it, and the rest comes after.
  const { rangeAfterUrl } = source;
  return {
    kind: 'split',
    links: ranges.map((range) => rangeAfterUrl(range, cursor)),
    firstPage: { url: first.url, page },
  };
}

/** The cursor of a next link (`search_after`), as the PIM wrote it. */
function searchAfterOf(nextUrl: string): string | undefined {
  if (!URL.canParse(nextUrl)) return undefined;
  return new URL(nextUrl).searchParams.get('search_after') ?? undefined;
}

/**
 * The products dated at or before `second` (all of them without it); undefined when the PIM did not count, or asked
 * for a wait longer than the time left: the plan then goes without this count.
 */
async function countProducts(pim: PageSource, source: SplitSource, second?: number): Promise<number | undefined> {
  try {
    return itemsCountOf(await pim.follow(source.countUrl(second), {}));
  } catch (error) {
    if (error instanceof RetryBeyondTimeLeftError) return undefined;
    throw error;
  }
}
