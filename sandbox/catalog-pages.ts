import type { IncomingMessage, ServerResponse } from 'node:http';
import { selectedRefs, selectionError } from './catalog-selection';
import { applyCatalogSelection, type CatalogSelectionFields, catalogsOf, findCatalog } from './catalog-store';
import { CATEGORY_CODES, FAMILIES, ROOT_CATEGORY } from './catalog-structure';
import { forbidden } from './custom-app-pages';
import { escapeHtml, renderErrorPage, renderPage } from './html';
import { readBody, redirect, sendHtml } from './http-helpers';
import type { SandboxContext } from './sandbox-context';
import type { StoredCatalog } from './sandbox-state';

/** The page Akeneo links apps to: `{pim}/connect/apps/v1/catalogs/{id}`. */
export const CATALOG_PAGE_ROUTE = /^\/connect\/apps\/v1\/catalogs\/([^/]+)$/;
export const APP_CATALOGS_ROUTE = /^\/connect\/connected-apps\/([^/]+)\/catalogs$/;

const DONE_NOTICES: Readonly<Record<string, string>> = {
  saved: 'Catalog saved.',
  enabled: 'Catalog enabled.',
  disabled: 'Catalog disabled.',
};

function catalogPagePath(catalog: StoredCatalog): string {
  return `/connect/apps/v1/catalogs/${encodeURIComponent(catalog.id)}`;
}

function appCatalogsPath(clientId: string): string {
  return `/connect/connected-apps/${encodeURIComponent(clientId)}/catalogs`;
}

function notFound(context: SandboxContext, response: ServerResponse, title: string, message: string): void {
  sendHtml(response, 404, renderErrorPage(context.brand, title, message));
}

function checkbox(name: string, value: string, testId: string, checked: boolean, label: string): string {
  return `<label class="check"><input type="checkbox" name="${name}" value="${escapeHtml(value)}" data-testid="${escapeHtml(testId)}"${checked ? ' checked' : ''}> ${escapeHtml(label)}</label>`;
}

function renderCatalogPage(
  context: SandboxContext,
  catalog: StoredCatalog,
  selection: CatalogSelectionFields,
  notice: { kind: 'done' | 'error'; text: string } | undefined,
): string {
  const appName = context.store.findApp(catalog.clientId)?.name ?? catalog.clientId;
  const families = FAMILIES.map((family) =>
    checkbox(
      'family',
      family.code,
      `family-${family.code}`,
      selection.families.includes(family.code),
      `${family.noun} (${family.code})`,
    ),
  );
  const categories = [...CATEGORY_CODES].map((code) => {
    const label = code === ROOT_CATEGORY ? `${code} (the whole tree)` : code;
    return checkbox('category', code, `category-${code}`, selection.categories.includes(code), label);
  });
  const shown =
    notice?.kind === 'error'
      ? `<p class="error" role="alert" data-testid="form-error">${escapeHtml(notice.text)}</p>`
      : notice
        ? `<p class="notice" role="status" data-testid="flash">${escapeHtml(notice.text)}</p>`
        : '';
  const toggle = catalog.enabled
    ? '<button type="submit" name="action" value="disable" class="danger" data-testid="disable-catalog">Disable catalog</button>'
    : '<button type="submit" name="action" value="enable" data-testid="enable-catalog">Enable catalog</button>';
  const content = `<p><a href="/connect/connected-apps">Connected apps</a> › <a href="${escapeHtml(appCatalogsPath(catalog.clientId))}">${escapeHtml(appName)}</a> › Catalogs</p>
${shown}
<p>Status: <strong data-testid="catalog-status">${catalog.enabled ? 'Enabled' : 'Disabled'}</strong> ·
<strong data-testid="selected-count">${selectedRefs(context.products, catalog).length}</strong> products selected.
The app reads the products of an enabled catalog only.</p>
<form method="post" action="${escapeHtml(catalogPagePath(catalog))}" class="panel">
<h2>Product selection</h2>
<p><small>A product must meet every criterion used; with none, the whole catalog is selected.</small></p>
<fieldset><legend>Family is in</legend>
${families.join('\n')}
</fieldset>
<fieldset><legend>Category is in (or in its children)</legend>
${categories.join('\n')}
</fieldset>
<fieldset><legend>Status</legend>
${checkbox('enabled_only', '1', 'enabled-only', selection.enabledOnly, 'Enabled products only')}
</fieldset>
<p class="actions">
<button type="submit" name="action" value="save" class="secondary" data-testid="save-catalog">Save</button>
${toggle}
</p>
</form>`;
  return renderPage(context.brand, `Catalog ${catalog.name}`, content);
}

/** The catalog in the path, for a role that may manage apps; undefined once the 403 or 404 page is sent. */
function catalogInPath(context: SandboxContext, response: ServerResponse, id: string): StoredCatalog | undefined {
  if (!context.role.manageCustomApps) {
    forbidden(context, response);
    return undefined;
  }
  const catalog = findCatalog(context.store, id);
  if (!catalog) notFound(context, response, 'Catalog not found', 'This catalog does not exist in this PIM.');
  return catalog;
}

/** GET /connect/apps/v1/catalogs/{id}: the catalog's status and its product selection form. */
export function showCatalogPage(context: SandboxContext, response: ServerResponse, url: URL, id: string): void {
  const catalog = catalogInPath(context, response, id);
  if (!catalog) return;
  const done = DONE_NOTICES[url.searchParams.get('done') ?? ''];
  const notice = done === undefined ? undefined : { kind: 'done' as const, text: done };
  sendHtml(response, 200, renderCatalogPage(context, catalog, catalog, notice));
}

/**
 * POST /connect/apps/v1/catalogs/{id}: saves the posted selection, and enables or disables the catalog when that
 * button was pressed; then 303 to the page. An unknown family or category redisplays the form (422), nothing saved.
 */
export async function saveCatalogPage(
  context: SandboxContext,
  request: IncomingMessage,
  response: ServerResponse,
  id: string,
): Promise<void> {
  const catalog = catalogInPath(context, response, id);
  if (!catalog) return;
  // Checkboxes repeat their name: every value counts.
  const form = new URLSearchParams(await readBody(request));
  const selection: CatalogSelectionFields = {
    families: form.getAll('family'),
    categories: form.getAll('category'),
    enabledOnly: form.has('enabled_only'),
  };
  const error = selectionError(selection);
  if (error !== undefined) {
    sendHtml(response, 422, renderCatalogPage(context, catalog, selection, { kind: 'error', text: error }));
    return;
  }
  const action = form.get('action');
  const enabled = action === 'enable' ? true : action === 'disable' ? false : undefined;
  applyCatalogSelection(context.store, catalog, selection, enabled);
  const done = enabled === undefined ? 'saved' : enabled ? 'enabled' : 'disabled';
  redirect(response, `${catalogPagePath(catalog)}?done=${done}`, 303);
}

/** GET /connect/connected-apps/{clientId}/catalogs: the catalogs an app created, each linked to its page. */
export function showAppCatalogs(context: SandboxContext, response: ServerResponse, clientId: string): void {
  if (!context.role.manageCustomApps) {
    forbidden(context, response);
    return;
  }
  const app = context.store.findApp(clientId);
  if (!app) {
    notFound(context, response, 'App not found', 'This app does not exist in this PIM.');
    return;
  }
  const items = catalogsOf(context.store, clientId).map(
    (
      catalog,
    ) => `<li><span>${escapeHtml(catalog.name)}<br><small>${catalog.enabled ? 'Enabled' : 'Disabled'}</small></span>
<a class="button secondary" href="${escapeHtml(catalogPagePath(catalog))}" data-testid="catalog-${escapeHtml(catalog.id)}">Configure</a></li>`,
  );
  const list = items.length
    ? `<ul class="items">\n${items.join('\n')}\n</ul>`
    : '<p>This app has created no catalog yet: an app creates its catalogs through the API.</p>';
  const content = `<p><a href="/connect/connected-apps">Connected apps</a> › ${escapeHtml(app.name)}</p>\n${list}`;
  sendHtml(response, 200, renderPage(context.brand, `Catalogs of ${app.name}`, content));
}
