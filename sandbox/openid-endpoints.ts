import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticateApiRequest } from './api-auth';
import { sendJson } from './http-helpers';
import type { SandboxContext } from './sandbox-context';

/** GET /connect/apps/v1/openid/public-key: the certificate PEM, despite the name. */
export function sendOpenIdPublicKey(context: SandboxContext, response: ServerResponse): void {
  sendJson(response, 200, { public_key: context.store.state.openIdKeys.certificatePem });
}

/** POST /connect/apps/v1/scopes/update: the PIM only flags the app; no scope changes. */
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
  sendJson(response, 200, 'Ok');
}
