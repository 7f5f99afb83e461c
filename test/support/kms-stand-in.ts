import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { type AwsOperation, AwsServiceError as KmsError, startAwsJsonService } from './aws-json-service';

/**
 * A local AWS KMS for the tests and the bench: the AWS JSON 1.1 protocol (`X-Amz-Target: TrentService.<Op>`),
 * `GenerateDataKey` and `Decrypt` only, for one key. The "encrypted" data key is the data key sealed with AES-256-GCM
 * under one in-memory master key, with the encryption context as additional data, so a wrong context fails as on
 * AWS; a request naming another key gets `NotFoundException`. Signatures are not checked.
 */
export interface KmsStandIn {
  readonly endpoint: string;
  readonly keyArn: string;
  /** Every operation received, in order. */
  readonly calls: string[];
  close(): Promise<void>;
}

const DEFAULT_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-4000-8000-000000000000';

export interface KmsStandInOptions {
  /** The one key it holds. */
  readonly keyArn?: string;
}

export async function startKmsStandIn(options: KmsStandInOptions = {}): Promise<KmsStandIn> {
  const keyArn = options.keyArn ?? DEFAULT_KEY_ARN;
  const masterKey = randomBytes(32);
  const requireThisKey = (input: Record<string, unknown>) => {
    if (input.KeyId !== undefined && input.KeyId !== keyArn) {
      throw new KmsError('NotFoundException', `Key '${String(input.KeyId)}' does not exist`);
    }
  };
  const contextOf = (input: Record<string, unknown>) =>
    JSON.stringify(Object.entries((input.EncryptionContext ?? {}) as Record<string, string>).sort());

  const operations: Record<string, AwsOperation> = {
    GenerateDataKey: (input) => {
      requireThisKey(input);
      const spec = input.KeySpec ?? 'AES_256';
      const size = typeof input.NumberOfBytes === 'number' ? input.NumberOfBytes : spec === 'AES_128' ? 16 : 32;
      const dataKey = randomBytes(size);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
      cipher.setAAD(Buffer.from(contextOf(input)));
      const sealed = Buffer.concat([iv, cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
      return { KeyId: keyArn, Plaintext: dataKey.toString('base64'), CiphertextBlob: sealed.toString('base64') };
    },
    Decrypt: (input) => {
      requireThisKey(input);
      const blob = Buffer.from(String(input.CiphertextBlob ?? ''), 'base64');
      try {
        const decipher = createDecipheriv('aes-256-gcm', masterKey, blob.subarray(0, 12));
        decipher.setAAD(Buffer.from(contextOf(input)));
        decipher.setAuthTag(blob.subarray(blob.length - 16));
        const plaintext = Buffer.concat([decipher.update(blob.subarray(12, blob.length - 16)), decipher.final()]);
        return { KeyId: keyArn, Plaintext: plaintext.toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
      } catch {
        throw new KmsError('InvalidCiphertextException', 'The ciphertext or its encryption context is invalid');
      }
    },
  };

  const service = await startAwsJsonService({
    targetPrefix: 'TrentService',
    jsonVersion: '1.1',
    operations,
    unknownOperationType: 'UnknownOperationException',
    internalErrorType: 'KMSInternalException',
  });
  return { ...service, keyArn };
}
