import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticateApiRequest, hasAuthorizationScope } from './api-auth';
import { findCatalog } from './catalog-store';
import { unsupportedContentType } from './content-type';
import { sendJson } from './http-helpers';
import type { SandboxContext } from './sandbox-context';
import type { StoredCatalog } from './sandbox-state';

/** The scope behind each ACL a catalog endpoint checks, and Akeneo's 403 for it (DenyAccessUnlessGrantedTrait). */
const ACL_REFUSALS = {
  read_catalogs: 'Access forbidden. You are not allowed to access app catalogs.',
  write_catalogs: 'Access forbidden. You are not allowed to edit app catalogs.',
  delete_catalogs: 'Access forbidden. You are not allowed to delete app catalogs.',
  read_products: 'Access forbidden. You are not allowed to access products.',
} as const;

export type CatalogAcl = keyof typeof ACL_REFUSALS;

export function catalogNotFoundMessage(id: string): string {
  return `Catalog "${id}" does not exist or you can't access it.`;
}

/**
 * Authenticates the call, checks a JSON body's content type (`jsonBody`: POST and PATCH, as Akeneo's request
 * subscriber does before any controller), then each ACL in the order given, as the app's role has them (its stored
 * scopes). Returns the app's client id, or undefined once the 401, 415 or 403 is sent.
 */
export function authorizeCatalogCall(
  context: SandboxContext,
  request: IncomingMessage,
  response: ServerResponse,
  acls: readonly CatalogAcl[],
  { jsonBody = false }: { jsonBody?: boolean } = {},
): string | undefined {
  const authentication = authenticateApiRequest(request, context.store);
  if (!authentication.ok) {
    sendJson(response, authentication.status, authentication.body);
    return undefined;
  }
  const unsupported = jsonBody ? unsupportedContentType(request, 'application/json') : undefined;
  if (unsupported !== undefined) {
    sendJson(response, 415, { code: 415, message: unsupported });
    return undefined;
  }
  for (const acl of acls) {
    if (!hasAuthorizationScope(context.store, authentication.clientId, acl)) {
      sendJson(response, 403, { code: 403, message: ACL_REFUSALS[acl] });
      return undefined;
    }
  }
  return authentication.clientId;
}

/**
 * The app's own catalog with this id, or undefined once the 404 is sent: `missingMessage` when no catalog has the id
 * (or it is no UUID), Akeneo's ownership message when another app owns it.
 */
export function ownedCatalog(
  context: SandboxContext,
  response: ServerResponse,
  clientId: string,
  id: string,
  missingMessage = catalogNotFoundMessage(id),
): StoredCatalog | undefined {
  const catalog = findCatalog(context.store, id);
  if (!catalog) {
    sendJson(response, 404, { code: 404, message: missingMessage });
    return undefined;
  }
  if (catalog.clientId !== clientId) {
    sendJson(response, 404, { code: 404, message: catalogNotFoundMessage(catalog.id) });
    return undefined;
  }
  return catalog;
}
