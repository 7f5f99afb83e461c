import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  applyAuthorization,
  callbackUrlWithCode,
  isConnected,
  issueAuthorizationCode,
  needsConsent,
} from './connections';
import { renderConsentPage } from './consent-page';
import { renderErrorPage } from './html';
import { readFields, redirect, sendHtml } from './http-helpers';
import type { SandboxContext } from './sandbox-context';
import type { StoredApp } from './sandbox-state';
import { MAX_SCOPE_LENGTH, normaliseScopes } from './scopes';

const APP_NOT_FOUND = 'akeneo_connectivity.connection.connect.apps.error.app_not_found';
const RESPONSE_TYPE_MUST_BE_CODE = 'akeneo_connectivity.connection.connect.apps.constraint.response_type.must_be_code';
const SCOPE_TOO_LONG = 'akeneo_connectivity.connection.connect.apps.constraint.scope.too_long';

function showAuthorizeError(
  context: SandboxContext,
  response: ServerResponse,
  status: number,
  translationKey: string,
): void {
  sendHtml(response, status, renderErrorPage(context.brand, 'App authorization failed', translationKey));
}

/** Stores the authorization, issues a code and sends the browser to the registered callback. */
function completeAuthorization(
  context: SandboxContext,
  response: ServerResponse,
  app: StoredApp,
  scopes: readonly string[],
  state: string | undefined,
): void {
  applyAuthorization(context.store, app.clientId, context.user.username, scopes);
  const code = issueAuthorizationCode(context.store, app.clientId);
  redirect(response, callbackUrlWithCode(app.callbackUrl, code, state));
}

/** GET /connect/apps/v1/authorize (protocol 1.3). Errors stay in the PIM: never a redirect to the app. */
export function handleAuthorize(context: SandboxContext, response: ServerResponse, url: URL): void {
  const query = url.searchParams;
  const app = context.store.findApp(query.get('client_id') ?? '');
  if (!app) {
    showAuthorizeError(context, response, 404, APP_NOT_FOUND);
    return;
  }
  if (query.get('response_type') !== 'code') {
    showAuthorizeError(context, response, 400, RESPONSE_TYPE_MUST_BE_CODE);
    return;
  }
  const rawScope = query.get('scope') ?? '';
  if (rawScope.length > MAX_SCOPE_LENGTH) {
    showAuthorizeError(context, response, 400, SCOPE_TOO_LONG);
    return;
  }

  const scopes = normaliseScopes(rawScope);
  const state = query.get('state') ?? undefined;
  if (needsConsent(context.store, app.clientId, scopes)) {
    const alreadyConnected = isConnected(context.store, app.clientId);
    sendHtml(response, 200, renderConsentPage(context.brand, { app, scopes, state, alreadyConnected }));
    return;
  }
  completeAuthorization(context, response, app, scopes, state);
}

/** POST /connect/apps/v1/authorize/confirm: the user confirmed the consent page. */
export async function handleAuthorizeConfirm(
  context: SandboxContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const fields = await readFields(request);
  const app = context.store.findApp(fields.get('client_id') ?? '');
  if (!app) return showAuthorizeError(context, response, 404, APP_NOT_FOUND);
  const rawScope = fields.get('scope') ?? '';
  if (rawScope.length > MAX_SCOPE_LENGTH) return showAuthorizeError(context, response, 400, SCOPE_TOO_LONG);
  completeAuthorization(context, response, app, normaliseScopes(rawScope), fields.get('state'));
}
