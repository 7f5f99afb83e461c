import { createHash } from 'node:crypto';

/**
 * Akeneo's code challenge: lowercase hex SHA-256 of the code identifier followed by the client secret.
 * It is not RFC 7636 PKCE: the secret never travels, the PIM recomputes the same hash.
 */
export function codeChallenge(codeIdentifier: string, clientSecret: string): string {
  return createHash('sha256')
    .update(codeIdentifier + clientSecret, 'utf8')
    .digest('hex');
}

/** A fresh code identifier: 30 random bytes as hex, as Akeneo's sample apps use. */
export function codeIdentifierFrom(randomBytes: Uint8Array): string {
  if (randomBytes.length < 30) throw new RangeError('A code identifier needs at least 30 random bytes');
  return Buffer.from(randomBytes).toString('hex');
}
