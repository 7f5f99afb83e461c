import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RunManifest } from '../../functions/adapters/product-sink';
import { pimHostKey } from '../../functions/contract/names';
import type { RetryPolicy } from '../../functions/core/backoff';
import { type LocalSyncOptions, runLocalSync } from '../../local/sync-runner';
import { TestBrowser } from '../support/browser';
import { testDocumentClient } from '../support/dynamodb';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { runPim } from '../support/pim-cli';
import { connect, startTestApp, type TestApp } from '../support/test-app';

const FAST_RETRY: RetryPolicy = { baseDelayMs: 20, maxDelayMs: 200, maxRateLimitRetries: 8, maxServerErrorRetries: 4 };
const PRODUCTS = 1500;

/** The catalog source's sync against the sandbox PIM over HTTP, DynamoDB Local, the local export directory. */
describe('syncing the app catalog (catalog product source)', () => {
  let app: TestApp;
  let logs: LogCapture;
  let catalogId: string;

  // The sandbox's clock is real time plus what the tests advanced it by; the app's clock follows it.
  let sandboxOffset = 0;
  const sandboxNow = () => Date.now() / 1000 + sandboxOffset;
  const advanceSandbox = (seconds: number) => {
    sandboxOffset += seconds;
    app.sandbox.advanceClock(seconds);
  };

  const sync = (options: Partial<LocalSyncOptions> = {}) =>
    runLocalSync({
      config: app.config,
      retry: FAST_RETRY,
      now: () => Math.floor(sandboxNow()),
      pimHost: app.pimHost,
      ...options,
    });
  const lastOutcome = async () => (await sync()).outcomes.at(-1)?.outcome;
  const runsDirectory = () => join(app.config.dataDir, 'exports', pimHostKey(app.pimHost), 'products');
  const runs = () => (existsSync(runsDirectory()) ? readdirSync(runsDirectory()) : []);

  function exported(runId: string) {
    const directory = join(runsDirectory(), runId);
    const manifest = JSON.parse(readFileSync(join(directory, 'manifest.json'), 'utf8')) as RunManifest;
    const products = manifest.parts.flatMap((part) =>
      readFileSync(join(directory, part.name), 'utf8')
        .trim()
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { uuid: string; family: string }),
    );
    return { manifest, products };
  }

  beforeAll(async () => {
    logs = captureLogs();
    app = await startTestApp({ sandboxProducts: PRODUCTS, env: { PRODUCT_SOURCE: 'catalog', CATALOG_NAME: 'Export' } });
    expect((await connect(app, new TestBrowser())).page.status).toBe(200);
    catalogId = (await app.connections.get(app.pimHost))?.catalogId ?? '';
  });

  afterAll(async () => {
    await app.close();
    logs.stop();
  });

  it('reports catalog_disabled for a new (disabled) catalog, after its first page and count, and exports nothing', async () => {
    // Arrange
    app.sandbox.resetApiStats();

    // Act
    const outcome = await lastOutcome();

    // Assert
    expect(outcome).toMatchObject({ kind: 'catalog_disabled', catalogId });
    expect(outcome?.kind === 'catalog_disabled' && outcome.reason).toMatch(/No products to synchronize/);
    // A first sync asks for its first page and for a count side by side (to plan a split): both answer that the
    // catalog is disabled, and nothing more is asked.
    expect(app.sandbox.apiStats.requests).toBe(2);
    expect(runs()).toEqual([]);
    const connection = await app.connections.get(app.pimHost);
    expect(connection).toMatchObject({ status: 'active', syncStatus: 'catalog_disabled', catalogEnabled: false });
    expect(connection?.syncCursor).toBeUndefined();
  });

  it('shows catalog_disabled and the catalog id in npm run pim -- status, as a table and as JSON', async () => {
    // Arrange
    const env = {
      DATA_DIR: app.config.dataDir,
      DYNAMODB_ENDPOINT: app.config.dynamodbEndpoint,
      STATES_TABLE_NAME: app.config.statesTableName,
      CONNECTIONS_TABLE_NAME: app.config.connectionsTableName,
    };

    // Act
    const json = await runPim(['status', '--json'], { env });
    const table = await runPim(['status', '--wide'], { env });
    const narrow = await runPim(['status'], { env });

    // Assert
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({
        status: 'active',
        syncStatus: 'catalog_disabled',
        syncStatusReason: expect.stringContaining('No products to synchronize'),
        catalog: expect.objectContaining({ id: catalogId, name: 'Export', enabled: false }),
      }),
    ]);
    expect(table.stdout).toMatch(/CATALOG/);
    expect(table.stdout).toContain('active, sync catalog_disabled');
    expect(table.stdout).toContain(`${catalogId} disabled`);
    expect(narrow.stdout).toMatch(/^localhost:\d+\s+active\s+catalog_disabled\s/m);
  });

  it('exports exactly the selection of one family once the PIM user enabled the catalog, and clears the status', async () => {
    // Arrange
    app.sandbox.setCatalogSelection(catalogId, { families: ['sneakers'], categories: [] });
    app.sandbox.enableCatalog(catalogId, true);
    const selected = app.sandbox.catalogProductUuids(catalogId);
    expect(selected.length).toBeGreaterThan(100);

    // Act
    const outcome = await lastOutcome();

    // Assert
    if (outcome?.kind !== 'completed') throw new Error(`Expected a completed run, got ${JSON.stringify(outcome)}`);
    const { products, manifest } = exported(outcome.runId);
    expect(products.map(({ uuid }) => uuid).sort()).toEqual([...selected].sort());
    expect(new Set(products.map(({ family }) => family))).toEqual(new Set(['sneakers']));
    expect(manifest.productCount).toBe(selected.length);
    const connection = await app.connections.get(app.pimHost);
    expect(connection).toMatchObject({ catalogEnabled: true, syncCursorSource: `catalog:${catalogId}` });
    expect(connection?.syncStatus).toBeUndefined();
    expect(connection?.syncCursor).toBe(manifest.window.to);
  });

  it('reads on the next run only the selected products updated since the previous run', async () => {
    // Arrange
    advanceSandbox(60);
    const touched = new Set(app.sandbox.touchProducts(200));
    const selected = new Set(app.sandbox.catalogProductUuids(catalogId));
    const expected = [...touched].filter((uuid) => selected.has(uuid)).sort();
    expect(expected.length).toBeGreaterThan(0);
    advanceSandbox(10);

    // Act
    const outcome = await lastOutcome();

    // Assert
    if (outcome?.kind !== 'completed') throw new Error(`Expected a completed run, got ${JSON.stringify(outcome)}`);
    const { products } = exported(outcome.runId);
    expect(products.map(({ uuid }) => uuid).sort()).toEqual(expected);
  });

  it('stops at catalog_disabled once the catalog is disabled again: nothing exported, the cursor kept', async () => {
    // Arrange
    app.sandbox.enableCatalog(catalogId, false);
    const before = await app.connections.get(app.pimHost);
    const runsBefore = runs();
    advanceSandbox(60);
    app.sandbox.touchProducts(200);
    app.sandbox.resetApiStats();

    // Act
    const outcome = await lastOutcome();

    // Assert
    expect(outcome).toMatchObject({ kind: 'catalog_disabled', catalogId });
    expect(app.sandbox.apiStats.requests).toBe(1);
    expect(runs()).toEqual(runsBefore);
    const after = await app.connections.get(app.pimHost);
    expect(after).toMatchObject({ status: 'active', syncStatus: 'catalog_disabled', syncCursor: before?.syncCursor });
  });

  it('resumes on its own once the catalog is enabled again', async () => {
    // Arrange
    app.sandbox.enableCatalog(catalogId, true);

    // Act
    const outcome = await lastOutcome();

    // Assert
    expect(outcome?.kind).toBe('completed');
    expect((await app.connections.get(app.pimHost))?.syncStatus).toBeUndefined();
  });

  it('re-creates a catalog the PIM deleted, reports it, and reads the new one (disabled until enabled)', async () => {
    // Arrange
    app.sandbox.deleteCatalog(catalogId);

    // Act
    const outcome = await lastOutcome();

    // Assert
    const catalogs = app.sandbox.catalogs(app.clientId);
    expect(catalogs).toHaveLength(1);
    const replacement = catalogs[0]?.id;
    expect(replacement).not.toBe(catalogId);
    expect(outcome).toMatchObject({ kind: 'catalog_disabled', catalogId: replacement });
    const connection = await app.connections.get(app.pimHost);
    expect(connection).toMatchObject({ catalogId: replacement, syncStatus: 'catalog_disabled' });
    expect(connection?.catalogRecreatedAt).toEqual(expect.any(String));
    expect(logs.text()).toContain("The app's catalog was deleted in the PIM");
  });

  it('finishes the catalog step the callback could not: a connection without a catalog gets it by name', async () => {
    // Arrange
    const [current] = app.sandbox.catalogs(app.clientId);
    await testDocumentClient().send(
      new UpdateCommand({
        TableName: app.config.connectionsTableName,
        Key: { pimHost: app.pimHost },
        UpdateExpression: 'REMOVE catalogId',
      }),
    );

    // Act
    const outcome = await lastOutcome();

    // Assert
    expect(app.sandbox.catalogs(app.clientId).map(({ id }) => id)).toEqual([current?.id]);
    expect(outcome).toMatchObject({ kind: 'catalog_disabled', catalogId: current?.id });
    expect((await app.connections.get(app.pimHost))?.catalogId).toBe(current?.id);
  });

  it('checkpoints a catalog run that runs out of time and finishes it in continuations, 1,000 products a page', async () => {
    // Arrange: the whole catalog selected, read afresh (a new catalog has no cursor of its own yet)
    const [current] = app.sandbox.catalogs(app.clientId);
    const id = current?.id ?? '';
    app.sandbox.setCatalogSelection(id, { families: [], categories: [] });
    app.sandbox.enableCatalog(id, true);
    app.sandbox.setApiLatency(40);
    app.sandbox.resetApiStats();
    // `updated_before` (the run's start) counts whole seconds and, alone on a first sync, leaves its own second out:
    // the 200 products the tests above touched in that second would belong to the next run's window, not this one.
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    try {
      // Act
      const summary = await sync({ runTimeMs: 60, reserveMs: 40 });

      // Assert
      const kinds = summary.outcomes.map(({ outcome }) => outcome.kind);
      expect(kinds).toContain('continued');
      const last = summary.outcomes.at(-1)?.outcome;
      if (last?.kind !== 'completed') throw new Error(`Expected a completed run, got ${JSON.stringify(last)}`);
      const { products, manifest } = exported(last.runId);
      expect(new Set(products.map(({ uuid }) => uuid))).toEqual(new Set(app.sandbox.catalogProductUuids(id)));
      expect(manifest.parts.map((part) => part.productCount)).toEqual([1000, PRODUCTS - 1000]);
    } finally {
      app.sandbox.setApiLatency(0);
    }
  });
});
