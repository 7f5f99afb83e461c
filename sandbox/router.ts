import type { IncomingMessage, ServerResponse } from 'node:http';
import { isApiPath, serveApiRequest } from './api-traffic';
import { handleAuthorize, handleAuthorizeConfirm } from './authorize';
import {
  APP_CATALOGS_ROUTE,
  CATALOG_PAGE_ROUTE,
  saveCatalogPage,
  showAppCatalogs,
  showCatalogPage,
} from './catalog-pages';
import {
  CATALOG_MAPPED_PRODUCTS_ROUTE,
  CATALOG_PRODUCT_ROUTE,
  CATALOG_PRODUCT_UUIDS_ROUTE,
  CATALOG_PRODUCTS_ROUTE,
  getCatalogProduct,
  listCatalogProducts,
  listCatalogProductUuids,
  listMappedProducts,
} from './catalog-products-api';
import {
  CATALOG_ROUTE,
  CATALOGS_PATH,
  createCatalog,
  deleteCatalog,
  getCatalog,
  listCatalogs,
  patchCatalog,
} from './catalogs-api';
import {
  activateApp,
  confirmDisconnect,
  confirmRegenerate,
  disconnectAppAction,
  regenerateSecret,
  showAppStore,
  showConnectedApps,
  showRegeneratedSecret,
} from './connect-pages';
import { applyControl, CONTROLS_PATH, showControls } from './controls-page';
import {
  CREATE_CUSTOM_APP_PATH,
  CUSTOM_APP_CREDENTIALS_ROUTE,
  createCustomApp,
  showCreateCustomApp,
  showCustomAppCredentials,
} from './custom-app-pages';
import { isEventPlatformPath, serveEventPlatformApi } from './event-platform/management-api';
import { EVENT_PLATFORM_PERMISSION_ROUTE, saveEventPlatformPermission } from './event-platform/permission-section';
import { renderErrorPage } from './html';
import { redirect, sendHtml, sendJson } from './http-helpers';
import { acknowledgeScopesUpdate, sendOpenIdPublicKey } from './openid-endpoints';
import { getProduct, listProducts, PRODUCT_ROUTE, PRODUCTS_PATH } from './products-api';
import { patchProducts } from './products-write-api';
import { saveRolePermissions, showRolePermissions, showRoles } from './role-pages';
import type { SandboxContext } from './sandbox-context';
import { handleTokenRequest } from './token-endpoint';

interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string | RegExp;
  handle: (
    context: SandboxContext,
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    id: string,
    /** The cut-stream fault this API call took, for the answers that stream lines. */
    cutAfterLines: number | undefined,
  ) => unknown;
}

const CLIENT_ID_SEGMENT = '([^/]+)';
const ROLE_PERMISSIONS = /^\/system\/roles\/([^/]+)\/permissions$/;
const REGENERATE = new RegExp(`^/connect/connected-apps/${CLIENT_ID_SEGMENT}/regenerate$`);
const DISCONNECT = new RegExp(`^/connect/connected-apps/${CLIENT_ID_SEGMENT}/disconnect$`);

const ROUTES: readonly Route[] = [
  { method: 'GET', path: '/', handle: (_context, _request, response) => redirect(response, '/connect/app-store') },
  {
    method: 'GET',
    path: '/connect/app-store',
    handle: (context, _request, response) => showAppStore(context, response),
  },
  {
    method: 'GET',
    path: CREATE_CUSTOM_APP_PATH,
    handle: (context, _request, response) => showCreateCustomApp(context, response),
  },
  { method: 'POST', path: CREATE_CUSTOM_APP_PATH, handle: createCustomApp },
  {
    method: 'GET',
    path: CUSTOM_APP_CREDENTIALS_ROUTE,
    handle: (context, _request, response, _url, id) => showCustomAppCredentials(context, response, id),
  },
  {
    method: 'GET',
    path: CONTROLS_PATH,
    handle: (context, _request, response, url) => showControls(context, response, url),
  },
  {
    method: 'POST',
    path: CONTROLS_PATH,
    handle: (context, request, response) => applyControl(context, request, response),
  },
  { method: 'GET', path: '/system/roles', handle: (context, _request, response) => showRoles(context, response) },
  {
    method: 'GET',
    path: ROLE_PERMISSIONS,
    handle: (context, _request, response, url, role) => showRolePermissions(context, response, url, role),
  },
  {
    method: 'POST',
    path: ROLE_PERMISSIONS,
    handle: (context, request, response, _url, role) => saveRolePermissions(context, request, response, role),
  },
  {
    method: 'GET',
    path: '/connect/connected-apps',
    handle: (context, _request, response) => showConnectedApps(context, response),
  },
  {
    method: 'GET',
    path: new RegExp(`^/connect/apps/${CLIENT_ID_SEGMENT}/activate$`),
    handle: (context, _request, response, _url, id) => activateApp(context, response, id),
  },
  {
    method: 'GET',
    path: REGENERATE,
    handle: (context, _request, response, _url, id) => confirmRegenerate(context, response, id),
  },
  {
    method: 'POST',
    path: REGENERATE,
    handle: (context, _request, response, _url, id) => regenerateSecret(context, response, id),
  },
  {
    method: 'GET',
    path: new RegExp(`^/connect/connected-apps/${CLIENT_ID_SEGMENT}/secret$`),
    handle: (context, _request, response, _url, id) => showRegeneratedSecret(context, response, id),
  },
  {
    method: 'GET',
    path: DISCONNECT,
    handle: (context, _request, response, _url, id) => confirmDisconnect(context, response, id),
  },
  {
    method: 'POST',
    path: DISCONNECT,
    handle: (context, _request, response, _url, id) => disconnectAppAction(context, response, id),
  },
  {
    method: 'POST',
    path: EVENT_PLATFORM_PERMISSION_ROUTE,
    handle: (context, request, response, _url, id) => saveEventPlatformPermission(context, request, response, id),
  },
  {
    method: 'GET',
    path: '/connect/apps/v1/authorize',
    handle: (context, _request, response, url) => handleAuthorize(context, response, url),
  },
  { method: 'POST', path: '/connect/apps/v1/authorize/confirm', handle: handleAuthorizeConfirm },
  { method: 'POST', path: '/connect/apps/v1/oauth2/token', handle: handleTokenRequest },
  {
    method: 'GET',
    path: '/connect/apps/v1/openid/public-key',
    handle: (context, _request, response) => sendOpenIdPublicKey(context, response),
  },
  { method: 'POST', path: '/connect/apps/v1/scopes/update', handle: acknowledgeScopesUpdate },
  { method: 'GET', path: PRODUCTS_PATH, handle: listProducts },
  {
    method: 'PATCH',
    path: PRODUCTS_PATH,
    handle: (context, request, response, _url, _id, cutAfterLines) =>
      patchProducts(context, request, response, cutAfterLines),
  },
  {
    method: 'GET',
    path: PRODUCT_ROUTE,
    handle: (context, request, response, _url, uuid) => getProduct(context, request, response, uuid),
  },
  // Catalogs for Apps: the API, and the PIM user's pages.
  { method: 'GET', path: CATALOGS_PATH, handle: listCatalogs },
  {
    method: 'POST',
    path: CATALOGS_PATH,
    handle: (context, request, response) => createCatalog(context, request, response),
  },
  {
    method: 'GET',
    path: CATALOG_ROUTE,
    handle: (context, request, response, _url, id) => getCatalog(context, request, response, id),
  },
  {
    method: 'PATCH',
    path: CATALOG_ROUTE,
    handle: (context, request, response, _url, id) => patchCatalog(context, request, response, id),
  },
  {
    method: 'DELETE',
    path: CATALOG_ROUTE,
    handle: (context, request, response, _url, id) => deleteCatalog(context, request, response, id),
  },
  { method: 'GET', path: CATALOG_PRODUCTS_ROUTE, handle: listCatalogProducts },
  { method: 'GET', path: CATALOG_PRODUCT_UUIDS_ROUTE, handle: listCatalogProductUuids },
  { method: 'GET', path: CATALOG_PRODUCT_ROUTE, handle: getCatalogProduct },
  { method: 'GET', path: CATALOG_MAPPED_PRODUCTS_ROUTE, handle: listMappedProducts },
  {
    method: 'GET',
    path: CATALOG_PAGE_ROUTE,
    handle: (context, _request, response, url, id) => showCatalogPage(context, response, url, id),
  },
  {
    method: 'POST',
    path: CATALOG_PAGE_ROUTE,
    handle: (context, request, response, _url, id) => saveCatalogPage(context, request, response, id),
  },
  {
    method: 'GET',
    path: APP_CATALOGS_ROUTE,
    handle: (context, _request, response, _url, clientId) => showAppCatalogs(context, response, clientId),
  },
];

function matchPath(route: Route, pathname: string): string | undefined {
  if (typeof route.path === 'string') return route.path === pathname ? '' : undefined;
  const match = route.path.exec(pathname);
  return match ? decodeURIComponent(match[1] ?? '') : undefined;
}

function sendNotFound(
  context: SandboxContext,
  response: ServerResponse,
  pathname: string,
  status: number,
  message: string,
): void {
  if (pathname.startsWith('/api/')) {
    sendJson(response, status, { code: status, message });
    return;
  }
  sendHtml(response, status, renderErrorPage(context.brand, message, `${message}: ${pathname}`));
}

async function dispatch(
  context: SandboxContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  cutAfterLines?: number,
): Promise<void> {
  let pathMatched = false;
  for (const route of ROUTES) {
    const id = matchPath(route, url.pathname);
    if (id === undefined) continue;
    pathMatched = true;
    if (route.method !== request.method) continue;
    await route.handle(context, request, response, url, id, cutAfterLines);
    return;
  }
  if (pathMatched) return sendNotFound(context, response, url.pathname, 405, 'Method Not Allowed');
  sendNotFound(context, response, url.pathname, 404, 'Not Found');
}

export async function routeRequest(
  context: SandboxContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', context.baseUrl);
  if (isEventPlatformPath(url.pathname)) return serveEventPlatformApi(context, request, response, url);
  if (!isApiPath(url.pathname)) return dispatch(context, request, response, url);
  const streamsLines = request.method === 'PATCH' && url.pathname === PRODUCTS_PATH;
  await serveApiRequest(
    context.controls,
    request,
    response,
    (cutAfterLines) => dispatch(context, request, response, url, cutAfterLines),
    { streamsLines },
  );
}
