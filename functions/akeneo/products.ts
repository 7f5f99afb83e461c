import { createdConditions } from '../core/created-ranges';
import type { SecondRange } from '../core/second-ranges';
import { akeneoDateTime } from '../core/sync-window';
import { type ListPage, parseListPage } from './list-page';
import { parsePimJson } from './pim-json';

/** The most Akeneo serves in one page. */
export const PRODUCT_PAGE_SIZE = 100;

/** The first page of products updated after `updatedAfter` (all products without it), by search_after. */
export function productsUrl(pimUrl: string, updatedAfter?: string): string {
  const query = new URLSearchParams({ pagination_type: 'search_after', limit: String(PRODUCT_PAGE_SIZE) });
  if (updatedAfter !== undefined) {
    query.set('search', JSON.stringify({ updated: [{ operator: '>', value: akeneoDateTime(updatedAfter) }] }));
  }
  return `${pimUrl}/api/rest/v1/products-uuid?${query}`;
}

/** The first page of the products created in `range`, by search_after (every product for the whole range). */
export function productsCreatedUrl(pimUrl: string, range: SecondRange): string {
  const query = new URLSearchParams({ pagination_type: 'search_after', limit: String(PRODUCT_PAGE_SIZE) });
  const created = createdConditions(range);
  if (created.length > 0) query.set('search', JSON.stringify({ created }));
  return `${pimUrl}/api/rest/v1/products-uuid?${query}`;
}

/**
 * A count of the products created in `range` (all products without it), at the cost of one product: an offset page
 * of one with `with_count=true`, whose `items_count` is the count.
 */
export function productCountUrl(pimUrl: string, range: SecondRange = {}): string {
  const query = new URLSearchParams({ pagination_type: 'page', limit: '1', with_count: 'true' });
  const created = createdConditions(range);
  if (created.length > 0) query.set('search', JSON.stringify({ created }));
  return `${pimUrl}/api/rest/v1/products-uuid?${query}`;
}

/** The `items_count` of a page asked with `with_count=true`; undefined when the PIM did not count. */
export function itemsCountOf(body: unknown): number | undefined {
  const count = (body as { readonly items_count?: unknown } | null)?.items_count;
  return typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : undefined;
}

export type ProductPage = ListPage;

export function parseProductPage(body: unknown): ProductPage {
  return parseListPage(body, 'product page');
}

/** The same from the answer's text (pages of 100: parsed whole, as any answer). */
export function parseProductPageText(text: string): ProductPage {
  return parseProductPage(parsePimJson(text));
}

const NEXT_HREF = /"next"\s*:\s*\{\s*"href"\s*:\s*("(?:[^"\\]|\\.)*")/;

/**
 * The next page's link read off the start of a page's answer, before the rest of it has arrived: Akeneo writes
 * `_links` before `_embedded`. A string when found, null when the items have begun without one (the full parse
 * decides then), undefined while the head is too short to tell. Only ever a hint: the parsed page has the last word.
 */
export function nextLinkInHead(head: string): string | null | undefined {
  const items = head.indexOf('"_embedded"');
  const found = NEXT_HREF.exec(items === -1 ? head : head.slice(0, items));
  if (found?.[1] !== undefined) {
    try {
      const href: unknown = JSON.parse(found[1]);
      return typeof href === 'string' && href !== '' ? href : null;
    } catch {
      return null;
    }
  }
  return items === -1 ? undefined : null;
}
