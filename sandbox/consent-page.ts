import { escapeHtml, renderPage } from './html';
import type { PimBrand } from './sandbox-context';
import type { StoredApp } from './sandbox-state';
import {
  authenticationScopeLabel,
  authenticationScopesOf,
  authorizationScopeLabel,
  authorizationScopesOf,
} from './scopes';

export interface ConsentRequest {
  app: StoredApp;
  /** Normalised requested scopes. */
  scopes: readonly string[];
  state: string | undefined;
  alreadyConnected: boolean;
}

function listItems(scopes: readonly string[], label: (scope: string) => string): string {
  return scopes.map((scope) => `<li data-scope="${escapeHtml(scope)}">${escapeHtml(label(scope))}</li>`).join('\n');
}

function hiddenInput(name: string, value: string): string {
  return `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
}

/** The PIM's authorization wizard, condensed to one page. */
export function renderConsentPage(brand: PimBrand, { app, scopes, state, alreadyConnected }: ConsentRequest): string {
  const authorization = authorizationScopesOf(scopes);
  const authentication = authenticationScopesOf(scopes).includes('openid') ? authenticationScopesOf(scopes) : [];
  const intro = alreadyConnected
    ? `<p><strong>${escapeHtml(app.name)}</strong> asks for more access to this PIM.</p>`
    : `<p><strong>${escapeHtml(app.name)}</strong> wants to connect to this PIM.</p>`;
  const permissions = authorization.length
    ? `<ul data-testid="consent-authorization-scopes">\n${listItems(authorization, authorizationScopeLabel)}\n</ul>`
    : '<p>No access to PIM data.</p>';
  const identity = authentication.length
    ? `<h2>Your identity</h2>
<p>The app will see the following information about you:</p>
<ul data-testid="consent-authentication-scopes">\n${listItems(authentication, authenticationScopeLabel)}\n</ul>`
    : '';
  const inputs = [
    hiddenInput('client_id', app.clientId),
    hiddenInput('scope', scopes.join(' ')),
    ...(state === undefined ? [] : [hiddenInput('state', state)]),
  ].join('\n');
  return renderPage(
    brand,
    `Connect ${app.name}`,
    `${intro}
<h2>What the app will be able to do</h2>
${permissions}
${identity}
<form method="post" action="/connect/apps/v1/authorize/confirm" class="actions">
${inputs}
<button type="submit" data-testid="consent-confirm">Confirm</button>
<a class="button secondary" href="/connect/app-store" data-testid="consent-cancel">Cancel</a>
</form>`,
  );
}
