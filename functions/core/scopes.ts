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
