import { randomUUID } from 'node:crypto';
import type { SandboxStore, StoredCatalog } from './sandbox-state';
import type { SandboxCatalog } from './types';

/** Akeneo SaaS's limit per app ("up to 200 catalogs"; CE 7.0 allowed 15). */
export const MAX_CATALOGS_PER_APP = 200;

/** What an app sets through the API. */
export interface CatalogFields {
  name: string;
  managedCurrencies: string[];
  managedLocales: string[];
}

/** What a PIM user sets on the catalog page. */
export interface CatalogSelectionFields {
  families: string[];
  categories: string[];
  enabledOnly: boolean;
}

/** The catalog with this id (a UUID in any case), whichever app owns it. */
export function findCatalog(store: SandboxStore, id: string): StoredCatalog | undefined {
  const normalized = id.toLowerCase();
  return store.state.catalogs.find((catalog) => catalog.id === normalized);
}

export function requireCatalog(store: SandboxStore, id: string): StoredCatalog {
  const catalog = findCatalog(store, id);
  if (!catalog) throw new Error(`Unknown sandbox catalog ${id}`);
  return catalog;
}

/** The app's catalogs in id order, as Akeneo lists them. */
export function catalogsOf(store: SandboxStore, clientId: string): StoredCatalog[] {
  return store.state.catalogs
    .filter((catalog) => catalog.clientId === clientId)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function hasReachedCatalogLimit(store: SandboxStore, clientId: string): boolean {
  return store.state.catalogs.filter((catalog) => catalog.clientId === clientId).length >= MAX_CATALOGS_PER_APP;
}

/** A new catalog is disabled and selects enabled products only, as Akeneo creates it. */
export function addCatalog(store: SandboxStore, clientId: string, fields: CatalogFields): StoredCatalog {
  const catalog: StoredCatalog = {
    id: randomUUID(),
    name: fields.name,
    clientId,
    enabled: false,
    managedCurrencies: [...fields.managedCurrencies],
    managedLocales: [...fields.managedLocales],
    families: [],
    categories: [],
    enabledOnly: true,
  };
  store.state.catalogs.push(catalog);
  store.save();
  return catalog;
}

export function updateCatalogFields(store: SandboxStore, catalog: StoredCatalog, fields: Partial<CatalogFields>): void {
  if (fields.name !== undefined) catalog.name = fields.name;
  if (fields.managedCurrencies !== undefined) catalog.managedCurrencies = [...fields.managedCurrencies];
  if (fields.managedLocales !== undefined) catalog.managedLocales = [...fields.managedLocales];
  store.save();
}

/** Replaces the product selection, and sets the status when given; the caller has checked the codes. */
export function applyCatalogSelection(
  store: SandboxStore,
  catalog: StoredCatalog,
  selection: CatalogSelectionFields,
  enabled?: boolean,
): void {
  catalog.families = [...new Set(selection.families)];
  catalog.categories = [...new Set(selection.categories)];
  catalog.enabledOnly = selection.enabledOnly;
  if (enabled !== undefined) catalog.enabled = enabled;
  store.save();
}

export function setCatalogEnabled(store: SandboxStore, catalog: StoredCatalog, enabled: boolean): void {
  catalog.enabled = enabled;
  store.save();
}

export function removeCatalog(store: SandboxStore, catalog: StoredCatalog): void {
  store.state.catalogs = store.state.catalogs.filter((candidate) => candidate !== catalog);
  store.save();
}

export function toSandboxCatalog(catalog: StoredCatalog): SandboxCatalog {
  return Object.freeze({
    id: catalog.id,
    name: catalog.name,
    enabled: catalog.enabled,
    clientId: catalog.clientId,
    managedCurrencies: [...catalog.managedCurrencies],
    managedLocales: [...catalog.managedLocales],
    selection: {
      families: [...catalog.families],
      categories: [...catalog.categories],
      enabledOnly: catalog.enabledOnly,
    },
  });
}
