import type { IncomingMessage, ServerResponse } from 'node:http';
import { authorizeCatalogCall, ownedCatalog } from './catalog-access';
import { validationFailed } from './catalog-payload';
import { isUuid, type ProductQuery, parseProductQuery, relativeLink, updatedWindow } from './catalog-product-query';
import { selectionFilter } from './catalog-selection';
import { sendJson } from './http-helpers';
import type { ProductCatalog } from './product-catalog';
import { MATCH_ALL, type ProductFilter } from './product-search';
import type { SandboxContext } from './sandbox-context';
import type { StoredCatalog } from './sandbox-state';

const CATALOG_SEGMENT = '([^/]+)';
export const CATALOG_PRODUCTS_ROUTE = new RegExp(`^/api/rest/v1/catalogs/${CATALOG_SEGMENT}/products$`);
export const CATALOG_PRODUCT_UUIDS_ROUTE = new RegExp(`^/api/rest/v1/catalogs/${CATALOG_SEGMENT}/product-uuids$`);
export const CATALOG_MAPPED_PRODUCTS_ROUTE = new RegExp(`^/api/rest/v1/catalogs/${CATALOG_SEGMENT}/mapped-products$`);
/** Two ids: the router hands over the catalog's; getCatalogProduct reads the product's from the path. */
export const CATALOG_PRODUCT_ROUTE = new RegExp(`^/api/rest/v1/catalogs/${CATALOG_SEGMENT}/products/([^/]+)$`);
const MAX_PRODUCT_LIMIT = 1000;
const MAX_MAPPED_PRODUCT_LIMIT = 100;

function disabledMessage(catalogId: string, wording: 'the PIM side' | 'PIM side'): string {
  return (
    `No products to synchronize. The catalog "${catalogId}" has been disabled on ${wording}. ` +
    'Note that you can get catalogs status with the GET /api/rest/v1/catalogs endpoint.'
  );
}

/** A 200 whose JSON text is already written (products are, one by one: see ProductCatalog.catalogItemJson). */
function sendJsonText(response: ServerResponse, json: string): void {
  response.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
    'cache-control': 'no-store',
  });
  response.end(json);
}

type Listing = { catalog: StoredCatalog; query: ProductQuery };

/**
 * The checks every listing makes, in Akeneo's order: 401, the catalogs then products ACLs (403), the catalog (404),
 * the query (422), then a disabled catalog's 200 with `disabledKey`. Undefined once one of them answered.
 */
function openListing(
  context: SandboxContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  id: string,
  options: { maxLimit: number; disabledKey: 'error' | 'message' },
): Listing | undefined {
  const clientId = authorizeCatalogCall(context, request, response, ['read_catalogs', 'read_products']);
  if (clientId === undefined) return undefined;
  const catalog = ownedCatalog(context, response, clientId, id);
  if (!catalog) return undefined;
  const query = parseProductQuery(url.searchParams, options.maxLimit);
  if (!query.ok) {
    sendJson(response, 422, validationFailed(query.violations));
    return undefined;
  }
  if (!catalog.enabled) {
    sendJson(response, 200, { [options.disabledKey]: disabledMessage(catalog.id, 'the PIM side') });
    return undefined;
  }
  return { catalog, query: query.value };
}

/** The selection within the query's updated window. */
function listingFilter(products: ProductCatalog, { catalog, query }: Listing): ProductFilter {
  const selected = selectionFilter(products, catalog);
  const window = updatedWindow(query, (ref) => products.updatedOf(ref));
  if (window === undefined) return selected;
  if (selected === MATCH_ALL) return window;
  return (ref) => selected(ref) && window(ref);
}

/** Up to `limit` references after the cursor, in uuid order: the scan stops as soon as the page is full. */
function pageRefs(products: ProductCatalog, filter: ProductFilter, { searchAfter, limit }: ProductQuery): number[] {
  const refs: number[] = [];
  products.scan(searchAfter, (ref) => {
    if (filter === MATCH_ALL || filter(ref)) refs.push(ref);
    return refs.length < limit;
  });
  return refs;
}

function countRefs(products: ProductCatalog, filter: ProductFilter): number {
  let count = 0;
  products.scan(undefined, (ref) => {
    if (filter === MATCH_ALL || filter(ref)) count += 1;
    return true;
  });
  return count;
}

/** `_links` as Akeneo writes them for these listings: `next` whenever the page is full, even if nothing follows. */
function pageLinks(path: string, query: ProductQuery, lastUuid: string | undefined, extra: [string, string][]) {
  const window: [string, string | undefined][] = [
    ['updated_after', query.updatedAfter?.text],
    ['updated_before', query.updatedBefore?.text],
    ...extra,
  ];
  return {
    self: relativeLink(path, [['search_after', query.searchAfter], ['limit', query.limit], ...window]),
    first: relativeLink(path, [['limit', query.limit], ...window]),
    ...(lastUuid !== undefined
      ? { next: relativeLink(path, [['search_after', lastUuid], ['limit', query.limit], ...window]) }
      : {}),
  };
}

function lastUuidOfFullPage(products: ProductCatalog, refs: readonly number[], limit: number): string | undefined {
  const last = refs.at(-1);
  return last !== undefined && refs.length >= limit ? products.uuidOf(last) : undefined;
}

/** GET /api/rest/v1/catalogs/{id}/products */
export function listCatalogProducts(
  context: SandboxContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  id: string,
): void {
  const listing = openListing(context, request, response, url, id, {
    maxLimit: MAX_PRODUCT_LIMIT,
    disabledKey: 'error',
  });
  if (!listing) return;
  const { products } = context;
  const refs = pageRefs(products, listingFilter(products, listing), listing.query);
  const last = lastUuidOfFullPage(products, refs, listing.query.limit);
  const path = `/api/rest/v1/catalogs/${listing.catalog.id}/products`;
  const links = JSON.stringify(pageLinks(path, listing.query, last, []));
  const items = refs.map((ref) => products.catalogItemJson(ref)).join(',');
  sendJsonText(response, `{"_links":${links},"_embedded":{"items":[${items}]}}`);
}

/** GET /api/rest/v1/catalogs/{id}/product-uuids, with SaaS's `with_count`. */
export function listCatalogProductUuids(
  context: SandboxContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  id: string,
): void {
  const listing = openListing(context, request, response, url, id, {
    maxLimit: MAX_PRODUCT_LIMIT,
    disabledKey: 'error',
  });
  if (!listing) return;
  const withCount = url.searchParams.get('with_count');
  if (withCount !== null && withCount !== 'true' && withCount !== 'false') {
    const message = `Parameter "with_count" has to be a boolean. Only "true" or "false" allowed, "${withCount}" given.`;
    sendJson(response, 422, { code: 422, message });
    return;
  }
  const { products } = context;
  const filter = listingFilter(products, listing);
  const refs = pageRefs(products, filter, listing.query);
  const last = lastUuidOfFullPage(products, refs, listing.query.limit);
  const extra: [string, string][] = withCount === null ? [] : [['with_count', withCount]];
  sendJson(response, 200, {
    _links: pageLinks(`/api/rest/v1/catalogs/${listing.catalog.id}/product-uuids`, listing.query, last, extra),
    ...(withCount === 'true' ? { items_count: countRefs(products, filter) } : {}),
    _embedded: { items: refs.map((ref) => products.uuidOf(ref)) },
  });
}

/**
 * GET /api/rest/v1/catalogs/{id}/mapped-products: the sandbox has no mapping schemas, so an enabled catalog answers
 * Akeneo's 200 "no product mapping schema" message, and a disabled one the disabled message under `message`.
 */
export function listMappedProducts(
  context: SandboxContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  id: string,
): void {
  const listing = openListing(context, request, response, url, id, {
    maxLimit: MAX_MAPPED_PRODUCT_LIMIT,
    disabledKey: 'message',
  });
  if (!listing) return;
  const message = 'Impossible to map products: no product mapping schema available for this catalog.';
  sendJson(response, 200, { message });
}

/** A path segment decoded; a malformed escape is kept as it is (it is no UUID either, so it gets the 422). */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** GET /api/rest/v1/catalogs/{id}/products/{uuid}: one product of the selection (Akeneo's GetProductAction). */
export function getCatalogProduct(
  context: SandboxContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  id: string,
): void {
  const uuid = decodedSegment(CATALOG_PRODUCT_ROUTE.exec(url.pathname)?.[2] ?? '');
  const clientId = authorizeCatalogCall(context, request, response, ['read_catalogs', 'read_products']);
  if (clientId === undefined) return;
  const notFound = (catalogId: string) =>
    `Either catalog "${catalogId}" does not exist or you can't access it, or product "${uuid}" does not exist or you do not have permission to access it.`;
  const catalog = ownedCatalog(context, response, clientId, id, notFound(id));
  if (!catalog) return;
  if (!catalog.enabled) {
    sendJson(response, 200, { error: disabledMessage(id, 'PIM side') });
    return;
  }
  if (!isUuid(uuid)) {
    sendJson(response, 422, validationFailed([{ property: 'product_uuid', message: 'This is not a valid UUID.' }]));
    return;
  }
  const { products } = context;
  const ref = products.find(uuid);
  if (ref === undefined || !selectionFilter(products, catalog)(ref)) {
    sendJson(response, 404, { code: 404, message: notFound(catalog.id) });
    return;
  }
  sendJsonText(response, products.catalogItemJson(ref));
}
