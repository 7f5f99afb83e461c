import { randomBytes as nodeRandomBytes } from 'node:crypto';

/** Where time and randomness come from; tests and the local server may pass their own. */
export interface RuntimeOptions {
  /** Epoch seconds. */
  readonly now?: () => number;
  readonly randomBytes?: (size: number) => Uint8Array;
}

export const systemNow = () => Math.floor(Date.now() / 1000);
export const systemRandomBytes = (size: number): Uint8Array => nodeRandomBytes(size);
