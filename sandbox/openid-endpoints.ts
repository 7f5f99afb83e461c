import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticateApiRequest } from './api-auth';
import { grantedScopes } from './connections';
import { sendJson } from './http-helpers';
import type { SandboxContext } from './sandbox-context';
import { addsNewScopes, expandScopes, normaliseScopes } from './scopes';

/** GET /connect/apps/v1/openid/public-key: the certificate PEM, despite the name. */
export function sendOpenIdPublicKey(context: SandboxContext, response: ServerResponse): void {
  sendJson(response, 200, { public_key: context.store.state.openIdKeys.certificatePem });
}

/**
 * POST /connect/apps/v1/scopes/update: the PIM only flags the app ("outdated scopes", shown on Connected apps) when
 * the list adds a scope to its grant (hierarchy-aware, unknown scopes dropped), and records the call; no scope
 * changes until an admin's Open app goes through the consent again.
 */
export function acknowledgeScopesUpdate(
  context: SandboxContext,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const authentication = authenticateApiRequest(request, context.store);
  if (!authentication.ok) {
    sendJson(response, authentication.status, authentication.body);
    return;
  }
  const clientId = authentication.clientId;
  const raw = new URL(request.url ?? '/', 'http://sandbox').searchParams.get('scopes') ?? '';
  const requested = normaliseScopes(raw);
  const flagged = addsNewScopes(requested, grantedScopes(context.store, clientId));
  const { state } = context.store;
  state.scopesUpdateRequests ??= [];
  state.scopesUpdateRequests.push({ clientId, scopes: requested, flagged, at: context.store.nowSeconds() });
  if (flagged) {
    const granted = expandScopes(grantedScopes(context.store, clientId));
    state.outdatedScopes ??= {};
    state.outdatedScopes[clientId] = requested.filter((scope) => !granted.has(scope));
  }
  context.store.save();
  sendJson(response, 200, 'Ok');
}
