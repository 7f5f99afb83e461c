import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbSyncStateStore } from '../../functions/adapters/connection-store';
import { InMemorySyncQueue } from '../../functions/adapters/sync-queue';
import { LocalKeyTokenCipher } from '../../functions/adapters/token-cipher/local-key';
import { type Config, loadConfig } from '../../functions/config';
import {
  MAX_PAGE_BYTES,
  MAX_PAGE_CONTAINERS,
  SYNC_WORKER_NODE_OPTIONS,
  SYNC_WORKER_OLD_SPACE_MIB,
} from '../../functions/core/page-budget';
import { createSyncWorkerDeps } from '../../functions/wiring/sync-worker';
import { ensureTables } from '../../local/tables';
import { dynamoDbEndpoint, testDocumentClient, uniqueTableNames } from '../support/dynamodb';
import { type FakePim, startFakePim } from '../support/fake-pim';

const PAGES = 3;
const ITEMS = 100;

/**
 * A page of exactly `bytes` bytes holding `containers` objects and arrays at most (and within 100 of it): empty
 * objects, the costliest JSON there is per byte, then a long text to reach the size.
 */
function pageBody(options: { bytes: number; containers: number; page: number; next?: string }): string {
  const links = JSON.stringify({ self: { href: 'x' }, ...(options.next ? { next: { href: options.next } } : {}) });
  // The page, _links, self, next, _embedded and items; then each item, its values and its list.
  const wrapper = 5 + (options.next ? 1 : 0);
  const empties = Math.floor((options.containers - wrapper) / ITEMS) - 3;
  const list = Array.from({ length: empties }, () => '{}').join(',');
  const item = (index: number, pad: number) =>
    `{"uuid":"p${options.page}-${index}","updated":"2024-01-01T00:00:00+00:00",` +
    `"values":{"list":[${list}],"text":"${'x'.repeat(pad)}"}}`;
  const wrap = (items: string[]) => `{"_links":${links},"_embedded":{"items":[${items.join(',')}]}}`;
  const bare = wrap(Array.from({ length: ITEMS }, (_, index) => item(index, 0))).length;
  const padding = options.bytes - bare;
  if (padding < 0) throw new Error(`${options.containers} objects do not fit in ${options.bytes} bytes`);
  const pad = (index: number) => Math.floor(padding / ITEMS) + (index === ITEMS - 1 ? padding % ITEMS : 0);
  return wrap(Array.from({ length: ITEMS }, (_, index) => item(index, pad(index))));
}

/** Objects and arrays in a JSON text whose strings hold no brace or bracket. */
const containersIn = (body: string) => (body.match(/[{[]/g) ?? []).length;

/**
 * Item 4 of issue 12: the largest page the worker accepts fits the heap the stack gives it, with room (the worker's
 * own Node.js flags, in a process of its own), and a page beyond the limits is refused with a clear error, writing
 * nothing.
 */
describe("the sync worker's page limits and its heap", () => {
  const tables = uniqueTableNames();
  const documents = testDocumentClient();
  let dataDir: string;
  let config: Config;
  let pim: FakePim | undefined;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'page-budget-'));
    config = loadConfig({
      APP_MODE: 'local',
      DATA_DIR: dataDir,
      DYNAMODB_ENDPOINT: dynamoDbEndpoint(),
      STATES_TABLE_NAME: tables.statesTableName,
      CONNECTIONS_TABLE_NAME: tables.connectionsTableName,
    });
    await ensureTables(documents, config);
  });

  afterEach(async () => {
    await pim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A PIM serving `PAGES` pages built by `body`, connected with a token sealed under the data directory's key. */
  async function connectPim(body: (page: number, next?: string) => string): Promise<string> {
    const bodies = new Map<number, string>();
    const server = await startFakePim((request, response) => {
      const page = Number(new URL(request.url ?? '/', 'http://pim').searchParams.get('page') ?? 1);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(bodies.get(page) ?? '{}');
    });
    pim = server;
    for (let page = 1; page <= PAGES; page += 1) {
      const next = page < PAGES ? `${server.url}/api/rest/v1/products-uuid?page=${page + 1}` : undefined;
      bodies.set(page, body(page, next));
    }
    const pimHost = new URL(server.url).host;
    const sealer = await LocalKeyTokenCipher.fromDataDir(dataDir).prepare(pimHost);
    await documents.send(
      new PutCommand({
        TableName: tables.connectionsTableName,
        Item: {
          pimHost,
          pimUrl: server.url,
          status: 'active',
          encryptedToken: sealer.seal('page-budget-token'),
          tokenVersion: 'v1',
          scopes: ['read_products'],
          firstConnectedAt: '2026-11-28T00:00:00.000Z',
          connectedAt: '2026-11-28T00:00:00.000Z',
          updatedAt: '2026-11-28T00:00:00.000Z',
          lastStateHash: 'h',
        },
      }),
    );
    return pimHost;
  }

  /** One run step in a Node.js started with the worker's flags, as the stack starts it, but half its old space. */
  function runWorkerProcess(pimHost: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const oldSpace = `--max-old-space-size=${SYNC_WORKER_OLD_SPACE_MIB}`;
    expect(SYNC_WORKER_NODE_OPTIONS).toContain(oldSpace);
    const halved = SYNC_WORKER_NODE_OPTIONS.map((option) =>
      option === oldSpace ? `--max-old-space-size=${SYNC_WORKER_OLD_SPACE_MIB / 2}` : option,
    );
    const child = spawn(process.execPath, [...halved, '--import', 'tsx', 'test/support/sync-worker-child.ts'], {
      cwd: join(__dirname, '..', '..'),
      env: {
        ...process.env,
        APP_MODE: 'local',
        DATA_DIR: dataDir,
        DYNAMODB_ENDPOINT: dynamoDbEndpoint(),
        STATES_TABLE_NAME: tables.statesTableName,
        CONNECTIONS_TABLE_NAME: tables.connectionsTableName,
        SYNC_PIM_HOST: pimHost,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  }

  const store = () => new DynamoDbSyncStateStore({ client: documents, tableName: tables.connectionsTableName });

  // Half the old space: the limits leave the other half to the runtime and the collector, as page-budget.ts says.
  it('reads pages at the size and object limits within half the heap the stack gives the worker', async () => {
    const containers = Math.min(MAX_PAGE_CONTAINERS, Math.floor(MAX_PAGE_BYTES / 3.2));
    const build = (page: number, next?: string) => pageBody({ bytes: MAX_PAGE_BYTES, containers, page, next });
    const sample = build(1, 'http://127.0.0.1:1/api/rest/v1/products-uuid?page=2');
    expect(Buffer.byteLength(sample)).toBe(MAX_PAGE_BYTES);
    expect(containersIn(sample)).toBeLessThanOrEqual(containers);
    expect(containersIn(sample)).toBeGreaterThan(containers - ITEMS);
    const pimHost = await connectPim(build);

    const { code, stdout, stderr } = await runWorkerProcess(pimHost);

    expect(stderr).not.toMatch(/heap out of memory/);
    expect({ code, stdout: stdout.trim() }).toEqual({ code: 0, stdout: expect.stringMatching(/^\{"outcome"/) });
    expect(JSON.parse(stdout).outcome).toMatchObject({ kind: 'completed', productCount: PAGES * ITEMS, parts: PAGES });
  }, 180_000);

  it.each([
    ['one byte larger than a page may be', { bytes: MAX_PAGE_BYTES + 1, containers: 1_000 }, /MiB/],
    [
      'one more object than a page may hold',
      { bytes: 8 * 1024 * 1024, containers: MAX_PAGE_CONTAINERS + 200 },
      /objects/,
    ],
  ])(
    'refuses a first page %s with a clear error naming the PIM, and writes nothing',
    async (_name, size, detail) => {
      const pimHost = await connectPim((page, next) => pageBody({ ...size, page, next }));
      const sync = createSyncWorkerDeps(config, { queue: new InMemorySyncQueue() }).syncProducts;

      const run = sync({ pimHost, timeLeftMs: () => 60_000 });

      await expect(run).rejects.toMatchObject({
        code: 'page_too_large',
        message: expect.stringMatching(new RegExp(`${pimHost}.*${detail.source}`)),
      });
      expect(existsSync(join(dataDir, 'exports'))).toBe(false);
      const connection = await store().get(pimHost);
      expect(connection?.syncCursor).toBeUndefined();
      expect(connection?.syncCheckpoint).toBeUndefined();
    },
    60_000,
  );
});
