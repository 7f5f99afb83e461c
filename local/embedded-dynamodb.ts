import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import dynalite from 'dynalite';
import type { LocalDynamoDb } from '../functions/wiring/local-dynamodb';
import { lockDataDir } from './data-dir-lock';
import { guardDatabase } from './database-guard';

export interface EmbeddedDynamoDb extends LocalDynamoDb {
  readonly accessKeyId: string;
  close(): Promise<void>;
}

/**
 * DynamoDB inside this process (dynalite), its data kept under `DATA_DIR/dynamodb` across restarts, behind a guard
 * that refuses browsers and any client without the data directory's key. The caller holds the data directory's
 * lock: the database files can be open in one process only.
 */
export async function startEmbeddedDynamoDb(dataDir: string): Promise<EmbeddedDynamoDb> {
  const path = join(dataDir, 'dynamodb');
  mkdirSync(path, { recursive: true, mode: 0o700 });
  const accessKeyId = databaseKey(dataDir);
  const server: Server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  // dynalite has no hook for this: its own request listener goes behind the guard, on its own server, whose close()
  // also closes the database files.
  const [database] = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', guardDatabase(database, accessKeyId));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accessKeyId,
    close: () =>
      new Promise<void>((resolve) => {
        // SDK clients keep idle sockets open; they must not hold the shutdown.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const keyPath = (dataDir: string) => join(dataDir, 'dynamodb-key');

/** `DATA_DIR/dynamodb-key` (mode 0600), created on first use: letters and digits, as DynamoDB key ids are. */
function databaseKey(dataDir: string): string {
  try {
    writeFileSync(keyPath(dataDir), randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(keyPath(dataDir), 'utf8').trim();
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

/** The embedded database of a running `npm start` on this data directory, with its key, if there is one. */
export function runningEmbeddedDynamoDb(dataDir: string): LocalDynamoDb | undefined {
  const path = announcementPath(dataDir);
  if (!existsSync(path)) return undefined;
  const { endpoint, pid } = JSON.parse(readFileSync(path, 'utf8')) as Announcement;
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  return existsSync(keyPath(dataDir))
    ? { endpoint, accessKeyId: readFileSync(keyPath(dataDir), 'utf8').trim() }
    : { endpoint };
}

/**
 * Runs `work` with a DynamoDB for the local data directory: `DYNAMODB_ENDPOINT` if set, else the embedded database
 * of a running `npm start`, else that database opened just for `work`, the data directory locked meanwhile in the
 * name of `command` (it throws `DataDirInUseError` if another process has it).
 */
export async function withLocalDynamoDb<T>(
  dataDir: string,
  configuredEndpoint: string | undefined,
  command: string,
  work: (database: LocalDynamoDb) => Promise<T>,
): Promise<T> {
  if (configuredEndpoint) return work({ endpoint: configuredEndpoint });
  const running = runningEmbeddedDynamoDb(dataDir);
  if (running) return work(running);
  const release = lockDataDir(dataDir, command);
  try {
    const embedded = await startEmbeddedDynamoDb(dataDir);
    try {
      return await work(embedded);
    } finally {
      await embedded.close();
    }
  } finally {
    await release();
  }
}
