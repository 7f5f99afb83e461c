import { normalisePimUrl, type PimUrlPolicy } from './pim-url';
import { PimUrlMismatchError } from './sync-errors';

/**
 * Where a stored token may be sent: the PIM whose host the token is sealed to (KMS encryption context, AES-GCM
 * additional data), over https, or locally over http for a loopback host. The stored `pimUrl` only says which of
 * the two schemes a local loopback PIM uses; a `pimUrl` that names another host, or plain http where https is
 * required, is refused (`PimUrlMismatchError`) before anything is decrypted or sent.
 */
export function pimBaseUrl(sealedHost: string, storedUrl: unknown, policy: PimUrlPolicy): string {
  if (typeof storedUrl !== 'string') {
    throw new PimUrlMismatchError(sealedHost, `The stored connection of ${sealedHost} has no PIM URL`);
  }
  let stored: { readonly url: string; readonly host: string };
  try {
    stored = normalisePimUrl(storedUrl, policy);
  } catch (error) {
    const why = error instanceof Error ? error.message : 'it is not a valid PIM URL';
    throw new PimUrlMismatchError(sealedHost, `The stored URL of ${sealedHost} is refused: ${why}`);
  }
  if (stored.host !== sealedHost) {
    throw new PimUrlMismatchError(
      sealedHost,
      `The stored URL of ${sealedHost} names another host (${stored.host}) than the one its token was issued for`,
    );
  }
  return stored.url;
}

/** A link kept in the stored connection (a checkpoint's next page) must lead to the same PIM as its base URL. */
export function checkStoredLink(sealedHost: string, link: string, baseUrl: string): void {
  let url: URL | undefined;
  try {
    url = new URL(link);
  } catch {
    url = undefined;
  }
  if (url?.origin !== baseUrl) {
    const where = url ? `leads to ${url.origin}, not ${baseUrl}` : 'is not a URL';
    throw new PimUrlMismatchError(sealedHost, `The stored next page of ${sealedHost} ${where}`);
  }
}
