import { randomUUID } from 'node:crypto';
import { randomPimCode } from './random-code';
import type { SandboxStore } from './sandbox-state';
import { addsNewScopes, authenticationScopesOf, authorizationScopesOf, sortedUnique } from './scopes';

export const AUTHORIZATION_CODE_LIFETIME_SECONDS = 30;

export function isConnected(store: SandboxStore, clientId: string): boolean {
  return Object.hasOwn(store.state.connections, clientId);
}

/**
 * Whether the PIM shows its consent screen for this (normalised) request: the app is not connected yet, the
 * request adds authorization scopes, or it asks for profile/email information the user has not agreed to share.
 */
export function needsConsent(store: SandboxStore, clientId: string, requested: readonly string[]): boolean {
  const granted = store.state.connections[clientId];
  if (!granted) return true;
  if (addsNewScopes(authorizationScopesOf(requested), granted)) return true;
  const authentication = authenticationScopesOf(requested);
  if (!authentication.includes('openid')) return false;
  const consented = store.state.consents[clientId] ?? [];
  return authentication.some((scope) => scope !== 'openid' && !consented.includes(scope));
}

/** Stores the connected app's scopes and the user's consent exactly as requested (so a smaller request shrinks). */
export function applyAuthorization(
  store: SandboxStore,
  clientId: string,
  username: string,
  requested: readonly string[],
): void {
  store.state.connections[clientId] = sortedUnique(authorizationScopesOf(requested));
  // The consent covered what the app asked for: the "outdated scopes" flag goes.
  if (store.state.outdatedScopes) delete store.state.outdatedScopes[clientId];
  const authentication = authenticationScopesOf(requested);
  if (authentication.includes('openid')) {
    store.state.consents[clientId] = sortedUnique(authentication);
    subjectFor(store, username, clientId);
  } else {
    delete store.state.consents[clientId];
  }
  store.save();
}

function subjectKey(username: string, clientId: string): string {
  return `${username}|${clientId}`;
}

export function subjectFor(store: SandboxStore, username: string, clientId: string): string {
  const key = subjectKey(username, clientId);
  store.state.subjects[key] ??= randomUUID();
  return store.state.subjects[key];
}

export function issueAuthorizationCode(store: SandboxStore, clientId: string): string {
  const code = randomPimCode();
  store.state.codes.push({ code, clientId, issuedAt: store.nowSeconds() });
  store.save();
  return code;
}

/** `{callbackUrl}?code=…&state=…` with `&` when the callback already has a query; no state when absent. */
export function callbackUrlWithCode(callbackUrl: string, code: string, state: string | undefined): string {
  const query = new URLSearchParams({ code });
  if (state !== undefined) query.set('state', state);
  return `${callbackUrl}${callbackUrl.includes('?') ? '&' : '?'}${query.toString()}`;
}

/** The granted scope string: authorization scopes merged with the consented authentication scopes, sorted. */
export function grantedScopes(store: SandboxStore, clientId: string): string[] {
  return sortedUnique([...(store.state.connections[clientId] ?? []), ...(store.state.consents[clientId] ?? [])]);
}

/** Revokes the app's tokens (they then get the "disconnected" 401) and removes the connection and consent. */
export function disconnectApp(store: SandboxStore, clientId: string): void {
  const { state } = store;
  for (const token of state.tokens) {
    if (token.clientId === clientId) state.revokedTokens.push(token.token);
  }
  state.tokens = state.tokens.filter((token) => token.clientId !== clientId);
  state.codes = state.codes.filter((code) => code.clientId !== clientId);
  delete state.connections[clientId];
  delete state.consents[clientId];
  store.save();
}
