import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakePim {
  readonly url: string;
  close(): Promise<void>;
}

/** A one-route HTTP server for answers no Akeneo PIM gives to a well-formed request (a broken or hostile PIM). */
export async function startFakePim(
  answer: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<FakePim> {
  const server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
