import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { InProcessCallSlots } from '../../functions/adapters/call-slots';
import { DynamoDbSyncStateStore } from '../../functions/adapters/connection-store';
import { LocalDirectoryProductSink, partName, runPrefix } from '../../functions/adapters/product-sink';
import { LocalDirectoryRunEvents } from '../../functions/adapters/run-events';
import { InMemorySyncQueue } from '../../functions/adapters/sync-queue/in-memory';
import { LocalKeyTokenCipher } from '../../functions/adapters/token-cipher/local-key';
import { loadConfig } from '../../functions/config';
import { PimAccess } from '../../functions/pim-access';
import { type SyncOutcome, syncProducts } from '../../functions/use-cases/sync-products';
import { ensureTables } from '../../local/tables';
import { dynamoDbEndpoint, testDocumentClient, uniqueTableNames } from '../support/dynamodb';
import { type FakePim, startFakePim } from '../support/fake-pim';
import { phpJson } from '../support/php-json';

const PAGES = 3;
const PER_PAGE = 100;
const TOKEN = 'read-ahead-token';

function productsOf(page: number) {
  return Array.from({ length: PER_PAGE }, (_, index) => ({ uuid: `p${page}-${index}`, identifier: `SKU-${page}` }));
}

/**
 * How the worker reads a chain of search_after pages, over real HTTP against a PIM that controls when each part of
 * its answers is sent: the next page is asked for as soon as the start of an answer names it. The connection lives
 * in DynamoDB Local, the token is sealed with the local key, the parts go to a local directory.
 */
describe('reading the next product page ahead', () => {
  const tables = uniqueTableNames();
  const config = loadConfig({ APP_MODE: 'local', DYNAMODB_ENDPOINT: dynamoDbEndpoint(), ...tableEnv(tables) });
  const cipher = new LocalKeyTokenCipher(randomBytes(32));
  const documents = testDocumentClient();
  const store = new DynamoDbSyncStateStore({ client: documents, tableName: tables.connectionsTableName });
  let directory: string;

  beforeAll(() => ensureTables(documents, config));

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'read-ahead-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  /** Runs the sync to its end; with `stepTimeMs`, each step has too little time for more than one page. */
  async function runSync(
    pim: FakePim,
    { onePagePerStep = false } = {},
  ): Promise<{ outcome: SyncOutcome; uuids: string[]; steps: number }> {
    const pimHost = new URL(pim.url).host;
    const sealer = await cipher.prepare(pimHost);
    await documents.send(
      new PutCommand({
        TableName: tables.connectionsTableName,
        Item: {
          pimHost,
          pimUrl: pim.url,
          status: 'active',
          encryptedToken: sealer.seal(TOKEN),
          tokenVersion: 'v1',
          scopes: ['read_products'],
          firstConnectedAt: '2026-11-28T00:00:00.000Z',
          connectedAt: '2026-11-28T00:00:00.000Z',
          updatedAt: '2026-11-28T00:00:00.000Z',
          lastStateHash: 'h',
        },
      }),
    );
    const sink = new LocalDirectoryProductSink(directory);
    const step = syncProducts({
      pims: new PimAccess({
        store,
        cipher,
        pimUrlPolicy: { local: true },
        callSlots: new InProcessCallSlots(),
        now: () => new Date(),
        timeoutMs: 10_000,
      }),
      store,
      sink,
      queue: new InMemorySyncQueue(),
      runEvents: new LocalDirectoryRunEvents(join(directory, 'events')),
      overlapSeconds: 5,
      reserveMs: onePagePerStep ? 1_000 : 0,
      now: () => new Date(),
      randomBytes: (size) => randomBytes(size),
    });
    const timeLeftMs = () => (onePagePerStep ? 999 : 60_000);
    let outcome = await step({ pimHost, timeLeftMs });
    let steps = 1;
    while (outcome.kind === 'continued') {
      outcome = await step({ pimHost, runId: outcome.runId, timeLeftMs });
      steps += 1;
    }
    if (outcome.kind !== 'completed') throw new Error(`Expected a completed run, got ${JSON.stringify(outcome)}`);
    const runDirectory = join(directory, runPrefix({ pimHost, runId: outcome.runId }));
    const uuids: string[] = [];
    for (let part = 1; part <= outcome.parts; part += 1) {
      const lines = readFileSync(join(runDirectory, partName(part)), 'utf8');
      uuids.push(
        ...lines
          .trim()
          .split('\n')
          .map((line) => (JSON.parse(line) as { uuid: string }).uuid),
      );
    }
    return { outcome, uuids, steps };
  }

  const everyProduct = Array.from({ length: PAGES }, (_, page) => productsOf(page + 1).map((p) => p.uuid)).flat();

  it('asks for the next page before the current answer has finished arriving, and exports every product once', async () => {
    const requested: number[] = [];
    let waitingTail: (() => void) | undefined;
    let nextAskedWhileTailHeld = false;
    const pim = await startFakePim((request, response) => {
      const url = new URL(request.url ?? '/', 'http://pim');
      const page = Number(url.searchParams.get('search_after') ?? 1);
      requested.push(page);
      if (request.headers.authorization !== `Bearer ${TOKEN}`) return void response.writeHead(401).end('{}');
      if (waitingTail) {
        nextAskedWhileTailHeld = true;
        waitingTail();
      }
      const next =
        page < PAGES
          ? `${pim.url}/api/rest/v1/products-uuid?pagination_type=search_after&limit=100&search_after=${page + 1}`
          : undefined;
      const body = phpJson({
        _links: { self: { href: 'x' }, ...(next ? { next: { href: next } } : {}) },
        _embedded: { items: productsOf(page) },
      });
      const cut = body.indexOf('"_embedded"') + 20;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write(body.slice(0, cut));
      // The tail of a page that has a next one waits for that next request (or gives up after a second).
      const sendTail = () => {
        waitingTail = undefined;
        response.end(body.slice(cut));
      };
      if (next === undefined) sendTail();
      else {
        waitingTail = sendTail;
        setTimeout(() => waitingTail === sendTail && sendTail(), 1000).unref();
      }
    });
    try {
      const { outcome, uuids } = await runSync(pim);
      expect(nextAskedWhileTailHeld).toBe(true);
      expect(requested).toEqual([1, 2, 3]);
      expect(outcome).toMatchObject({ kind: 'completed', productCount: PAGES * PER_PAGE, parts: PAGES });
      expect(uuids).toEqual(everyProduct);
    } finally {
      await pim.close();
    }
  });

  it('follows the parsed link when the items come before the links (no early link to read)', async () => {
    const requested: number[] = [];
    const pim = await startFakePim((request, response) => {
      const page = Number(new URL(request.url ?? '/', 'http://pim').searchParams.get('search_after') ?? 1);
      requested.push(page);
      const next =
        page < PAGES ? { next: { href: `${pim.url}/api/rest/v1/products-uuid?search_after=${page + 1}` } } : {};
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(phpJson({ _embedded: { items: productsOf(page) }, _links: { self: { href: 'x' }, ...next } }));
    });
    try {
      const { outcome, uuids } = await runSync(pim);
      expect(requested).toEqual([1, 2, 3]);
      expect(outcome).toMatchObject({ kind: 'completed', productCount: PAGES * PER_PAGE });
      expect(uuids).toEqual(everyProduct);
    } finally {
      await pim.close();
    }
  });

  it('follows next links written as paths (as Akeneo CE does), and resumes from a checkpoint that holds one, exporting every product once', async () => {
    const requested: number[] = [];
    const pim = await startFakePim((request, response) => {
      const page = Number(new URL(request.url ?? '/', 'http://pim').searchParams.get('search_after') ?? 1);
      requested.push(page);
      const next = page < PAGES ? { next: { href: `/api/rest/v1/products-uuid?search_after=${page + 1}` } } : {};
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(phpJson({ _links: { self: { href: 'x' }, ...next }, _embedded: { items: productsOf(page) } }));
    });
    try {
      const { outcome, uuids, steps } = await runSync(pim, { onePagePerStep: true });
      expect(steps).toBe(PAGES);
      expect(requested).toEqual([1, 2, 3]);
      expect(outcome).toMatchObject({ kind: 'completed', productCount: PAGES * PER_PAGE });
      expect(uuids).toEqual(Array.from({ length: PAGES }, (_, page) => productsOf(page + 1).map((p) => p.uuid)).flat());
    } finally {
      await pim.close();
    }
  });
});

function tableEnv(tables: ReturnType<typeof uniqueTableNames>) {
  return { STATES_TABLE_NAME: tables.statesTableName, CONNECTIONS_TABLE_NAME: tables.connectionsTableName };
}
