import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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

class KmsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startKmsStandIn(): Promise<KmsStandIn> {
  const masterKey = randomBytes(32);
  const calls: string[] = [];
  const contextOf = (input: Record<string, unknown>) =>
    JSON.stringify(Object.entries((input.EncryptionContext ?? {}) as Record<string, string>).sort());

  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
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

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) =>
      send(response, 500, { __type: 'KMSInternalException', message: String(error) }),
    );
  });
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = String(request.headers['x-amz-target'] ?? '');
    const name = target.startsWith('TrentService.') ? target.slice('TrentService.'.length) : '';
    const operation = operations[name];
    if (!operation) return send(response, 400, { __type: 'UnknownOperationException', message: target });
    calls.push(name);
    try {
      send(response, 200, operation(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')));
    } catch (error) {
      if (!(error instanceof KmsError)) throw error;
      send(response, 400, { __type: error.type, message: error.message });
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    keyArn: KEY_ARN,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  response.end(text);
}
