import type { ProductSource } from './product-source';

/** The OpenID scopes: they say who connected, they grant no API access. */
export const AUTHENTICATION_SCOPES: readonly string[] = ['openid', 'profile', 'email'];

export const DEFAULT_APP_SCOPES: readonly string[] = [
  'read_products',
  'read_catalog_structure',
  'read_channel_settings',
  'read_channel_localization',
  'read_attribute_options',
  'read_categories',
  'openid',
  'email',
  'profile',
];

/** What Akeneo asks of an app that reads a catalog (the products endpoints also need `read_products`). */
export const CATALOG_SCOPES: readonly string[] = ['read_catalogs', 'write_catalogs', 'delete_catalogs'];

/** The scopes requested when none are configured: the catalog source adds the catalog scopes. */
export function defaultAppScopes(source: ProductSource): readonly string[] {
  return source === 'catalog' ? [...DEFAULT_APP_SCOPES, ...CATALOG_SCOPES] : DEFAULT_APP_SCOPES;
}

/** The scopes a product source needs that `scopes` lacks, sorted. */
export function scopesMissingFor(source: ProductSource, scopes: readonly string[]): string[] {
  const needed = source === 'catalog' ? ['read_products', ...CATALOG_SCOPES] : [];
  return needed.filter((scope) => !scopes.includes(scope)).sort();
}

const SCOPE_PATTERN = /^[a-z][a-z_]*$/;

/** Splits a space-separated scope string into a sorted list without duplicates, as the PIM does. */
export function parseScopeString(scopes: string): string[] {
  return [...new Set(scopes.split(/\s+/).filter((scope) => scope !== ''))].sort();
}

export function isValidScope(scope: string): boolean {
  return SCOPE_PATTERN.test(scope);
}

export function scopeString(scopes: readonly string[]): string {
  return scopes.join(' ');
}

export interface ScopeComparison {
  readonly granted: string[];
  /** Requested but absent from the token: the PIM dropped them (unknown there) or kept a narrower grant. */
  readonly missing: string[];
}

export function compareScopes(requested: readonly string[], granted: readonly string[]): ScopeComparison {
  const grantedSet = new Set(granted);
  return { granted: [...granted].sort(), missing: requested.filter((scope) => !grantedSet.has(scope)).sort() };
}
