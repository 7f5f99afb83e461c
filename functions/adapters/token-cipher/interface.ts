/**
 * Encrypts a PIM's access token for storage, bound to that PIM: a ciphertext made for one PIM host cannot be
 * decrypted under another (KMS encryption context, or AES-GCM additional data locally).
 */
export interface TokenCipher {
  /**
   * Prepares an encryption for one PIM. It may call a remote service (KMS `GenerateDataKey`), so the callback
   * starts it beside the token exchange and only then seals the token, which is local work.
   */
  prepare(pimHost: string): Promise<TokenSealer>;
  /** Decrypts a stored token; throws `TokenDecryptionError` when the ciphertext was not made for this PIM. */
  decrypt(ciphertext: string, pimHost: string): Promise<string>;
}

/** Seals one token, locally, for the PIM it was prepared for. */
export interface TokenSealer {
  seal(token: string): string;
}
