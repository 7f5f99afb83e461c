import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer, Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TlsCertificate } from '../../test/support/tls-certificate';
import { epochMs } from './stats';

/** One request that went through the proxy: what it was and when it started and ended (epoch ms). */
export interface ProxiedCall {
  readonly service: string;
  readonly operation: string;
  readonly startMs: number;
  endMs: number;
}

export interface DelayProxy {
  /** The proxy's base URL: point the client here. */
  readonly url: string;
  readonly port: number;
  /** Every request, in arrival order. */
  readonly calls: ProxiedCall[];
  /** Each request waits this long before it is forwarded: one round trip of latency. */
  setDelay(ms: number): void;
  /** Calls per operation since the last `reset()`. */
  counts(): Record<string, number>;
  reset(): void;
  close(): Promise<void>;
}

export interface DelayProxyOptions {
  /** A name for reports: `dynamodb`, `pim`, … */
  readonly service: string;
  /** Where requests go, `http://host:port`. */
  readonly target: string;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 0 (any free port) */
  readonly port?: number;
  /**
   * Serve https with this certificate (for `localhost`), and trust it for an https `target`: the PIM, which the
   * functions reach over https only in AWS mode. @default plain http
   */
  readonly tls?: TlsCertificate;
}

/**
 * A transparent HTTP proxy that holds every request for a fixed time before forwarding it: the same latency D on
 * every remote call, whatever the stand-in behind it. It names each call by its `X-Amz-Target` (AWS JSON
 * protocols) or by method and path, and keeps a timeline of the calls.
 */
export async function startDelayProxy(options: DelayProxyOptions): Promise<DelayProxy> {
  const target = new URL(options.target);
  const secureTarget = target.protocol === 'https:';
  const agent = secureTarget
    ? new HttpsAgent({ keepAlive: true, maxSockets: 256, ca: options.tls?.cert, servername: 'localhost' })
    : new Agent({ keepAlive: true, maxSockets: 256 });
  const send = secureTarget ? httpsRequest : httpRequest;
  const calls: ProxiedCall[] = [];
  let delayMs = 0;
  const listener: RequestListener = (request, response) => {
    forward(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, listener) : createServer(listener);

  async function forward(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const call: ProxiedCall = {
      service: options.service,
      operation: operationOf(request),
      startMs: epochMs(),
      endMs: Number.NaN,
    };
    calls.push(call);
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    await new Promise<void>((resolve, reject) => {
      const upstream = send(
        {
          host: target.hostname,
          port: target.port,
          method: request.method,
          path: request.url,
          headers: request.headers,
          agent,
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
          answer.on('end', () => {
            call.endMs = epochMs();
            resolve();
          });
          answer.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(Buffer.concat(chunks));
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let since = 0;
  return {
    url: options.tls ? `https://localhost:${port}` : `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    calls,
    setDelay(ms: number) {
      delayMs = ms;
    },
    counts() {
      const counts: Record<string, number> = {};
      for (const call of calls.slice(since)) counts[call.operation] = (counts[call.operation] ?? 0) + 1;
      return counts;
    },
    reset() {
      since = calls.length;
    },
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function operationOf(request: IncomingMessage): string {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') return target.slice(target.indexOf('.') + 1);
  const path = new URL(request.url ?? '/', 'http://proxy').pathname;
  return `${request.method ?? 'GET'} ${path}`;
}
