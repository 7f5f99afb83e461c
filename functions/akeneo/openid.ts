import { importX509, type JWTPayload, errors as joseErrors, jwtVerify } from 'jose';
import { AppError, InvalidIdTokenError, UnexpectedPimAnswerError } from '../core/errors';
import type { PimHttp } from './pim-http';

type PublicKey = Awaited<ReturnType<typeof importX509>>;

export interface IdTokenCheck {
  readonly pimUrl: string;
  readonly clientId: string;
  /** Epoch seconds. */
  readonly now: number;
}

/** Seconds of clock difference tolerated between the PIM and us on `exp`. */
export const ID_TOKEN_CLOCK_SKEW_SECONDS = 60;

/**
 * Verifies the PIM's OpenID id_token: RS256 only, issued by that PIM, for our client id, not expired. The PIM's key
 * (a certificate without `kid`) is cached per PIM and fetched again once when a signature does not verify, since
 * Akeneo regenerates it from time to time.
 */
export class OpenIdVerifier {
  private readonly keys = new Map<string, Promise<PublicKey>>();

  constructor(private readonly http: PimHttp) {}

  /** Starts fetching the key, so that it runs beside the token exchange; failures surface in `verify`. */
  prefetch(pimUrl: string): void {
    this.key(pimUrl).catch(() => undefined);
  }

  async verify(idToken: string, check: IdTokenCheck): Promise<JWTPayload & { sub: string }> {
    try {
      return await this.verifyWith(await this.key(check.pimUrl), idToken, check);
    } catch (error) {
      if (!(error instanceof joseErrors.JWSSignatureVerificationFailed)) throw translate(error);
    }
    this.keys.delete(check.pimUrl);
    try {
      return await this.verifyWith(await this.key(check.pimUrl), idToken, check);
    } catch (error) {
      throw translate(error);
    }
  }

  private async verifyWith(key: PublicKey, idToken: string, check: IdTokenCheck) {
    const { payload } = await jwtVerify(idToken, key, {
      algorithms: ['RS256'],
      audience: check.clientId,
      currentDate: new Date(check.now * 1000),
      clockTolerance: ID_TOKEN_CLOCK_SKEW_SECONDS,
      requiredClaims: ['iss', 'sub', 'aud', 'exp'],
    });
    if (!sameIssuer(payload.iss, check.pimUrl)) throw new InvalidIdTokenError('The id_token was issued by another PIM');
    if (typeof payload.sub !== 'string' || payload.sub === '')
      throw new InvalidIdTokenError('The id_token has no subject');
    return payload as JWTPayload & { sub: string };
  }

  private key(pimUrl: string): Promise<PublicKey> {
    let key = this.keys.get(pimUrl);
    if (!key) {
      key = this.fetchKey(pimUrl);
      key.catch(() => this.keys.delete(pimUrl));
      this.keys.set(pimUrl, key);
    }
    return key;
  }

  private async fetchKey(pimUrl: string): Promise<PublicKey> {
    const response = await this.http.get(`${pimUrl}/connect/apps/v1/openid/public-key`);
    let pem: unknown;
    try {
      pem = (JSON.parse(response.body) as { public_key?: unknown }).public_key;
    } catch {
      pem = undefined;
    }
    if (response.status !== 200 || typeof pem !== 'string') {
      throw new UnexpectedPimAnswerError(`The PIM's OpenID public key is unavailable (${response.status})`);
    }
    try {
      return await importX509(pem, 'RS256');
    } catch (error) {
      throw new UnexpectedPimAnswerError("The PIM's OpenID public key is not a certificate", { cause: error });
    }
  }
}

/** The PIM's `iss` is its configured URL: compare origins, so case and a trailing slash do not matter. */
function sameIssuer(issuer: unknown, pimUrl: string): boolean {
  if (typeof issuer !== 'string') return false;
  try {
    return new URL(issuer).origin === pimUrl;
  } catch {
    return false;
  }
}

function translate(error: unknown): Error {
  if (error instanceof AppError) return error;
  if (error instanceof joseErrors.JOSEError) {
    return new InvalidIdTokenError(`The id_token did not verify (${error.code})`, { cause: error });
  }
  return new InvalidIdTokenError('The id_token did not verify', { cause: error });
}
