import type { TokenCipher } from '../adapters/token-cipher/interface';
import type { Connection } from '../core/connection';
import { pimBaseUrl } from '../core/pim-base-url';
import type { PimUrlPolicy } from '../core/pim-url';

/** What a worker may use to call one PIM: its base URL, checked against the sealed host, and its token. */
export interface PimAccess {
  readonly pimHost: string;
  /** Scheme, host and port: `https://my-pim.cloud.akeneo.com`. */
  readonly baseUrl: string;
  readonly accessToken: string;
}

export interface PimAccessDeps {
  readonly cipher: Pick<TokenCipher, 'decrypt'>;
  /** AWS: https only; local: http too, for loopback PIMs. */
  readonly pimUrlPolicy: PimUrlPolicy;
}

/**
 * The one way from a stored connection to a token and where to send it. The base URL comes from the host the token
 * is sealed to, so a row whose `pimUrl` was changed behind the callback's back is refused (`PimUrlMismatchError`)
 * before the token is decrypted, and the token only ever goes to the PIM that issued it.
 */
export async function openPimAccess(connection: Connection, deps: PimAccessDeps): Promise<PimAccess> {
  const baseUrl = pimBaseUrl(connection.pimHost, connection.pimUrl, deps.pimUrlPolicy);
  const accessToken = await deps.cipher.decrypt(connection.encryptedToken, connection.pimHost);
  return { pimHost: connection.pimHost, baseUrl, accessToken };
}
