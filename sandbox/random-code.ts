import { createHash, randomBytes } from 'node:crypto';

/** The PIM's RandomCodeGenerator: base64url(sha256_hex(bytes)) without padding, 86 characters. */
export function pimCodeFromBytes(bytes: Buffer | string): string {
  const hex = createHash('sha256').update(bytes).digest('hex');
  return Buffer.from(hex).toString('base64url');
}

/** A fresh PIM-format code, used for authorization codes, access tokens and client secrets. */
export function randomPimCode(): string {
  return pimCodeFromBytes(randomBytes(100));
}
