import type { IncomingMessage, ServerResponse } from 'node:http';
import { authorizeCatalogCall, ownedCatalog } from './catalog-access';
import { readCatalogPayload, type Violation, validationFailed } from './catalog-payload';
import {
  addCatalog,
  catalogsOf,
  hasReachedCatalogLimit,
  MAX_CATALOGS_PER_APP,
  removeCatalog,
  updateCatalogFields,
} from './catalog-store';
import { sendJson } from './http-helpers';
import { phpIntCast } from './php-values';
import type { SandboxContext } from './sandbox-context';
import type { StoredCatalog } from './sandbox-state';

export const CATALOGS_PATH = '/api/rest/v1/catalogs';
export const CATALOG_ROUTE = /^\/api\/rest\/v1\/catalogs\/([^/]+)$/;
const DEFAULT_LIST_LIMIT = 100;
const MAX_LIST_LIMIT = 100;

/** One catalog as the API answers it (SaaS: with its managed currencies and locales, and its link). */
function catalogBody(baseUrl: string, catalog: StoredCatalog) {
  return {
    _links: { self: { href: `${baseUrl}${CATALOGS_PATH}/${catalog.id}` } },
    id: catalog.id,
    name: catalog.name,
    enabled: catalog.enabled,
    managed_currencies: catalog.managedCurrencies,
    managed_locales: catalog.managedLocales,
  };
}

function listLink(baseUrl: string, page: number, limit: number) {
  return { href: `${baseUrl}${CATALOGS_PATH}?page=${page}&limit=${limit}` };
}

/** GET /api/rest/v1/catalogs: the app's catalogs, page-numbered as Akeneo's OffsetHalPaginator writes them. */
export function listCatalogs(
  context: SandboxContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): void {
  const clientId = authorizeCatalogCall(context, request, response, ['read_catalogs']);
  if (clientId === undefined) return;
  const page = phpIntCast(url.searchParams.get('page') ?? '1');
  const limit = phpIntCast(url.searchParams.get('limit') ?? String(DEFAULT_LIST_LIMIT));
  if (page < 1 || limit < 1 || limit > MAX_LIST_LIMIT) {
    // Akeneo's query validation failure becomes a BadRequestHttpException without a message of its own.
    sendJson(response, 400, { code: 400, message: 'Bad Request' });
    return;
  }
  const { baseUrl } = context;
  const items = catalogsOf(context.store, clientId).slice((page - 1) * limit, page * limit);
  sendJson(response, 200, {
    _links: {
      self: listLink(baseUrl, page, limit),
      first: listLink(baseUrl, 1, limit),
      ...(page > 1 ? { previous: listLink(baseUrl, page - 1, limit) } : {}),
      ...(items.length >= limit ? { next: listLink(baseUrl, page + 1, limit) } : {}),
    },
    current_page: page,
    _embedded: { items: items.map((catalog) => catalogBody(baseUrl, catalog)) },
  });
}

/** POST /api/rest/v1/catalogs: 201 with the new catalog, disabled. */
export async function createCatalog(
  context: SandboxContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const clientId = authorizeCatalogCall(context, request, response, ['write_catalogs'], { jsonBody: true });
  if (clientId === undefined) return;
  const payload = await readCatalogPayload(request);
  if (!payload.ok) {
    sendJson(response, payload.status, payload.body);
    return;
  }
  // The limit is a constraint on the whole command: Symfony reports it before the properties', on no property.
  const limit: Violation[] = hasReachedCatalogLimit(context.store, clientId)
    ? [{ property: '', message: `You can create up to ${MAX_CATALOGS_PER_APP} catalogs` }]
    : [];
  const violations = [...limit, ...payload.violations];
  if (violations.length > 0) {
    sendJson(response, 422, validationFailed(violations));
    return;
  }
  const { name, managedCurrencies = [], managedLocales = [] } = payload.fields;
  const catalog = addCatalog(context.store, clientId, { name, managedCurrencies, managedLocales });
  sendJson(response, 201, catalogBody(context.baseUrl, catalog));
}

/** GET /api/rest/v1/catalogs/{id} */
export function getCatalog(context: SandboxContext, request: IncomingMessage, response: ServerResponse, id: string) {
  const clientId = authorizeCatalogCall(context, request, response, ['read_catalogs']);
  if (clientId === undefined) return;
  const catalog = ownedCatalog(context, response, clientId, id);
  if (catalog) sendJson(response, 200, catalogBody(context.baseUrl, catalog));
}

/** PATCH /api/rest/v1/catalogs/{id}: the name is required; currencies and locales change only when given. */
export async function patchCatalog(
  context: SandboxContext,
  request: IncomingMessage,
  response: ServerResponse,
  id: string,
): Promise<void> {
  const clientId = authorizeCatalogCall(context, request, response, ['write_catalogs'], { jsonBody: true });
  if (clientId === undefined) return;
  const catalog = ownedCatalog(context, response, clientId, id);
  if (!catalog) return;
  const payload = await readCatalogPayload(request);
  if (!payload.ok) {
    sendJson(response, payload.status, payload.body);
    return;
  }
  if (payload.violations.length > 0) {
    sendJson(response, 422, validationFailed(payload.violations));
    return;
  }
  updateCatalogFields(context.store, catalog, payload.fields);
  sendJson(response, 200, catalogBody(context.baseUrl, catalog));
}

/** DELETE /api/rest/v1/catalogs/{id}: 204. */
export function deleteCatalog(context: SandboxContext, request: IncomingMessage, response: ServerResponse, id: string) {
  const clientId = authorizeCatalogCall(context, request, response, ['delete_catalogs']);
  if (clientId === undefined) return;
  const catalog = ownedCatalog(context, response, clientId, id);
  if (!catalog) return;
  removeCatalog(context.store, catalog);
  response.writeHead(204, { 'cache-control': 'no-store' });
  response.end();
}
