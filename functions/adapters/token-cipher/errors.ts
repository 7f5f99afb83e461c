import { AppError } from '../../core/errors';

/** A stored token could not be decrypted: wrong PIM, tampered ciphertext, or a key that is not ours. */
export class TokenDecryptionError extends AppError {
  readonly code = 'token_decryption_failed';
  constructor(pimHost: string, options?: ErrorOptions) {
    super(`The stored token of ${pimHost} could not be decrypted`, options);
  }
}
