import type { CredentialsRegistry, PimCredentials } from '../adapters/credentials-registry';
import type { PimHttp } from '../akeneo/pim-http';
import { requestAccessToken, type TokenResponse } from '../akeneo/token-endpoint';
import { codeChallenge, codeIdentifierFrom } from '../core/code-challenge';
import { PimNotRegisteredError, PimRejectedCredentialsError } from '../core/errors';

export interface ExchangeCodeDeps {
  readonly http: PimHttp;
  readonly credentials: CredentialsRegistry;
  readonly randomBytes: (size: number) => Uint8Array;
  /** Told when the PIM refused the cached credentials and fresh ones are being tried. */
  readonly onCredentialsRetry?: (pimHost: string) => void;
}

export interface ExchangeCodeInput {
  readonly pimUrl: string;
  readonly pimHost: string;
  readonly code: string;
  readonly credentials: PimCredentials;
}

export interface ExchangedCode {
  readonly token: TokenResponse;
  /** The credentials the PIM accepted: fresher than the input ones after a rotation. */
  readonly credentials: PimCredentials;
}

/**
 * Exchanges the code with the credentials at hand. When the PIM answers `invalid_client`, ops may have just
 * applied a *Regenerate*: read the credentials again, bypassing the cache, and retry once if they changed.
 */
export async function exchangeCode(deps: ExchangeCodeDeps, input: ExchangeCodeInput): Promise<ExchangedCode> {
  const attempt = async (credentials: PimCredentials): Promise<ExchangedCode> => {
    const codeIdentifier = codeIdentifierFrom(deps.randomBytes(30));
    const token = await requestAccessToken(deps.http, input.pimUrl, {
      clientId: credentials.clientId,
      code: input.code,
      codeIdentifier,
      codeChallenge: codeChallenge(codeIdentifier, credentials.clientSecret),
    });
    return { token, credentials };
  };
  try {
    return await attempt(input.credentials);
  } catch (error) {
    if (!(error instanceof PimRejectedCredentialsError)) throw error;
    const fresh = await deps.credentials.get(input.pimHost, { fresh: true });
    if (!fresh) throw new PimNotRegisteredError(input.pimUrl);
    const changed =
      fresh.clientId !== input.credentials.clientId || fresh.clientSecret !== input.credentials.clientSecret;
    if (!changed) throw error;
    deps.onCredentialsRetry?.(input.pimHost);
    return attempt(fresh);
  }
}
