import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
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
    close: () =>
      new Promise<void>((resolve) => {
        // SDK clients keep idle sockets open; they must not hold the shutdown.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Announcement {
  readonly endpoint: string;
  readonly pid: number;
}

const announcementPath = (dataDir: string) => join(dataDir, 'dynamodb-endpoint.json');

/**
 * The embedded database holds a lock on its files while `npm start` runs, so other local tools (the ops CLI, the
 * sync runner) talk to it over HTTP instead: this file says where. Returns the function that withdraws it.
 */
export function announceEmbeddedDynamoDb(dataDir: string, endpoint: string): () => Promise<void> {
  const path = announcementPath(dataDir);
  writeFileSync(path, JSON.stringify({ endpoint, pid: process.pid } satisfies Announcement), { mode: 0o600 });
  return async () => rmSync(path, { force: true });
}

/** The endpoint of the embedded database of a running `npm start` on this data directory, if there is one. */
export function runningEmbeddedDynamoDb(dataDir: string): string | undefined {
  const path = announcementPath(dataDir);
  if (!existsSync(path)) return undefined;
  const { endpoint, pid } = JSON.parse(readFileSync(path, 'utf8')) as Announcement;
  try {
    process.kill(pid, 0);
    return endpoint;
  } catch {
    return undefined;
  }
}

/**
 * Runs `work` with a DynamoDB endpoint for the local data directory: `DYNAMODB_ENDPOINT` if set, else the embedded
 * database of a running `npm start`, else that database opened just for `work`.
 */
export async function withLocalDynamoDb<T>(
  dataDir: string,
  configuredEndpoint: string | undefined,
  work: (endpoint: string) => Promise<T>,
): Promise<T> {
  const endpoint = configuredEndpoint ?? runningEmbeddedDynamoDb(dataDir);
  if (endpoint) return work(endpoint);
  const embedded = await startEmbeddedDynamoDb(join(dataDir, 'dynamodb'));
  try {
    return await work(embedded.endpoint);
  } finally {
    await embedded.close();
  }
}
