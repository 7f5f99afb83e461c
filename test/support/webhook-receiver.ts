import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver got it: the raw body bytes, so a signature can be checked over exactly them. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
  /** performance.now() when the body had arrived. */
  readonly at: number;
  json(): Record<string, unknown>;
}

/** What the receiver answers: a status (with headers, e.g. a redirect's location), or no answer at all. */
export type PlannedAnswer = number | { status: number; headers?: Record<string, string> } | 'hang';

/**
 * A tiny HTTP server standing in for an app's webhook endpoint: it records every request and answers the planned
 * answers in order, then 200.
 */
export interface WebhookReceiver {
  /** http://localhost:<port>/<path>: the loopback http the sandbox accepts. */
  url(path?: string): string;
  readonly requests: readonly ReceivedRequest[];
  /** Appends answers for the next requests, in order. */
  answer(...answers: PlannedAnswer[]): void;
  /** The requests to one path. */
  requestsTo(path: string): readonly ReceivedRequest[];
  /** Resolves once `count` requests have arrived. */
  waitForRequests(count: number): Promise<readonly ReceivedRequest[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const planned: PlannedAnswer[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      requests.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        rawBody,
        at: performance.now(),
        json: () => JSON.parse(rawBody.toString('utf8')) as Record<string, unknown>,
      });
      for (const waiter of waiters.filter((candidate) => requests.length >= candidate.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      const next = planned.shift() ?? 200;
      if (next === 'hang') return;
      const { status, headers } = typeof next === 'number' ? { status: next, headers: {} } : next;
      response.writeHead(status, { 'content-type': 'text/plain', ...headers });
      response.end(String(status));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path = '/events') => `http://localhost:${port}${path}`,
    requests,
    answer: (...answers) => planned.push(...answers),
    requestsTo: (path) => requests.filter((received) => received.path === path),
    waitForRequests: (count) =>
      requests.length >= count
        ? Promise.resolve(requests)
        : new Promise((resolve) => waiters.push({ count, resolve: () => resolve(requests) })),
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
