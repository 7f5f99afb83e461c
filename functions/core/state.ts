import { createHash, timingSafeEqual } from 'node:crypto';

/** How long a browser has between Activate and Callback. */
export const STATE_TTL_SECONDS = 600;
/** 256 bits: the state value and the browser binding are each this many random bytes. */
export const STATE_RANDOM_BYTES = 32;

/** What the activate step remembers server-side, keyed by the hash of the state value. */
export interface AuthorizationState {
  readonly stateHash: string;
  readonly pimUrl: string;
  readonly pimHost: string;
  readonly requestedScopes: readonly string[];
  /** SHA-256 of the value of the cookie set in the browser that started the flow. */
  readonly browserBindingHash: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface NewAuthorization {
  /** Goes to the PIM in the authorize URL and comes back in the callback; never stored as such. */
  readonly state: string;
  /** Goes into the browser's cookie; never stored as such. */
  readonly browserBinding: string;
  readonly record: AuthorizationState;
}

export interface NewAuthorizationInput {
  readonly pimUrl: string;
  readonly pimHost: string;
  readonly requestedScopes: readonly string[];
  /** Epoch seconds. */
  readonly now: number;
  readonly randomBytes: (size: number) => Uint8Array;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function newAuthorization(input: NewAuthorizationInput): NewAuthorization {
  const state = Buffer.from(input.randomBytes(STATE_RANDOM_BYTES)).toString('base64url');
  const browserBinding = Buffer.from(input.randomBytes(STATE_RANDOM_BYTES)).toString('base64url');
  return {
    state,
    browserBinding,
    record: {
      stateHash: sha256Hex(state),
      pimUrl: input.pimUrl,
      pimHost: input.pimHost,
      requestedScopes: [...input.requestedScopes],
      browserBindingHash: sha256Hex(browserBinding),
      createdAt: input.now,
      expiresAt: input.now + STATE_TTL_SECONDS,
    },
  };
}

/** Constant-time equality of two hex digests. */
export function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A state value as the app issues it: 43 base64url characters. Anything else is not worth a database read. */
export function looksLikeState(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}
