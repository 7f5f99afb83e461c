import { createPrivateKey, generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import type { IdTokenTamper, SandboxUser } from './types';

const ID_TOKEN_LIFETIME_SECONDS = 3600;
const EVIL_ISSUER = 'https://evil.example.com';

export interface IdTokenInput {
  issuer: string;
  clientId: string;
  subject: string;
  /** Sandbox time in seconds, with microseconds. */
  issuedAt: number;
  user: SandboxUser;
  consentedScopes: readonly string[];
  privateKeyPem: string;
  tamper: IdTokenTamper | undefined;
}

// Generated once per process and only when a test asks for a bad signature.
let foreignKey: KeyObject | undefined;

function foreignSigningKey(): KeyObject {
  foreignKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  return foreignKey;
}

function base64UrlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function toMicroseconds(seconds: number): number {
  return Math.round(seconds * 1_000_000) / 1_000_000;
}

/** Claims in the PIM's insertion order; iat/exp keep their microseconds as lcobucci/jwt does. */
function buildClaims(input: IdTokenInput): Record<string, unknown> {
  const issuedAt = input.tamper === 'expired' ? input.issuedAt - 2 * ID_TOKEN_LIFETIME_SECONDS : input.issuedAt;
  const claims: Record<string, unknown> = {
    iss: input.tamper === 'wrong-iss' ? EVIL_ISSUER : input.issuer,
    jti: randomUUID(),
    sub: input.subject,
    aud: input.tamper === 'wrong-aud' ? randomUUID() : input.clientId,
    iat: toMicroseconds(issuedAt),
    exp: toMicroseconds(issuedAt + ID_TOKEN_LIFETIME_SECONDS),
  };
  if (input.consentedScopes.includes('profile')) {
    claims.firstname = input.user.firstname;
    claims.lastname = input.user.lastname;
  }
  if (input.consentedScopes.includes('email')) {
    claims.email = input.user.email;
    claims.email_verified = false;
  }
  return claims;
}

/** An RS256 id_token with the header `{"typ":"JWT","alg":"RS256"}` (no kid). */
export function createIdToken(input: IdTokenInput): string {
  const signingInput = `${base64UrlJson({ typ: 'JWT', alg: 'RS256' })}.${base64UrlJson(buildClaims(input))}`;
  const key = input.tamper === 'bad-signature' ? foreignSigningKey() : createPrivateKey(input.privateKeyPem);
  return `${signingInput}.${sign('sha256', Buffer.from(signingInput), key).toString('base64url')}`;
}
