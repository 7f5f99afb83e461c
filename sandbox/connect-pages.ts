import type { ServerResponse } from 'node:http';
import { regenerateAppSecret, toSandboxApp } from './app-registry';
import { disconnectApp, grantedScopes, isConnected } from './connections';
import { CREATE_CUSTOM_APP_PATH, renderRegeneratedSecretPage } from './custom-app-pages';
import { escapeHtml, renderErrorPage, renderPage } from './html';
import { redirect, sendHtml } from './http-helpers';
import type { SandboxContext } from './sandbox-context';
import type { StoredApp } from './sandbox-state';

function activatePath(app: StoredApp): string {
  return `/connect/apps/${encodeURIComponent(app.clientId)}/activate`;
}

function openOrConnectLink(context: SandboxContext, app: StoredApp): string {
  const id = escapeHtml(app.clientId);
  const href = escapeHtml(activatePath(app));
  return isConnected(context.store, app.clientId)
    ? `<a class="button secondary" href="${href}" data-testid="open-${id}">Open app</a>`
    : `<a class="button" href="${href}" data-testid="connect-${id}">Connect</a>`;
}

function appNotFound(context: SandboxContext, response: ServerResponse): void {
  sendHtml(response, 404, renderErrorPage(context.brand, 'App not found', 'This app does not exist in this PIM.'));
}

/** GET /connect/app-store: *Create an App* only when the role may create custom apps. */
export function showAppStore(context: SandboxContext, response: ServerResponse): void {
  const { apps } = context.store.state;
  const items = apps
    .map((app) => `<li><span>${escapeHtml(app.name)}</span>${openOrConnectLink(context, app)}</li>`)
    .join('\n');
  const create = context.role.manageCustomApps
    ? `<a class="button" href="${CREATE_CUSTOM_APP_PATH}" data-testid="create-app">Create an App</a>`
    : '';
  const list = apps.length
    ? `<ul class="items">\n${items}\n</ul>`
    : '<p>No custom app is registered in this sandbox.</p>';
  const content = `<div class="toolbar"><h2>Custom apps</h2>${create}</div>\n${list}`;
  sendHtml(response, 200, renderPage(context.brand, 'App Store', content));
}

/** GET /connect/connected-apps */
export function showConnectedApps(context: SandboxContext, response: ServerResponse): void {
  const connected = context.store.state.apps.filter((app) => isConnected(context.store, app.clientId));
  const items = connected.map((app) => {
    const id = escapeHtml(app.clientId);
    const actionBase = `/connect/connected-apps/${encodeURIComponent(app.clientId)}`;
    return `<li>
<span>${escapeHtml(app.name)}<br><small>${escapeHtml(grantedScopes(context.store, app.clientId).join(' '))}</small></span>
<span class="actions">
<a class="button secondary" href="${escapeHtml(activatePath(app))}" data-testid="open-${id}">Open app</a>
<form method="post" action="${escapeHtml(actionBase)}/regenerate">
<button type="submit" class="secondary" data-testid="regenerate-${id}">Regenerate</button>
</form>
<form method="post" action="${escapeHtml(actionBase)}/disconnect">
<button type="submit" class="danger" data-testid="disconnect-${id}">Disconnect</button>
</form>
</span>
</li>`;
  });
  const content = connected.length
    ? `<ul class="items">\n${items.join('\n')}\n</ul>`
    : '<p>No app is connected. Connect one from the <a href="/connect/app-store">App Store</a>.</p>';
  sendHtml(response, 200, renderPage(context.brand, 'Connected apps', content));
}

/** GET /connect/apps/{clientId}/activate: Connect and Open app both go to the activate URL with pim_url. */
export function activateApp(context: SandboxContext, response: ServerResponse, clientId: string): void {
  const app = context.store.findApp(clientId);
  if (!app) {
    appNotFound(context, response);
    return;
  }
  const query = new URLSearchParams({ pim_url: context.baseUrl }).toString();
  redirect(response, `${app.activateUrl}${app.activateUrl.includes('?') ? '&' : '?'}${query}`);
}

/** POST /connect/connected-apps/{clientId}/regenerate: shows the new secret once. */
export function regenerateSecretPage(context: SandboxContext, response: ServerResponse, clientId: string): void {
  const app = context.store.findApp(clientId);
  if (!app) {
    appNotFound(context, response);
    return;
  }
  const secret = regenerateAppSecret(context.store, clientId);
  sendHtml(response, 200, renderRegeneratedSecretPage(context, toSandboxApp(app), secret));
}

/** POST /connect/connected-apps/{clientId}/disconnect */
export function disconnectAppAction(context: SandboxContext, response: ServerResponse, clientId: string): void {
  if (!context.store.findApp(clientId)) {
    appNotFound(context, response);
    return;
  }
  disconnectApp(context.store, clientId);
  redirect(response, '/connect/connected-apps');
}
