import { createHmac, timingSafeEqual } from 'node:crypto';

/** The only algorithm the Event Platform signs with (`X-AKENEO-SIGNATURE-ALGORITHM`). */
export const SIGNATURE_ALGORITHM = 'HmacSHA256';

/** The signature headers of one delivery: `X-AKENEO-SIGNATURE-PRIMARY`, `-SECONDARY` and `-ALGORITHM`. */
export interface DeliverySignatures {
  readonly primary?: string;
  readonly secondary?: string;
  readonly algorithm?: string;
}

export type SignatureCheck = 'valid' | 'unsigned' | 'unsupported_algorithm' | 'bad_signature';

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/**
 * Whether a delivery was signed by Akeneo with one of the PIM's secrets: the hex HMAC-SHA256 of the raw body, in
 * constant time. Every signature header given is checked against every secret the app holds, so a rotation verifies
 * whichever side switched first (Akeneo's primary and secondary, the app's primary and secondary).
 */
export function checkSignature(
  rawBody: Buffer,
  signatures: DeliverySignatures,
  secrets: readonly string[],
): SignatureCheck {
  const given = [signatures.primary, signatures.secondary].filter(
    (value): value is string => value !== undefined && value !== '',
  );
  if (given.length === 0) return 'unsigned';
  if (signatures.algorithm !== undefined && signatures.algorithm !== SIGNATURE_ALGORITHM) {
    return 'unsupported_algorithm';
  }
  const expected = secrets
    .filter((secret) => secret !== '')
    .map((secret) => createHmac('sha256', secret).update(rawBody).digest());
  let valid = false;
  for (const signature of given) {
    if (!HEX_SHA256.test(signature)) continue;
    const bytes = Buffer.from(signature, 'hex');
    for (const digest of expected) valid = timingSafeEqual(bytes, digest) || valid;
  }
  return valid ? 'valid' : 'bad_signature';
}
