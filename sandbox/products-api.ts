import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticateApiRequest, hasAuthorizationScope } from './api-auth';
import { sendJson } from './http-helpers';
import type { Product, ProductCatalog } from './product-catalog';
import { MATCH_ALL, type ProductFilter, parseProductSearch } from './product-search';
import type { SandboxContext } from './sandbox-context';

const PRODUCTS_PATH = '/api/rest/v1/products-uuid';
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;
const MAX_OFFSET_ITEMS = 10_000;
const FORBIDDEN = { code: 403, message: 'Access forbidden. You are not allowed to list products.' };

type Pagination =
  | { type: 'search_after'; limit: number; after: string | undefined }
  | { type: 'page'; limit: number; page: number; withCount: boolean };

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function parsePagination(query: URLSearchParams): Parsed<Pagination> {
  const rawLimit = query.get('limit');
  const limit = rawLimit === null ? DEFAULT_LIMIT : /^\d+$/.test(rawLimit) ? Number(rawLimit) : 0;
  if (limit < 1) return { ok: false, message: `"${rawLimit}" is not a valid limit number.` };
  if (limit > MAX_LIMIT) return { ok: false, message: `You cannot request more than ${MAX_LIMIT} items.` };
  const type = query.get('pagination_type') ?? 'page';
  if (type === 'search_after') {
    return { ok: true, value: { type, limit, after: query.get('search_after')?.toLowerCase() } };
  }
  if (type !== 'page') return { ok: false, message: 'Pagination type does not exist.' };
  const rawPage = query.get('page');
  const page = rawPage === null ? 1 : /^\d+$/.test(rawPage) ? Number(rawPage) : 0;
  if (page < 1) return { ok: false, message: `"${rawPage}" is not a valid page number.` };
  if ((page - 1) * limit >= MAX_OFFSET_ITEMS) {
    return {
      ok: false,
      message:
        'You have reached the maximum number of pages you can retrieve with the "page" pagination type. ' +
        'Please use the search after pagination type instead',
    };
  }
  const withCount = query.get('with_count') ?? 'false';
  if (withCount !== 'true' && withCount !== 'false') {
    return {
      ok: false,
      message: `Parameter "with_count" has to be a boolean. Only "true" or "false" allowed, "${withCount}" given.`,
    };
  }
  return { ok: true, value: { type, limit, page, withCount: withCount === 'true' } };
}

function link(baseUrl: string, path: string, query: URLSearchParams, extra: Record<string, string> = {}) {
  const params = new URLSearchParams(query);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const search = params.toString();
  return { href: `${baseUrl}${path}${search ? `?${search}` : ''}` };
}

function withItemLink(baseUrl: string, product: Product) {
  return { _links: { self: { href: `${baseUrl}${PRODUCTS_PATH}/${product.uuid}` } }, ...product };
}

/** Up to `limit` matching products after `skip` matches, in uuid order; `total` counts all matches when asked. */
function collect(
  catalog: ProductCatalog,
  filter: ProductFilter,
  options: { after?: string; skip?: number; limit: number; countAll?: boolean },
): { refs: number[]; total: number } {
  const refs: number[] = [];
  const skip = options.skip ?? 0;
  let total = 0;
  catalog.scan(options.after, (ref) => {
    if (filter !== MATCH_ALL && !filter(ref)) return true;
    total += 1;
    if (total > skip && refs.length < options.limit) refs.push(ref);
    return options.countAll === true || refs.length < options.limit;
  });
  return { refs, total };
}

function listBody(context: SandboxContext, request: URLSearchParams, pagination: Pagination, filter: ProductFilter) {
  const { baseUrl, products } = context;
  const base = new URLSearchParams(request);
  base.delete('page');
  base.delete('search_after');
  base.set('limit', String(pagination.limit));
  const render = (refs: number[]) => refs.map((ref) => withItemLink(baseUrl, products.product(ref)));
  if (pagination.type === 'search_after') {
    const { refs } = collect(products, filter, { after: pagination.after, limit: pagination.limit });
    const items = render(refs);
    const last = items.at(-1);
    const self: Record<string, string> = pagination.after === undefined ? {} : { search_after: pagination.after };
    return {
      _links: {
        self: link(baseUrl, PRODUCTS_PATH, base, self),
        first: link(baseUrl, PRODUCTS_PATH, base),
        ...(last && items.length === pagination.limit
          ? { next: link(baseUrl, PRODUCTS_PATH, base, { search_after: last.uuid }) }
          : {}),
      },
      _embedded: { items },
    };
  }
  const { page, limit } = pagination;
  const skip = (page - 1) * limit;
  const { refs, total } = collect(products, filter, { skip, limit, countAll: pagination.withCount });
  const items = render(refs);
  return {
    _links: {
      self: link(baseUrl, PRODUCTS_PATH, base, { page: String(page) }),
      first: link(baseUrl, PRODUCTS_PATH, base, { page: '1' }),
      ...(page > 1 ? { previous: link(baseUrl, PRODUCTS_PATH, base, { page: String(page - 1) }) } : {}),
      ...(items.length === limit ? { next: link(baseUrl, PRODUCTS_PATH, base, { page: String(page + 1) }) } : {}),
    },
    current_page: page,
    ...(pagination.withCount ? { items_count: total } : {}),
    _embedded: { items },
  };
}

/** Authenticates and checks the read_products ACL; answers the error itself and returns false when refused. */
function authorizeProductRead(context: SandboxContext, request: IncomingMessage, response: ServerResponse): boolean {
  const authentication = authenticateApiRequest(request, context.store);
  if (!authentication.ok) {
    sendJson(response, authentication.status, authentication.body);
    return false;
  }
  if (!hasAuthorizationScope(context.store, authentication.clientId, 'read_products')) {
    sendJson(response, 403, FORBIDDEN);
    return false;
  }
  return true;
}

/** GET /api/rest/v1/products-uuid */
export function listProducts(
  context: SandboxContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): void {
  if (!authorizeProductRead(context, request, response)) return;
  const pagination = parsePagination(url.searchParams);
  if (!pagination.ok) {
    sendJson(response, 422, { code: 422, message: pagination.message });
    return;
  }
  const search = parseProductSearch(url.searchParams.get('search'), context.store.nowSeconds(), context.products);
  if (!search.ok) {
    sendJson(response, search.status, { code: search.status, message: search.message });
    return;
  }
  sendJson(response, 200, listBody(context, url.searchParams, pagination.value, search.filter));
}

/** GET /api/rest/v1/products-uuid/{uuid} */
export function getProduct(
  context: SandboxContext,
  request: IncomingMessage,
  response: ServerResponse,
  uuid: string,
): void {
  if (!authorizeProductRead(context, request, response)) return;
  const ref = context.products.find(uuid);
  if (ref === undefined) {
    const message = `Product "${uuid}" does not exist or you do not have permission to access it.`;
    sendJson(response, 404, { code: 404, message });
    return;
  }
  sendJson(response, 200, context.products.product(ref));
}

export const PRODUCT_ROUTE = new RegExp(`^${PRODUCTS_PATH}/([0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12})$`);
export { PRODUCTS_PATH };
