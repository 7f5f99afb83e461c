import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';

export interface EmbeddedDynamoDb {
  readonly endpoint: string;
  close(): Promise<void>;
}

/** DynamoDB inside this process (dynalite), its data kept under `path` across restarts. */
export async function startEmbeddedDynamoDb(path: string): Promise<EmbeddedDynamoDb> {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  const server: Server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
