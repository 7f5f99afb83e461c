interface AuthorizationScope {
  readonly label: string;
  readonly implies: readonly string[];
}

/** The CE authorization scopes (protocol 1.4) with the lower scopes each one implies. */
const AUTHORIZATION_SCOPES: Readonly<Record<string, AuthorizationScope>> = {
  read_products: { label: 'View products', implies: [] },
  write_products: { label: 'Create and update products', implies: ['read_products'] },
  delete_products: { label: 'Remove products', implies: ['read_products', 'write_products'] },
  read_catalog_structure: { label: 'View attributes, attribute groups, families and family variants', implies: [] },
  write_catalog_structure: {
    label: 'Create and update attributes, attribute groups, families and family variants',
    implies: ['read_catalog_structure'],
  },
  read_attribute_options: { label: 'View attribute options', implies: [] },
  write_attribute_options: { label: 'Create and update attribute options', implies: ['read_attribute_options'] },
  read_categories: { label: 'View categories', implies: [] },
  write_categories: { label: 'Create and update categories', implies: ['read_categories'] },
  read_channel_localization: { label: 'View locales and currencies', implies: [] },
  read_channel_settings: { label: 'View channel settings', implies: [] },
  write_channel_settings: { label: 'Create and update channel settings', implies: ['read_channel_settings'] },
  read_association_types: { label: 'View association types', implies: [] },
  write_association_types: { label: 'Create and update association types', implies: ['read_association_types'] },
  read_catalogs: { label: 'View catalogs', implies: [] },
  write_catalogs: { label: 'Create and update catalogs', implies: ['read_catalogs'] },
  delete_catalogs: { label: 'Remove catalogs', implies: ['read_catalogs', 'write_catalogs'] },
};

const AUTHENTICATION_SCOPES: Readonly<Record<string, string>> = {
  openid: 'Your user id',
  profile: 'Your first and last name',
  email: 'Your email address',
};

export const MAX_SCOPE_LENGTH = 1000;

export function isAuthenticationScope(scope: string): boolean {
  return Object.hasOwn(AUTHENTICATION_SCOPES, scope);
}

function isKnownScope(scope: string): boolean {
  return Object.hasOwn(AUTHORIZATION_SCOPES, scope) || isAuthenticationScope(scope);
}

/** Like the PIM: split on single spaces, drop unknown scopes, dedupe, sort. */
export function normaliseScopes(raw: string): string[] {
  return sortedUnique(raw.split(' ').filter(isKnownScope));
}

export function sortedUnique(scopes: Iterable<string>): string[] {
  return [...new Set(scopes)].sort();
}

export function authorizationScopesOf(scopes: readonly string[]): string[] {
  return scopes.filter((scope) => !isAuthenticationScope(scope));
}

export function authenticationScopesOf(scopes: readonly string[]): string[] {
  return scopes.filter(isAuthenticationScope);
}

/** The scopes plus every lower scope they imply. */
export function expandScopes(scopes: readonly string[]): Set<string> {
  const expanded = new Set<string>();
  for (const scope of scopes) {
    expanded.add(scope);
    for (const lower of AUTHORIZATION_SCOPES[scope]?.implies ?? []) expanded.add(lower);
  }
  return expanded;
}

/** True when the requested scopes grant something the granted ones do not (hierarchy-aware). */
export function addsNewScopes(requested: readonly string[], granted: readonly string[]): boolean {
  const grantedExpanded = expandScopes(granted);
  return [...expandScopes(requested)].some((scope) => !grantedExpanded.has(scope));
}

export function authorizationScopeLabel(scope: string): string {
  return AUTHORIZATION_SCOPES[scope]?.label ?? scope;
}

export function authenticationScopeLabel(scope: string): string {
  return AUTHENTICATION_SCOPES[scope] ?? scope;
}
