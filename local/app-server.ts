import { createServer, type Server, STATUS_CODES } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { errorPage } from '../functions/http/pages/error-page';
import { html } from '../functions/http/pages/html';
import {
  notFoundPage,
  requestTooLargePage,
  unreadableRequestPage,
} from '../functions/http/pages/request-problem-pages';
import { type HttpHandler, type HttpResult, htmlResponse } from '../functions/http/responses';
import { toApiGatewayEvent, writeResult } from './api-gateway-event';

/** The routes of the HTTP API, as `GET /path` → handler: the same table API Gateway has. */
export type Routes = Readonly<Record<string, HttpHandler>>;

export interface AppServer {
  readonly url: string;
  close(): Promise<void>;
}

const LOCAL = { noStore: true, https: false } as const;

/** A node:http server that plays API Gateway: each request becomes a payload v2 event for the Lambda handler. */
export async function startAppServer(routes: Routes, port: number, hostname = '127.0.0.1'): Promise<AppServer> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://local').pathname;
    const routeKey = `${request.method} ${path}`;
    const handler = routes[routeKey];
    if (!handler) {
      writeResult(response, htmlResponse(404, notFoundPage(), LOCAL));
      return;
    }
    handler(toApiGatewayEvent(request, routeKey)).then(
      (result) => writeResult(response, result),
      // The handlers turn every failure into a page; this is the last resort if one ever does not.
      () => {
        const page = errorPage({
          title: 'Something went wrong',
          explanation: html`The local server could not answer this request.`,
          nextStep: html`Look at the server's output, then try again.`,
          errorId: 'LOCAL-SERVER',
        });
        writeResult(response, htmlResponse(500, page, LOCAL));
      },
    );
  });
  server.on('clientError', answerUnreadableRequest);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, resolve);
  });
  const { port: boundPort } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${boundPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Node could not parse the request (a request line or headers over its limit, or not HTTP at all): answer with
 * the app's own page and headers instead of Node's bare status line.
 */
function answerUnreadableRequest(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const result =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? htmlResponse(431, requestTooLargePage(), LOCAL)
      : htmlResponse(400, unreadableRequestPage(), LOCAL);
  socket.end(rawHttpResponse(result));
}

function rawHttpResponse(result: HttpResult): string {
  const body = result.body ?? '';
  const headers = {
    ...result.headers,
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  };
  const head = [
    `HTTP/1.1 ${result.statusCode} ${STATUS_CODES[result.statusCode] ?? ''}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${head.join('\r\n')}\r\n\r\n${body}`;
}
