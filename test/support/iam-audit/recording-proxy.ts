import { createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WireRequest } from './wire-calls';

export interface RecordingProxy {
  /** `http://127.0.0.1:PORT`: point a client's endpoint here instead of at the target. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of one local AWS stand-in: shows each request (method, path, headers, body) to `onRequest`,
 * then forwards it unchanged, the Host header included (so SigV4 signatures still verify), and streams the answer
 * back as the target gave it.
 */
export async function startRecordingProxy(options: {
  readonly target: string;
  readonly onRequest: (request: WireRequest) => void;
}): Promise<RecordingProxy> {
  const target = new URL(options.target);
  const server = createServer(async (incoming, outgoing) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    options.onRequest({ method: incoming.method ?? 'GET', url: incoming.url ?? '/', headers: incoming.headers, body });
    const upstream = forward(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', (error) => {
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/plain' });
      outgoing.end(`Recording proxy: ${error.message}`);
    });
    upstream.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
