import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  type AwsOperation,
  AwsServiceError as KmsError,
  startAwsJsonService,
} from '../../test/support/aws-json-service';

/**
 * A local AWS KMS for the bench: the AWS JSON 1.1 protocol (`X-Amz-Target: TrentService.<Op>`), `GenerateDataKey`
 * and `Decrypt` only. The "encrypted" data key is the data key sealed with AES-256-GCM under one in-memory master
 * key, with the encryption context as additional data, so a wrong context fails as on AWS. Signatures are not
 * checked.
 */
export interface KmsStandIn {
  readonly endpoint: string;
  readonly keyArn: string;
  /** Every operation received, in order. */
  readonly calls: string[];
  close(): Promise<void>;
}

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-4000-8000-000000000000';

export async function startKmsStandIn(): Promise<KmsStandIn> {
  const masterKey = randomBytes(32);
  const contextOf = (input: Record<string, unknown>) =>
    JSON.stringify(Object.entries((input.EncryptionContext ?? {}) as Record<string, string>).sort());

  const operations: Record<string, AwsOperation> = {
    GenerateDataKey: (input) => {
      const spec = input.KeySpec ?? 'AES_256';
      const size = typeof input.NumberOfBytes === 'number' ? input.NumberOfBytes : spec === 'AES_128' ? 16 : 32;
      const dataKey = randomBytes(size);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
      cipher.setAAD(Buffer.from(contextOf(input)));
      const sealed = Buffer.concat([iv, cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
      return { KeyId: KEY_ARN, Plaintext: dataKey.toString('base64'), CiphertextBlob: sealed.toString('base64') };
    },
    Decrypt: (input) => {
      const blob = Buffer.from(String(input.CiphertextBlob ?? ''), 'base64');
      try {
        const decipher = createDecipheriv('aes-256-gcm', masterKey, blob.subarray(0, 12));
        decipher.setAAD(Buffer.from(contextOf(input)));
        decipher.setAuthTag(blob.subarray(blob.length - 16));
        const plaintext = Buffer.concat([decipher.update(blob.subarray(12, blob.length - 16)), decipher.final()]);
        return { KeyId: KEY_ARN, Plaintext: plaintext.toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
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
  return { ...service, keyArn: KEY_ARN };
}
