import type { IncomingMessage } from 'node:http';
import { bearerToken } from './http-helpers';
import type { SandboxStore } from './sandbox-state';
import { expandScopes } from './scopes';

export const AUTHENTICATION_REQUIRED = { code: 401, message: 'Authentication is required' };
export const INVALID_TOKEN = { code: 401, message: 'The access token provided is invalid.' };
export const DISCONNECTED_TOKEN = {
  code: 401,
  message: 'The access token provided is invalid. Your app has been disconnected from that PIM.',
};

export type ApiAuthentication =
  | { ok: true; clientId: string }
  | { ok: false; status: 401; body: { code: number; message: string } };

/** Bearer authentication as the PIM's API firewall answers it (protocol 5.2). */
export function authenticateApiRequest(request: IncomingMessage, store: SandboxStore): ApiAuthentication {
  const token = bearerToken(request);
  if (!token) return { ok: false, status: 401, body: AUTHENTICATION_REQUIRED };
  const stored = store.state.tokens.find((candidate) => candidate.token === token);
  if (stored) return { ok: true, clientId: stored.clientId };
  const revoked = store.state.revokedTokens.includes(token);
  return { ok: false, status: 401, body: revoked ? DISCONNECTED_TOKEN : INVALID_TOKEN };
}

/** ACLs come from the connected app's role (its stored scopes, hierarchy expanded), not from the token string. */
export function hasAuthorizationScope(store: SandboxStore, clientId: string, scope: string): boolean {
  return expandScopes(store.state.connections[clientId] ?? []).has(scope);
}
