import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbSyncStateStore } from '../../functions/adapters/connection-store';
import type { ReconciliationManifest } from '../../functions/adapters/product-sink';
import { InMemorySyncQueue } from '../../functions/adapters/sync-queue';
import type { Config } from '../../functions/config';
import { pimHostKey } from '../../functions/contract/names';
import type { RetryPolicy } from '../../functions/core/backoff';
import type { ReconcileOutcome } from '../../functions/use-cases/reconcile-products';
import { createSyncDispatchDeps } from '../../functions/wiring/sync-dispatch';
import { createSyncWorkerDeps } from '../../functions/wiring/sync-worker';
import { type LocalSyncOptions, runLocalSync } from '../../local/sync-runner';
import { TestBrowser } from '../support/browser';
import { testDocumentClient } from '../support/dynamodb';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { connect, startTestApp, type TestApp } from '../support/test-app';

const FAST_RETRY: RetryPolicy = { baseDelayMs: 20, maxDelayMs: 200, maxRateLimitRetries: 8, maxServerErrorRetries: 4 };
const CATALOG = 250;
/** Small parts, so that a pass of a few hundred products crosses several snapshot and deleted parts. */
const PART_SIZE = 7;

/** The world of one connected sandbox PIM, its exports under the data directory, and the app's clock. */
function reconciliationWorld(env: Record<string, string> = {}) {
  const world = {
    app: undefined as unknown as TestApp,
    logs: undefined as unknown as LogCapture,
    clock: 0,
  };
  beforeAll(async () => {
    world.logs = captureLogs();
    world.app = await startTestApp({ sandboxProducts: CATALOG, env });
    expect((await connect(world.app, new TestBrowser())).page.status).toBe(200);
  });
  afterAll(async () => {
    await world.app.close();
    world.logs.stop();
  });
  afterEach(() => world.app.sandbox.setApiLatency(0));

  const now = () => Math.floor(Date.now() / 1000) + world.clock;
  const config = (): Config => ({ ...world.app.config, exportSink: 'local-directory' });
  const store = () =>
    new DynamoDbSyncStateStore({
      client: testDocumentClient(),
      tableName: world.app.config.connectionsTableName ?? '',
    });
  const sync = (options: Partial<LocalSyncOptions> = {}) =>
    runLocalSync({ config: config(), retry: FAST_RETRY, now, reconcilePartSize: PART_SIZE, ...options });
  const runDir = (runId: string) =>
    join(world.app.config.dataDir, 'exports', pimHostKey(world.app.pimHost), 'products', runId);
  /** What a consumer of the export reads: the pass's manifest, and every UUID of its deleted parts, in order. */
  const exported = (runId: string) => {
    const manifest = JSON.parse(readFileSync(join(runDir(runId), 'manifest.json'), 'utf8')) as ReconciliationManifest;
    const deleted = manifest.parts.flatMap((part) => {
      const lines = readFileSync(join(runDir(runId), part.name), 'utf8')
        .trim()
        .split('\n');
      expect(lines).toHaveLength(part.uuidCount);
      return lines.map((line) => (JSON.parse(line) as { uuid: string }).uuid);
    });
    return { manifest, deleted };
  };
  const completed = (outcome: ReconcileOutcome | undefined) => {
    if (outcome?.kind !== 'completed') throw new Error(`Expected a completed pass, got ${JSON.stringify(outcome)}`);
    return outcome;
  };
  return { world, now, config, store, sync, exported, completed };
}

describe('reconciliation of the products source: deleted products reach the export', () => {
  const { world, now, config, store, sync, exported, completed } = reconciliationWorld();

  it('makes the first snapshot right after the first sync: every product listed, nothing deleted', async () => {
    const summary = await sync();

    expect(summary.outcomes.at(-1)?.outcome.kind).toBe('completed');
    expect(summary.passes).toHaveLength(1);
    const pass = completed(summary.passes[0]?.outcome);
    expect(pass).toMatchObject({ listed: CATALOG, deleted: 0 });
    expect(pass.previousRunId).toBeUndefined();
    const { manifest, deleted } = exported(pass.runId);
    expect(manifest).toMatchObject({
      kind: 'reconciliation',
      source: 'products',
      listedCount: CATALOG,
      deletedCount: 0,
      parts: [],
    });
    expect(deleted).toEqual([]);
    const connection = await store().get(world.app.pimHost);
    expect(connection?.lastReconciliation).toMatchObject({ runId: pass.runId, uuidCount: CATALOG, parts: 36 });
    expect(connection?.reconcileDueAt).toBe(new Date(Date.parse(manifest.startedAt) + 24 * 3_600_000).toISOString());
    expect(connection?.reconcileCheckpoint).toBeUndefined();
  });

  it('runs no pass while none is due', async () => {
    const summary = await sync();

    expect(summary.outcomes.at(-1)?.outcome.kind).toBe('completed');
    expect(summary.passes).toEqual([]);
    // A reconcile message delivered again after its pass completed: the pass is not due, nothing is listed.
    const before = await store().get(world.app.pimHost);
    world.app.sandbox.resetApiStats();
    const worker = createSyncWorkerDeps(config(), { queue: new InMemorySyncQueue(), retry: FAST_RETRY, now });
    const again = await worker.reconcileProducts({ pimHost: world.app.pimHost, timeLeftMs: () => 60_000 });
    expect(again).toEqual({ kind: 'skipped', reason: 'no reconciliation pass is due' });
    expect(world.app.sandbox.apiStats.requests).toBe(0);
    expect((await store().get(world.app.pimHost))?.lastReconciliation).toEqual(before?.lastReconciliation);
  });

  it('lists exactly the two products deleted since the previous pass', async () => {
    const previous = (await store().get(world.app.pimHost))?.lastReconciliation?.runId;
    const gone = world.app.sandbox.deleteProducts(2);

    const summary = await sync({ reconcile: true });

    const pass = completed(summary.passes.at(-1)?.outcome);
    const { manifest, deleted } = exported(pass.runId);
    expect([...deleted].sort()).toEqual([...gone].map((uuid) => uuid.toLowerCase()).sort());
    expect(manifest).toMatchObject({ deletedCount: 2, listedCount: CATALOG - 2, previousRunId: previous });
    expect(pass).toMatchObject({ listed: CATALOG - 2, deleted: 2, previousRunId: previous });
    const event = JSON.parse(
      readFileSync(
        join(world.app.config.dataDir, 'events', pimHostKey(world.app.pimHost), `${pass.runId}.json`),
        'utf8',
      ),
    );
    expect(event).toMatchObject({
      'detail-type': 'Reconciliation Completed',
      detail: { runId: pass.runId, counts: { listed: CATALOG - 2, deleted: 2 }, previousRunId: previous },
    });
  });

  it('continues a pass cut by time, keeps the previous snapshot until it completes, and ends with the same answer', async () => {
    const before = await store().get(world.app.pimHost);
    const previous = before?.lastReconciliation?.runId;
    const gone = world.app.sandbox.deleteProducts(3);
    const added = world.app.sandbox.addProducts(4);
    const queue = new InMemorySyncQueue();
    const worker = createSyncWorkerDeps(config(), {
      queue,
      retry: FAST_RETRY,
      now,
      reserveMs: 1,
      reconcilePartSize: PART_SIZE,
    });
    // No time left: each step reads the one page a step always reads, then stops.
    let outcome = await worker.reconcileProducts({ pimHost: world.app.pimHost, force: true, timeLeftMs: () => 0 });
    expect(outcome.kind).toBe('continued');
    let steps = 1;
    for (let message = queue.take(); message !== undefined; message = queue.take()) {
      const midway = await store().get(world.app.pimHost);
      expect(midway?.lastReconciliation?.runId).toBe(previous);
      expect(midway?.reconcileCheckpoint?.runId).toBe(message.runId);
      expect(message).toMatchObject({ kind: 'reconcile', pimHost: world.app.pimHost });
      outcome = await worker.reconcileProducts({ ...message, timeLeftMs: () => 0 });
      steps += 1;
    }

    const pass = completed(outcome);
    expect(steps).toBe(Math.ceil((CATALOG - 2 - 3 + 4) / 100));
    const { deleted } = exported(pass.runId);
    expect([...deleted].sort()).toEqual([...gone].map((uuid) => uuid.toLowerCase()).sort());
    expect(deleted).not.toEqual(expect.arrayContaining([added[0]?.toLowerCase()]));
    const after = await store().get(world.app.pimHost);
    expect(after?.lastReconciliation).toMatchObject({ runId: pass.runId, uuidCount: CATALOG - 2 - 3 + 4 });
    expect(after?.reconcileCheckpoint).toBeUndefined();
  });

  it('dispatches one reconcile message per period once a pass is due, and none before', async () => {
    const dueAt = (await store().get(world.app.pimHost))?.reconcileDueAt ?? '';
    const dispatchAt = async (at: number) => {
      const queue = new InMemorySyncQueue();
      const summary = await createSyncDispatchDeps(config(), { queue }).dispatch({ now: new Date(at) });
      const messages = [];
      for (let message = queue.take(); message !== undefined; message = queue.take()) messages.push(message);
      return { summary, reconcile: messages.filter((message) => message.kind === 'reconcile') };
    };

    const early = await dispatchAt(Date.parse(dueAt) - 60_000);
    const due = await dispatchAt(Date.parse(dueAt) + 60_000);
    const nextSlot = await dispatchAt(Date.parse(dueAt) + 20 * 60_000);

    expect(early.reconcile).toEqual([]);
    expect(early.summary.reconcileDue).toBe(0);
    expect(due.reconcile).toEqual([expect.objectContaining({ pimHost: world.app.pimHost, kind: 'reconcile' })]);
    expect(due.reconcile[0]?.runId).toBeUndefined();
    // Another slot in the same period: the same deduplication id, so the queue delivers it once.
    expect(nextSlot.reconcile.map((message) => message.deduplicationId)).toEqual(
      due.reconcile.map((message) => message.deduplicationId),
    );
  });
});

describe("reconciliation of the catalog source: products that left the app's catalog", () => {
  const { world, store, sync, exported, completed } = reconciliationWorld({
    PRODUCT_SOURCE: 'catalog',
  });
  let catalogId = '';

  beforeAll(async () => {
    const token = world.app.sandbox.connectedApp(world.app.clientId)?.accessToken ?? '';
    const created = await fetch(`${world.app.sandbox.url}/api/rest/v1/catalogs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Reconciliation test' }),
    });
    expect(created.status).toBe(201);
    catalogId = ((await created.json()) as { id: string }).id;
    // The callback ensured a catalog of its own at connect; the test points the connection at one it selects in.
    await testDocumentClient().send(
      new UpdateCommand({
        TableName: world.app.config.connectionsTableName,
        Key: { pimHost: world.app.pimHost },
        UpdateExpression: 'SET catalogId = :id',
        ExpressionAttributeValues: { ':id': catalogId },
      }),
    );
    world.app.sandbox.setCatalogSelection(catalogId, { families: [], categories: [], enabledOnly: false });
    world.app.sandbox.enableCatalog(catalogId, true);
  });

  const passOf = async (options: Partial<LocalSyncOptions> = {}) => {
    const summary = await sync({ reconcile: true, ...options });
    return summary.passes.at(-1)?.outcome;
  };

  it("lists the catalog's selection on a first pass, and then exactly the two products deleted", async () => {
    const first = completed(await passOf());
    expect(first).toMatchObject({ listed: world.app.sandbox.catalogProductUuids(catalogId).length, deleted: 0 });
    expect(exported(first.runId).manifest).toMatchObject({ source: 'catalog', catalogId, deletedCount: 0 });

    const gone = world.app.sandbox.deleteProducts(2);
    const second = completed(await passOf());

    expect([...exported(second.runId).deleted].sort()).toEqual([...gone].map((uuid) => uuid.toLowerCase()).sort());
    expect(second.previousRunId).toBe(first.runId);
  });

  it("counts a product that left the catalog's selection as deleted for the app", async () => {
    const before = new Set(world.app.sandbox.catalogProductUuids(catalogId).map((uuid) => uuid.toLowerCase()));
    world.app.sandbox.setCatalogSelection(catalogId, { families: ['sneakers'], categories: [], enabledOnly: false });
    const kept = new Set(world.app.sandbox.catalogProductUuids(catalogId).map((uuid) => uuid.toLowerCase()));

    const pass = completed(await passOf());

    const left = [...before].filter((uuid) => !kept.has(uuid)).sort();
    expect(left.length).toBeGreaterThan(0);
    expect([...exported(pass.runId).deleted].sort()).toEqual(left);
    expect(pass.listed).toBe(kept.size);
  });

  it('deletes nothing and keeps the snapshot while the catalog is disabled', async () => {
    const before = (await store().get(world.app.pimHost))?.lastReconciliation;
    world.app.sandbox.enableCatalog(catalogId, false);
    try {
      const outcome = await passOf();

      expect(outcome).toMatchObject({ kind: 'skipped', reason: expect.stringMatching(/catalog is disabled/) });
      expect((await store().get(world.app.pimHost))?.lastReconciliation).toEqual(before);
    } finally {
      world.app.sandbox.enableCatalog(catalogId, true);
    }
  });
});
