import { createServer, type IncomingMessage, type Server, STATUS_CODES } from 'node:http';
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

/**
 * The routes of the HTTP API, as `GET /path` → handler: the same table API Gateway has. A segment in braces
 * (`POST /events/{pimHostKey}`) matches one path segment and becomes a path parameter.
 */
export type Routes = Readonly<Record<string, HttpHandler>>;

/** API Gateway's payload limit: a larger request never reaches a function. */
export const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;

interface MatchedRoute {
  readonly routeKey: string;
  readonly handler: HttpHandler;
  readonly pathParameters?: Record<string, string>;
}

function matchRoute(routes: Routes, method: string, path: string): MatchedRoute | undefined {
  const exact = routes[`${method} ${path}`];
  if (exact) return { routeKey: `${method} ${path}`, handler: exact };
  for (const [routeKey, handler] of Object.entries(routes)) {
    const [routeMethod, routePath] = routeKey.split(' ');
    if (routeMethod !== method || !routePath.includes('{')) continue;
    const names: string[] = [];
    const pattern = routePath.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_match, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    const match = new RegExp(`^${pattern}$`).exec(path);
    if (!match) continue;
    const pathParameters = Object.fromEntries(names.map((name, index) => [name, decoded(match[index + 1])]));
    return { routeKey, handler, pathParameters };
  }
  return undefined;
}

/** A path segment as API Gateway passes it: percent-decoded, or as sent when it is not valid percent-encoding. */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The request's body, up to API Gateway's limit; undefined when it is over it (the request is not read further). */
function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BODY_BYTES) {
        request.removeAllListeners('data');
        request.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

export interface AppServer {
  readonly url: string;
  close(): Promise<void>;
}

const LOCAL = { noStore: true, https: false } as const;

/** A node:http server that plays API Gateway: each request becomes a payload v2 event for the Lambda handler. */
export async function startAppServer(routes: Routes, port: number, hostname = '127.0.0.1'): Promise<AppServer> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://local').pathname;
    const route = matchRoute(routes, request.method ?? 'GET', path);
    if (!route) {
      writeResult(response, htmlResponse(404, notFoundPage(), LOCAL));
      return;
    }
    const answered =
      request.method === 'GET' || request.method === 'HEAD'
        ? route.handler(toApiGatewayEvent(request, route.routeKey))
        : readBody(request).then((body) =>
            body === undefined
              ? htmlResponse(413, requestTooLargePage(), LOCAL)
              : route.handler(
                  toApiGatewayEvent(request, route.routeKey, { body, pathParameters: route.pathParameters }),
                ),
          );
    answered.then(
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
