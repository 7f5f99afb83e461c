import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An error as an AWS JSON service returns it: `{"__type": type, "message": …}` with status 400. */
export class AwsServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export type AwsOperation = (input: Record<string, unknown>) => unknown;

export interface AwsJsonServiceOptions {
  /** `secretsmanager`, `TrentService`, `AmazonSQS`: what precedes the operation in `X-Amz-Target`. */
  readonly targetPrefix: string;
  /** The service's AWS JSON protocol version, in the content type both ways. */
  readonly jsonVersion: '1.0' | '1.1';
  readonly operations: Readonly<Record<string, AwsOperation>>;
  /** The `__type` of an unknown operation and of an unexpected failure. */
  readonly unknownOperationType: string;
  readonly internalErrorType: string;
  /** Refuse requests that are not SigV4-signed or not of the protocol's content type, as AWS does. */
  readonly strict?: boolean;
}

export interface AwsJsonService {
  readonly endpoint: string;
  /** Every operation received, in order. */
  readonly calls: string[];
  close(): Promise<void>;
}

/**
 * A local stand-in for an AWS service that speaks the AWS JSON protocol (`X-Amz-Target: <prefix>.<Operation>`),
 * so the unmodified SDK client, pointed at it with `AWS_ENDPOINT_URL_<SERVICE>`, runs as against AWS.
 */
export async function startAwsJsonService(options: AwsJsonServiceOptions): Promise<AwsJsonService> {
  const calls: string[] = [];
  const contentType = `application/x-amz-json-${options.jsonVersion}`;
  const send = (response: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': contentType,
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
    });
    response.end(text);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = String(request.headers['x-amz-target'] ?? '');
    const prefix = `${options.targetPrefix}.`;
    const name = target.startsWith(prefix) ? target.slice(prefix.length) : '';
    const operation = options.operations[name];
    if (request.method !== 'POST' || !operation) {
      return send(response, 400, { __type: options.unknownOperationType, message: `Unknown operation ${target}` });
    }
    if (options.strict && !String(request.headers['content-type'] ?? '').startsWith(contentType)) {
      return send(response, 400, { __type: 'SerializationException', message: `Expected ${contentType}` });
    }
    if (options.strict && !String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
      return send(response, 400, {
        __type: 'MissingAuthenticationTokenException',
        message: 'Missing Authentication Token',
      });
    }
    calls.push(name);
    try {
      send(response, 200, operation(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')));
    } catch (error) {
      if (!(error instanceof AwsServiceError)) throw error;
      send(response, 400, { __type: error.type, message: error.message });
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) =>
      send(response, 500, { __type: options.internalErrorType, message: String(error) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
