import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openWithKey, sealWithKey } from './aes-gcm';
import { TokenDecryptionError } from './errors';
import type { TokenCipher, TokenSealer } from './interface';

const PREFIX = 'local1.';

/** AES-256-GCM under a key file in the data directory (mode 0600); the PIM host is the additional data. */
export class LocalKeyTokenCipher implements TokenCipher {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new RangeError('The local token key must be 32 bytes');
    this.key = key;
  }

  /** Loads `<dataDir>/token-key`, creating it on first use. */
  static fromDataDir(dataDir: string): LocalKeyTokenCipher {
    const path = join(dataDir, 'token-key');
    if (!existsSync(path)) {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      try {
        writeFileSync(path, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
      } catch (error) {
        // Another process created it first: use theirs.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    return new LocalKeyTokenCipher(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64'));
  }

  async prepare(pimHost: string): Promise<TokenSealer> {
    return { seal: (token) => PREFIX + sealWithKey(this.key, token, pimHost) };
  }

  async decrypt(ciphertext: string, pimHost: string): Promise<string> {
    try {
      if (!ciphertext.startsWith(PREFIX)) throw new Error('Not a local token ciphertext');
      return openWithKey(this.key, ciphertext.slice(PREFIX.length), pimHost);
    } catch (error) {
      throw new TokenDecryptionError(pimHost, { cause: error });
    }
  }
}
