import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalKeyTokenCipher } from '../../../functions/adapters/token-cipher/local-key';

describe('LocalKeyTokenCipher', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cipher-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('round-trips a token for its PIM, with a key file only its owner can read', async () => {
    const cipher = LocalKeyTokenCipher.fromDataDir(dataDir);
    const sealed = (await cipher.prepare('pim.example.com')).seal('the-token');

    expect(sealed).not.toContain('the-token');
    await expect(LocalKeyTokenCipher.fromDataDir(dataDir).decrypt(sealed, 'pim.example.com')).resolves.toBe(
      'the-token',
    );
    expect(statSync(join(dataDir, 'token-key')).mode & 0o777).toBe(0o600);
  });

  it('refuses a token copied onto another PIM, and a tampered one', async () => {
    const cipher = LocalKeyTokenCipher.fromDataDir(dataDir);
    const sealed = (await cipher.prepare('pim.example.com')).seal('the-token');
    const tampered = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}`;

    await expect(cipher.decrypt(sealed, 'other.example.com')).rejects.toMatchObject({
      code: 'token_decryption_failed',
    });
    await expect(cipher.decrypt(tampered, 'pim.example.com')).rejects.toMatchObject({
      code: 'token_decryption_failed',
    });
    await expect(cipher.decrypt('kms1.x.y', 'pim.example.com')).rejects.toMatchObject({
      code: 'token_decryption_failed',
    });
  });
});
