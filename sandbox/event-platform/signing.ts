import { createHmac } from 'node:crypto';

export const SIGNATURE_ALGORITHM = 'HmacSHA256';
export const PLATFORM_USER_AGENT = 'akeneo/event-platform';

/** Hex HMAC-SHA256 of the raw body bytes: what X-AKENEO-SIGNATURE-* carry. */
export function signBody(secret: string, body: Buffer): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/**
 * The headers of a platform POST: JSON, the platform's user agent, the signatures (secondary only when a secondary
 * secret is set) and the algorithm.
 */
export function signedHeaders(body: Buffer, secrets: { primary: string; secondary?: string }): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': PLATFORM_USER_AGENT,
    'x-akeneo-signature-primary': signBody(secrets.primary, body),
    ...(secrets.secondary === undefined ? {} : { 'x-akeneo-signature-secondary': signBody(secrets.secondary, body) }),
    'x-akeneo-signature-algorithm': SIGNATURE_ALGORITHM,
  };
}
