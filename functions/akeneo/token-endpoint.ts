import {
  AuthorizationCodeExpiredError,
  AuthorizationCodeInvalidError,
  PimRejectedCredentialsError,
  PimUnavailableError,
  UnexpectedPimAnswerError,
} from '../core/errors';
import { withoutControlCharacters } from '../core/plain-text';
import { parseScopeString } from '../core/scopes';
import type { PimHttp } from './pim-http';

export interface TokenRequest {
  readonly clientId: string;
  readonly code: string;
  readonly codeIdentifier: string;
  readonly codeChallenge: string;
}

/** Akeneo's token answer: the token never expires, there is no refresh token. */
export interface TokenResponse {
  readonly accessToken: string;
  readonly scopes: string[];
  readonly idToken?: string;
}

/** Exchanges an authorization code at `{pim}/connect/apps/v1/oauth2/token`; every PIM error becomes a named error. */
export async function requestAccessToken(http: PimHttp, pimUrl: string, token: TokenRequest): Promise<TokenResponse> {
  const response = await http.postForm(`${pimUrl}/connect/apps/v1/oauth2/token`, {
    client_id: token.clientId,
    code: token.code,
    grant_type: 'authorization_code',
    code_identifier: token.codeIdentifier,
    code_challenge: token.codeChallenge,
  });
  if (response.status >= 500) throw new PimUnavailableError(`The PIM's token endpoint answered ${response.status}`);
  const body = parseJson(response.body);
  if (response.status === 400) throw tokenError(body);
  if (response.status !== 200) {
    throw new UnexpectedPimAnswerError(`The PIM's token endpoint answered ${response.status}`);
  }
  const { access_token: accessToken, scope, id_token: idToken } = (body ?? {}) as Record<string, unknown>;
  if (typeof accessToken !== 'string' || accessToken === '' || (scope !== undefined && typeof scope !== 'string')) {
    throw new UnexpectedPimAnswerError('The PIM answered the token request without an access token');
  }
  return {
    accessToken,
    // The PIM's text, stored and printed later: no control character survives, whatever separates the scopes.
    scopes: typeof scope === 'string' ? parseScopeString(withoutControlCharacters(scope)) : [],
    ...(typeof idToken === 'string' && idToken !== '' ? { idToken } : {}),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UnexpectedPimAnswerError('The PIM answered the token request with something that is not JSON');
  }
}

function tokenError(body: unknown): Error {
  const { error, error_description: description } = (body ?? {}) as Record<string, unknown>;
  switch (error) {
    case 'invalid_client':
      return new PimRejectedCredentialsError("The PIM rejected the app's client id or secret (invalid_client)");
    case 'invalid_grant':
      return description === 'Code has expired'
        ? new AuthorizationCodeExpiredError('The authorization code expired before it was exchanged')
        : new AuthorizationCodeInvalidError('The PIM no longer knows this authorization code');
    default:
      return new UnexpectedPimAnswerError(`The PIM refused the token request (${errorCodeForLog(error)})`);
  }
}

/** Only a plain OAuth error code may reach a log line or a page: a PIM's answer is untrusted text. */
function errorCodeForLog(error: unknown): string {
  return typeof error === 'string' && /^[a-z_]{1,40}$/.test(error) ? error : 'no error code';
}
