import type { ServerResponse } from 'node:http';
import { regenerateAppSecret, toSandboxApp } from './app-registry';
import { disconnectApp, grantedScopes, isConnected } from './connections';
import { CREATE_CUSTOM_APP_PATH, forbidden, renderRegeneratedSecretPage } from './custom-app-pages';
import { renderEventPlatformSection } from './event-platform/permission-section';
import { escapeHtml, renderErrorPage, renderPage } from './html';
import { redirect, sendHtml } from './http-helpers';
import type { SandboxContext } from './sandbox-context';
import type { StoredApp } from './sandbox-state';

function connectedAppPath(app: StoredApp): string {
  return `/connect/connected-apps/${encodeURIComponent(app.clientId)}`;
}

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

/** The PIM's flag after `scopes/update`: the app asks for more, and Open app leads to the consent for it. */
function renderOutdatedScopes(context: SandboxContext, clientId: string): string {
  const outdated = context.store.state.outdatedScopes?.[clientId];
  if (!outdated || outdated.length === 0) return '';
  return `<br><strong class="warning" data-testid="outdated-scopes-${escapeHtml(clientId)}">This app asks for new permissions: ${escapeHtml(outdated.join(' '))}. Click Open app to review them.</strong>`;
}

/** GET /connect/connected-apps */
export function showConnectedApps(context: SandboxContext, response: ServerResponse): void {
  const connected = context.store.state.apps.filter((app) => isConnected(context.store, app.clientId));
  const items = connected.map((app) => {
    const id = escapeHtml(app.clientId);
    const actionBase = connectedAppPath(app);
    return `<li>
<span>${escapeHtml(app.name)}<br><small>${escapeHtml(grantedScopes(context.store, app.clientId).join(' '))}</small>
${renderOutdatedScopes(context, app.clientId)}
${renderEventPlatformSection(context, app.clientId)}</span>
<span class="actions">
<a class="button secondary" href="${escapeHtml(activatePath(app))}" data-testid="open-${id}">Open app</a>
${context.role.manageCustomApps ? `<a class="button secondary" href="${escapeHtml(actionBase)}/catalogs" data-testid="catalogs-${id}">Catalogs</a>` : ''}
${context.role.manageCustomApps ? `<a class="button secondary" href="${escapeHtml(actionBase)}/regenerate" data-testid="regenerate-${id}">Regenerate</a>` : ''}
<a class="button danger" href="${escapeHtml(actionBase)}/disconnect" data-testid="disconnect-${id}">Disconnect</a>
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

/** Akeneo asks before an action that cannot be undone: a page that says what will happen, and a POST form. */
function renderConfirmation(
  context: SandboxContext,
  app: StoredApp,
  action: 'regenerate' | 'disconnect',
  title: string,
  consequences: string,
  confirmLabel: string,
): string {
  const content = `<p class="notice" role="alert">${consequences}</p>
<form method="post" action="${escapeHtml(connectedAppPath(app))}/${action}" class="actions">
<button type="submit" class="danger" data-testid="confirm-${action}">${escapeHtml(confirmLabel)}</button>
<a class="button secondary" href="/connect/connected-apps" data-testid="cancel">Cancel</a>
</form>`;
  return renderPage(context.brand, title, content);
}

/**
 * The app named in the path, or undefined once the 404 page (or, for its secret, the 403 page of a role without
 * *Create and delete custom apps*) is sent.
 */
function appInPath(
  context: SandboxContext,
  response: ServerResponse,
  clientId: string,
  { secret }: { secret: boolean },
): StoredApp | undefined {
  if (secret && !context.role.manageCustomApps) {
    forbidden(context, response);
    return undefined;
  }
  const app = context.store.findApp(clientId);
  if (!app) appNotFound(context, response);
  return app;
}

/** GET /connect/connected-apps/{clientId}/regenerate: the confirmation. */
export function confirmRegenerate(context: SandboxContext, response: ServerResponse, clientId: string): void {
  const app = appInPath(context, response, clientId, { secret: true });
  if (!app) return;
  const consequences = `<strong>${escapeHtml(app.name)}</strong> gets a new client secret. The current one stops working at
once: the app cannot connect again until it is given the new one. Existing access tokens keep working.`;
  const title = `Regenerate the secret of ${app.name}?`;
  sendHtml(response, 200, renderConfirmation(context, app, 'regenerate', title, consequences, 'Regenerate the secret'));
}

/** POST /connect/connected-apps/{clientId}/regenerate: 303 to the new secret, so a reload does not regenerate again. */
export function regenerateSecret(context: SandboxContext, response: ServerResponse, clientId: string): void {
  const app = appInPath(context, response, clientId, { secret: true });
  if (!app) return;
  regenerateAppSecret(context.store, clientId);
  redirect(response, `${connectedAppPath(app)}/secret`, 303);
}

/** GET /connect/connected-apps/{clientId}/secret: the current secret and the rotate command. */
export function showRegeneratedSecret(context: SandboxContext, response: ServerResponse, clientId: string): void {
  const app = appInPath(context, response, clientId, { secret: true });
  if (!app) return;
  sendHtml(response, 200, renderRegeneratedSecretPage(context, toSandboxApp(app), app.clientSecret));
}

/** GET /connect/connected-apps/{clientId}/disconnect: the confirmation. */
export function confirmDisconnect(context: SandboxContext, response: ServerResponse, clientId: string): void {
  const app = appInPath(context, response, clientId, { secret: false });
  if (!app) return;
  const consequences = `<strong>${escapeHtml(app.name)}</strong> loses its access to this PIM: its access tokens stop
working at once. Connecting it again asks for consent again.`;
  sendHtml(
    response,
    200,
    renderConfirmation(context, app, 'disconnect', `Disconnect ${app.name}?`, consequences, 'Disconnect'),
  );
}

/** POST /connect/connected-apps/{clientId}/disconnect */
export function disconnectAppAction(context: SandboxContext, response: ServerResponse, clientId: string): void {
  if (!context.store.findApp(clientId)) {
    appNotFound(context, response);
    return;
  }
  disconnectApp(context.store, clientId);
  context.eventPlatform.revokeApp(clientId);
  redirect(response, '/connect/connected-apps', 303);
}
