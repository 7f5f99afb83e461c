import { randomBytes } from 'node:crypto';
import {
  DecryptCommand,
  type DecryptCommandInput,
  GenerateDataKeyCommand,
  type GenerateDataKeyCommandInput,
  InvalidCiphertextException,
  KMSClient,
  KMSInternalException,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { TokenDecryptionError } from '../../../functions/adapters/token-cipher/errors';
import { KmsTokenCipher } from '../../../functions/adapters/token-cipher/kms';

// KMS has no local stand-in, so aws-sdk-client-mock plays it here. The fake behaves like the service where it
// matters: each GenerateDataKey issues a fresh key and an opaque blob, and Decrypt gives the key back only for a
// blob it issued and only under the exact encryption context it was issued with (else InvalidCiphertextException).
const KEY_ID = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const PIM = 'acme.cloud.akeneo.com';
const OTHER_PIM = 'globex.cloud.akeneo.com';
const TOKEN = 'NzFiYTM4ZTEwMjcwZTcyZWIzZTA0NmY3NjE3MTIyMjM1Y2NlMmNlNWEyMTAzY2UzYmY0YWIxYmUzNTkyMDcyNQ';

const kms = mockClient(KMSClient);
let issued: Map<string, { key: Buffer; context: Record<string, string> | undefined }>;
let handedOutKeys: Uint8Array[];

function invalidCiphertext(): InvalidCiphertextException {
  return new InvalidCiphertextException({ message: 'Invalid ciphertext', $metadata: {} });
}

function sameContext(a: Record<string, string> = {}, b: Record<string, string> = {}): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

beforeEach(() => {
  kms.reset();
  issued = new Map();
  handedOutKeys = [];
  kms.on(GenerateDataKeyCommand).callsFake((input: GenerateDataKeyCommandInput) => {
    const key = randomBytes(32);
    const blob = randomBytes(184);
    issued.set(blob.toString('base64'), { key, context: input.EncryptionContext });
    const plaintext = Uint8Array.from(key);
    handedOutKeys.push(plaintext);
    return { KeyId: KEY_ID, Plaintext: plaintext, CiphertextBlob: Uint8Array.from(blob) };
  });
  kms.on(DecryptCommand).callsFake((input: DecryptCommandInput) => {
    const entry = issued.get(Buffer.from(input.CiphertextBlob ?? []).toString('base64'));
    if (!entry || !sameContext(entry.context, input.EncryptionContext)) throw invalidCiphertext();
    const plaintext = Uint8Array.from(entry.key);
    handedOutKeys.push(plaintext);
    return { KeyId: KEY_ID, Plaintext: plaintext };
  });
});

async function encrypt(cipher: KmsTokenCipher, pimHost = PIM): Promise<string> {
  return (await cipher.prepare(pimHost)).seal(TOKEN);
}

describe('KmsTokenCipher', () => {
  const cipher = new KmsTokenCipher({ keyId: KEY_ID, kms: new KMSClient({ region: 'eu-west-1' }) });

  it('decrypts what it encrypted for the same PIM', async () => {
    const ciphertext = await encrypt(cipher);

    expect(ciphertext).toMatch(/^kms1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(ciphertext).not.toContain(TOKEN);
    await expect(cipher.decrypt(ciphertext, PIM)).resolves.toBe(TOKEN);
  });

  it('asks KMS for an AES-256 data key bound to the PIM host', async () => {
    await cipher.prepare(PIM);

    const calls = kms.commandCalls(GenerateDataKeyCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input).toEqual({ KeyId: KEY_ID, KeySpec: 'AES_256', EncryptionContext: { pimHost: PIM } });
  });

  it('decrypts the data key with the same key id and encryption context', async () => {
    const ciphertext = await encrypt(cipher);
    const blob = ciphertext.split('.')[1];

    await cipher.decrypt(ciphertext, PIM);

    const calls = kms.commandCalls(DecryptCommand);
    expect(calls).toHaveLength(1);
    const { CiphertextBlob, ...rest } = calls[0].args[0].input;
    expect(Buffer.from(CiphertextBlob ?? []).toString('base64url')).toBe(blob);
    expect(rest).toEqual({ EncryptionContext: { pimHost: PIM }, KeyId: KEY_ID });
  });

  it('refuses a token copied onto another PIM', async () => {
    const ciphertext = await encrypt(cipher, PIM);

    const error = await cipher.decrypt(ciphertext, OTHER_PIM).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TokenDecryptionError);
    expect((error as TokenDecryptionError).cause).toBeInstanceOf(InvalidCiphertextException);
    expect(String(error)).not.toContain(TOKEN);
  });

  it('refuses a tampered token', async () => {
    const [format, blob, iv, tag, sealed] = (await encrypt(cipher)).split('.');
    const flipped = Buffer.from(sealed, 'base64url');
    flipped[0] ^= 1;
    const tampered = [format, blob, iv, tag, flipped.toString('base64url')].join('.');

    await expect(cipher.decrypt(tampered, PIM)).rejects.toBeInstanceOf(TokenDecryptionError);
  });

  it('refuses a value in another format without calling KMS', async () => {
    const local = (await encrypt(cipher)).replace(/^kms1\./, 'local1.');

    await expect(cipher.decrypt(local, PIM)).rejects.toBeInstanceOf(TokenDecryptionError);
    await expect(cipher.decrypt('not a token', PIM)).rejects.toBeInstanceOf(TokenDecryptionError);
    expect(kms.commandCalls(DecryptCommand)).toHaveLength(0);
  });

  it('turns a KMS failure into TokenDecryptionError that keeps the cause', async () => {
    const ciphertext = await encrypt(cipher);
    const failure = new KMSInternalException({ message: 'Internal error', $metadata: {} });
    kms.on(DecryptCommand).rejects(failure);

    const error = await cipher.decrypt(ciphertext, PIM).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TokenDecryptionError);
    expect((error as TokenDecryptionError).cause).toBe(failure);
  });

  it('zeroes the plaintext data keys once used', async () => {
    const ciphertext = await encrypt(cipher);
    await cipher.decrypt(ciphertext, PIM);

    expect(handedOutKeys).toHaveLength(2);
    for (const key of handedOutKeys) expect(key.every((byte) => byte === 0)).toBe(true);
  });

  it('seals one token per prepared data key', async () => {
    const sealer = await cipher.prepare(PIM);
    sealer.seal(TOKEN);

    expect(() => sealer.seal(TOKEN)).toThrow(/already used/);
  });
});
