import { akeneoDateTime } from '../core/sync-window';
import { UnexpectedPimAnswerError } from './rest-errors';

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

export interface ProductPage {
  readonly items: readonly unknown[];
  /** `_links.next.href`, followed as given (never built): absent on the last page. */
  readonly nextUrl?: string;
}

export function parseProductPage(body: unknown): ProductPage {
  const page = body as { _embedded?: { items?: unknown }; _links?: { next?: { href?: unknown } } } | null;
  const items = page?._embedded?.items;
  if (!Array.isArray(items)) throw new UnexpectedPimAnswerError('The PIM answered a product page without items');
  const next = page?._links?.next?.href;
  return { items, ...(typeof next === 'string' && next !== '' ? { nextUrl: next } : {}) };
}
