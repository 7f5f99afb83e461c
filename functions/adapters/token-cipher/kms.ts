import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { openWithKey, sealWithKey } from './aes-gcm';
import { TokenDecryptionError } from './errors';
import type { TokenCipher, TokenSealer } from './interface';

/** Format tag of a stored token: `kms1.<encrypted data key>.<AES-GCM sealed token>`, all base64url. */
const FORMAT = 'kms1';

export interface KmsTokenCipherOptions {
  readonly keyId: string;
  /** The wiring's client (named after its function, see `wiring/aws-clients.ts`); tests pass a mocked one. */
  readonly kms: KMSClient;
}

/**
 * Envelope encryption under a KMS key: one fresh data key per token, generated and decrypted with the PIM host as
 * encryption context (and used as the AES-GCM additional data), so a token copied onto another PIM's row cannot be
 * decrypted. Encrypting needs only `kms:GenerateDataKey`; decrypting only `kms:Decrypt`.
 */
export class KmsTokenCipher implements TokenCipher {
  readonly #keyId: string;
  readonly #kms: KMSClient;

  constructor(options: KmsTokenCipherOptions) {
    this.#keyId = options.keyId;
    this.#kms = options.kms;
  }

  async prepare(pimHost: string): Promise<TokenSealer> {
    const { Plaintext, CiphertextBlob } = await this.#kms.send(
      new GenerateDataKeyCommand({ KeyId: this.#keyId, KeySpec: 'AES_256', EncryptionContext: { pimHost } }),
    );
    if (!Plaintext || !CiphertextBlob) {
      Plaintext?.fill(0);
      throw new Error('KMS GenerateDataKey returned no data key');
    }
    const encryptedKey = Buffer.from(CiphertextBlob).toString('base64url');
    let dataKey: Uint8Array | undefined = Plaintext;
    return {
      seal(token: string): string {
        if (!dataKey) throw new Error('This sealer was already used: prepare one per token');
        try {
          return `${FORMAT}.${encryptedKey}.${sealWithKey(dataKey, token, pimHost)}`;
        } finally {
          dataKey.fill(0);
          dataKey = undefined;
        }
      },
    };
  }

  async decrypt(ciphertext: string, pimHost: string): Promise<string> {
    let dataKey: Uint8Array | undefined;
    try {
      const { encryptedKey, sealed } = parse(ciphertext);
      const { Plaintext } = await this.#kms.send(
        new DecryptCommand({ CiphertextBlob: encryptedKey, EncryptionContext: { pimHost }, KeyId: this.#keyId }),
      );
      if (!Plaintext) throw new Error('KMS Decrypt returned no plaintext');
      dataKey = Plaintext;
      return openWithKey(dataKey, sealed, pimHost);
    } catch (cause) {
      throw new TokenDecryptionError(pimHost, { cause });
    } finally {
      dataKey?.fill(0);
    }
  }
}

function parse(ciphertext: string): { encryptedKey: Uint8Array; sealed: string } {
  const parts = ciphertext.split('.');
  if (parts.length !== 5 || parts[0] !== FORMAT) throw new Error(`Not a ${FORMAT} token ciphertext`);
  const [, encryptedKey, ...sealed] = parts;
  return { encryptedKey: Buffer.from(encryptedKey, 'base64url'), sealed: sealed.join('.') };
}
