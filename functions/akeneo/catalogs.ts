import { UnexpectedPimAnswerError } from '../core/errors';
import { withoutControlCharacters } from '../core/plain-text';
import { ProductAsSent } from '../core/product-as-sent';
import type { SecondRange } from '../core/second-ranges';
import { listItemSpans } from './list-items';
import { type ListPage, parseListPage } from './list-page';
import { parsePimJson } from './pim-json';
import { CatalogDisabledError } from './rest-errors';

/** Catalogs for Apps: the app's catalogs, each a product selection a PIM user makes and enables. */
export const CATALOGS_PATH = '/api/rest/v1/catalogs';

/** The most `GET /catalogs` lists in one page. */
export const CATALOG_LIST_PAGE_SIZE = 100;

/** The most `/catalogs/{id}/products` serves in one page. */
export const CATALOG_PRODUCT_PAGE_SIZE = 1000;

/** One catalog, as the PIM describes it. */
export interface CatalogDescription {
  readonly id: string;
  readonly name: string;
  readonly enabled: boolean;
}

export function catalogPath(id: string): string {
  return `${CATALOGS_PATH}/${encodeURIComponent(id)}`;
}

/** The PIM user's page for the catalog: its product selection, and the button that enables it. */
export function catalogSettingsUrl(pimUrl: string, id: string): string {
  return `${pimUrl}/connect/apps/v1/catalogs/${encodeURIComponent(id)}`;
}

/** The first page of the app's catalogs. */
export function catalogListPath(): string {
  return `${CATALOGS_PATH}?page=1&limit=${CATALOG_LIST_PAGE_SIZE}`;
}

const CATALOG_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A catalog as the PIM answers it (`GET`/`POST /catalogs`, or an item of the list); anything else is refused. */
export function parseCatalog(body: unknown): CatalogDescription {
  const catalog = body as { id?: unknown; name?: unknown; enabled?: unknown } | null;
  const { id, name, enabled } = catalog ?? {};
  if (typeof id !== 'string' || !CATALOG_ID.test(id) || typeof name !== 'string' || typeof enabled !== 'boolean') {
    throw new UnexpectedPimAnswerError('The PIM answered a catalog without an id, a name and a status');
  }
  return { id: id.toLowerCase(), name, enabled };
}

/**
 * The products of a catalog updated in the run's window: `updated_before` fixed at the run's start for the whole
 * walk (the pages come in UUID order, so a product updated meanwhile is left for the next run), `updated_after` the
 * window's start (none on a first sync). Akeneo takes both in ISO 8601 with an offset, whose `+` is encoded.
 */
export function catalogProductsUrl(
  pimUrl: string,
  catalogId: string,
  window: { readonly from?: string; readonly to: string },
): string {
  const query = new URLSearchParams({ limit: String(CATALOG_PRODUCT_PAGE_SIZE) });
  if (window.from !== undefined) query.set('updated_after', atomDateTime(window.from));
  query.set('updated_before', atomDateTime(window.to));
  return `${pimUrl}${catalogPath(catalogId)}/products?${query}`;
}

/**
 * The first page of a catalog's products updated in `range` (whole seconds, both ends included) within the run's
 * window: the part of a first sync split by `updated` (see `second-ranges.ts`). With `searchAfter` (a product's UUID,
 * the cursor of every catalog listing), the range starts after that product, as Akeneo's own next links do.
 */
export function catalogProductsInRangeUrl(
  pimUrl: string,
  catalogId: string,
  window: { readonly from?: string; readonly to: string },
  range: SecondRange,
  searchAfter?: string,
): string {
  const query = new URLSearchParams(searchAfter === undefined ? {} : { search_after: searchAfter });
  query.set('limit', String(CATALOG_PRODUCT_PAGE_SIZE));
  setUpdatedBounds(query, window, range);
  return `${pimUrl}${catalogPath(catalogId)}/products?${query}`;
}

/**
 * A count of the catalog's products updated at or before `second` within the window (all of them without it), at the
 * cost of one uuid: `items_count` of a page of one, asked `with_count` (SaaS counts; a PIM that does not leaves the
 * run to one cursor).
 */
export function catalogProductCountUrl(
  pimUrl: string,
  catalogId: string,
  window: { readonly from?: string; readonly to: string },
  second?: number,
): string {
  const query = new URLSearchParams({ limit: '1', with_count: 'true' });
  setUpdatedBounds(query, window, second === undefined ? {} : { to: second });
  return `${pimUrl}${catalogPath(catalogId)}/product-uuids?${query}`;
}

/**
 * Akeneo's catalog query reads `updated_after` alone as `>`, `updated_before` alone as `<`, and the two together as a
 * BETWEEN with both ends included. A range without a start (or before it) keeps the window's (none on a first sync),
 * one without an end (or past it) keeps the window's end.
 */
function setUpdatedBounds(
  query: URLSearchParams,
  window: { readonly from?: string; readonly to: string },
  range: SecondRange,
): void {
  // Cuts outside the window are kept to it: before its start they would read an earlier run's products again, past
  // its end products updated during the walk.
  const windowFrom = window.from === undefined ? undefined : epochSecond(window.from);
  const from =
    range.from === undefined || windowFrom === undefined
      ? (range.from ?? windowFrom)
      : Math.max(range.from, windowFrom);
  const to = range.to === undefined ? undefined : Math.min(range.to, epochSecond(window.to));
  if (from !== undefined) {
    query.set('updated_after', atomDateTime(secondIso(from)));
    query.set('updated_before', atomDateTime(to === undefined ? window.to : secondIso(to)));
    return;
  }
  query.set('updated_before', atomDateTime(to === undefined ? window.to : secondIso(to + 1)));
}

/** The whole second of an ISO date, as `atomDateTime` writes it. */
function epochSecond(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

function secondIso(second: number): string {
  return new Date(second * 1000).toISOString();
}

/** PHP's DATE_ATOM, as the catalog endpoints read a date: `2026-11-28T12:00:00+00:00` (whole seconds, UTC). */
export function atomDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a date: ${iso}`);
  return `${date.toISOString().slice(0, 19)}+00:00`;
}

/**
 * A page of a catalog's products. A disabled catalog answers HTTP 200 with `{"error": "No products to
 * synchronize. …"}` (`message` on some endpoints) instead of a page: `CatalogDisabledError`, never an empty page.
 */
export function parseCatalogProductPage(body: unknown): ListPage {
  const answer = body as { _embedded?: unknown; error?: unknown; message?: unknown } | null;
  if (answer !== null && typeof answer === 'object' && answer._embedded === undefined) {
    const said = typeof answer.error === 'string' ? answer.error : answer.message;
    if (typeof said === 'string') throw new CatalogDisabledError(plainMessage(said));
  }
  return parseListPage(body, 'catalog product page');
}

/**
 * The same from the answer's text, product by product: each product is parsed on its own and kept as its JSON text
 * (`ProductAsSent`), so that no page of parsed products outlives its parse (1,000 products a page). The rest of the
 * answer (its links, or the disabled catalog's error) is parsed with the items taken out; a text this cannot read
 * that way is parsed whole, which says what is wrong with it.
 */
export function parseCatalogProductPageText(text: string): ListPage {
  const spans = listItemSpans(text);
  const frame = spans && parsePimJson(text.slice(0, spans.open) + text.slice(spans.close));
  const emptied = (frame as { _embedded?: { items?: unknown } } | undefined)?._embedded?.items;
  // A second `_embedded` would be the one JSON.parse keeps: the page is then parsed whole.
  if (spans === undefined || !Array.isArray(emptied) || emptied.length > 0) {
    const page = parseCatalogProductPage(parsePimJson(text));
    return { ...page, items: page.items.map(ProductAsSent.of) };
  }
  const page = parseCatalogProductPage(frame);
  return { ...page, items: spans.items.map(([start, end]) => ProductAsSent.of(parsePimJson(text.slice(start, end)))) };
}

/** The PIM's words, kept to one short line: they go into the connection's status, printed to terminals. */
function plainMessage(text: string): string {
  const plain = withoutControlCharacters(text).replace(/\s+/g, ' ').trim();
  return plain === '' ? 'the PIM gave no reason' : plain.slice(0, 300);
}
