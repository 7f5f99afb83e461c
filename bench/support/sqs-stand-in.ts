import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local SQS FIFO queue for the bench. @aws-sdk/client-sqs 3.1164 speaks AWS JSON 1.0 (`X-Amz-Target:
 * AmazonSQS.<Op>`, `application/x-amz-json-1.0`, query-compatible errors), so this answers `SendMessageBatch` and
 * `SendMessage` in that protocol, with the MD5 of each body that the client checks. It keeps only counts.
 */
export interface SqsStandIn {
  readonly endpoint: string;
  readonly queueUrl: string;
  /** Every operation received, in order. */
  readonly calls: string[];
  /** Messages accepted, and the largest batch seen. */
  readonly stats: { messages: number; largestBatch: number };
  /** Message group ids seen, with their count. */
  readonly groups: Map<string, number>;
  reset(): void;
  close(): Promise<void>;
}

const MAX_BATCH = 10;

export async function startSqsStandIn(queueName = 'akeneo-sync.fifo'): Promise<SqsStandIn> {
  const calls: string[] = [];
  const stats = { messages: 0, largestBatch: 0 };
  const groups = new Map<string, number>();
  let sequence = 0;
  const accept = (entry: Record<string, unknown>) => {
    const body = String(entry.MessageBody ?? '');
    const group = String(entry.MessageGroupId ?? '');
    groups.set(group, (groups.get(group) ?? 0) + 1);
    stats.messages += 1;
    sequence += 1;
    return {
      MessageId: randomUUID(),
      MD5OfMessageBody: createHash('md5').update(body).digest('hex'),
      SequenceNumber: String(sequence).padStart(20, '0'),
    };
  };
  const operations: Record<string, (input: Record<string, unknown>) => [number, unknown]> = {
    SendMessage: (input) => [200, accept(input)],
    SendMessageBatch: (input) => {
      const entries = (Array.isArray(input.Entries) ? input.Entries : []) as Array<Record<string, unknown>>;
      if (entries.length === 0 || entries.length > MAX_BATCH) {
        return [
          400,
          { __type: 'com.amazonaws.sqs#TooManyEntriesInBatchRequest', message: `${entries.length} entries` },
        ];
      }
      stats.largestBatch = Math.max(stats.largestBatch, entries.length);
      return [200, { Successful: entries.map((entry) => ({ Id: entry.Id, ...accept(entry) })), Failed: [] }];
    },
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) =>
      send(response, 500, { __type: 'InternalError', message: String(error) }),
    );
  });
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = String(request.headers['x-amz-target'] ?? '');
    const name = target.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : '';
    const operation = operations[name];
    if (!operation) return send(response, 400, { __type: 'com.amazonaws.sqs#UnsupportedOperation', message: target });
    calls.push(name);
    const [status, body] = operation(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
    send(response, status, body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    queueUrl: `${endpoint}/123456789012/${queueName}`,
    calls,
    stats,
    groups,
    reset() {
      calls.length = 0;
      stats.messages = 0;
      stats.largestBatch = 0;
      groups.clear();
    },
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
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  response.end(text);
}
