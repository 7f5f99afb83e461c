import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorPage } from '../http/pages/error-page';
import { html } from '../http/pages/html';
import { type HttpHandler, htmlResponse } from '../http/responses';
import { toApiGatewayEvent, writeResult } from './api-gateway-event';

/** The routes of the HTTP API, as `GET /path` → handler: the same table API Gateway has. */
export type Routes = Readonly<Record<string, HttpHandler>>;

export interface AppServer {
  readonly url: string;
  close(): Promise<void>;
}

/** A node:http server that plays API Gateway: each request becomes a payload v2 event for the Lambda handler. */
export async function startAppServer(routes: Routes, port: number, hostname = '127.0.0.1'): Promise<AppServer> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://local').pathname;
    const routeKey = `${request.method} ${path}`;
    const handler = routes[routeKey];
    if (!handler) {
      const page = errorPage({
        badge: 'Page not found',
        title: 'Page not found',
        explanation: html`There is no page at this address.`,
        nextStep: html`Open the app from your PIM.`,
        errorId: 'NOT-FOUND',
      });
      writeResult(response, htmlResponse(404, page, { noStore: true, https: false }));
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
        writeResult(response, htmlResponse(500, page, { noStore: true, https: false }));
      },
    );
  });
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
