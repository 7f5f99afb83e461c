import { createHash } from 'node:crypto';
import { AUTHORIZATION_CODE_LIFETIME_SECONDS, grantedScopes, isConnected, subjectFor } from './connections';
import { createIdToken } from './id-token';
import { randomPimCode } from './random-code';
import type { SandboxContext } from './sandbox-context';

export interface TokenExchangeOutcome {
  status: number;
  body: Record<string, string>;
}

function rejected(error: string, description?: string): TokenExchangeOutcome {
  return { status: 400, body: description ? { error, error_description: description } : { error } };
}

/** Lowercase hex sha256 of the identifier followed by the secret (protocol 3.1). */
export function codeChallengeFor(codeIdentifier: string, clientSecret: string): string {
  return createHash('sha256')
    .update(codeIdentifier + clientSecret)
    .digest('hex');
}

/** The PIM's validation order (protocol 3.3): the first failing check decides the answer. */
function validate(context: SandboxContext, fields: ReadonlyMap<string, string>): TokenExchangeOutcome | undefined {
  const { store } = context;
  const clientId = fields.get('client_id') ?? '';
  const code = fields.get('code') ?? '';
  const codeIdentifier = fields.get('code_identifier') ?? '';
  const codeChallenge = fields.get('code_challenge') ?? '';

  if (clientId && codeIdentifier && codeChallenge) {
    const app = store.findApp(clientId);
    if (!app || codeChallengeFor(codeIdentifier, app.clientSecret) !== codeChallenge) return rejected('invalid_client');
  }
  if (!clientId) return rejected('invalid_request');
  if (!isConnected(store, clientId)) return rejected('invalid_client');
  if (!code) return rejected('invalid_request');
  // Stricter than the PIM: a code issued to another app is not valid either.
  const storedCode = store.state.codes.find((candidate) => candidate.code === code && candidate.clientId === clientId);
  if (!storedCode) return rejected('invalid_grant', 'Code is not valid');
  if (store.nowSeconds() > storedCode.issuedAt + AUTHORIZATION_CODE_LIFETIME_SECONDS) {
    return rejected('invalid_grant', 'Code has expired');
  }
  if (fields.get('grant_type') !== 'authorization_code') return rejected('unsupported_grant_type');
  if (!codeIdentifier) return rejected('invalid_request');
  if (!codeChallenge) return rejected('invalid_request');
  return undefined;
}

/** Same token while the scope string is unchanged; otherwise the app's tokens are deleted and a new one issued. */
function accessTokenFor(context: SandboxContext, clientId: string, scope: string): string {
  const { state } = context.store;
  const existing = state.tokens.find((token) => token.clientId === clientId && token.scope === scope);
  if (existing) return existing.token;
  const token = randomPimCode();
  state.tokens = state.tokens.filter((candidate) => candidate.clientId !== clientId);
  state.tokens.push({ token, clientId, scope });
  return token;
}

export function exchangeAuthorizationCode(
  context: SandboxContext,
  fields: ReadonlyMap<string, string>,
): TokenExchangeOutcome {
  const failure = validate(context, fields);
  if (failure) return failure;

  const { store, user, controls } = context;
  const clientId = fields.get('client_id') ?? '';
  const code = fields.get('code');
  store.state.codes = store.state.codes.filter((candidate) => candidate.code !== code);
  const scope = grantedScopes(store, clientId).join(' ');
  const body: Record<string, string> = {
    access_token: accessTokenFor(context, clientId, scope),
    token_type: 'bearer',
    scope,
  };
  const consentedScopes = store.state.consents[clientId] ?? [];
  if (consentedScopes.includes('openid')) {
    body.id_token = createIdToken({
      issuer: context.baseUrl,
      clientId,
      subject: subjectFor(store, user.username, clientId),
      issuedAt: store.nowSeconds(),
      user,
      consentedScopes,
      privateKeyPem: store.state.openIdKeys.privateKeyPem,
      tamper: controls.idTokenTamper,
    });
  }
  store.save();
  return { status: 200, body };
}
