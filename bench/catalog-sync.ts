import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { CATALOG_PRODUCT_PAGE_SIZE } from '../functions/akeneo/catalogs';
import { PRODUCT_PAGE_SIZE } from '../functions/akeneo/products';
import { FAMILY_CODES } from '../sandbox/catalog-structure';
import { buildChild, type FunctionBundle } from './support/build';
import { invokeInChild } from './support/invoke';
import type { InvokeReport } from './support/invoke-child';
import { sqsEvent } from './support/lambda-events';
import { median, round } from './support/stats';
import { type BenchPim, NAMES, sourceEnvironment, type World } from './support/world';
import { measurePeakMemory, type PeakMemory, resetCursor } from './sync-throughput';

/** Issue 15, item 5: the catalog sync's products/s against the single-cursor limit 100/D, at least this multiple. */
export const CATALOG_SYNC_TARGET_MULTIPLE = 8;

export interface CatalogSyncRun {
  readonly ms: number;
  readonly productsPerSecond: number;
  /** Products/s over 100/D. */
  readonly multipleOfLimit: number;
  readonly apiRequests: number;
  /** The sandbox's own time per page of 1,000 (building and sending it, after D): part of every round trip. */
  readonly pimServeMs: number;
  /** Products/s over 100/(D + that serve time): what the worker makes of the PIM it has. */
  readonly multipleOfServedLimit: number;
}

export interface CatalogSyncResult {
  readonly latencyMs: number;
  readonly products: number;
  /** Products per page of the catalog's listing (Akeneo allows up to 1,000). */
  readonly pageSize: number;
  /** The products sync's single-cursor limit, one page of 100 per round trip: 100 / D products per second. */
  readonly limitPerSecond: number;
  readonly targetMultiple: number;
  readonly runs: readonly CatalogSyncRun[];
  readonly medianMultipleOfLimit: number;
  readonly medianProductsPerSecond: number;
  readonly medianPimServeMs: number;
  readonly medianMultipleOfServedLimit: number;
  readonly memory?: PeakMemory;
  readonly failures: readonly string[];
}

/**
 * Issue 15, item 5. The synth SyncWorker bundle, configured for the catalog source as the stack configures it, in a
 * fresh process per run, exports the app's catalog (every family selected, enabled) of a sandbox PIM to S3 (s3rver),
 * with the sandbox holding every API request D ms. Then the worker's peak RSS for a small and a large catalog (no
 * latency: only the data matters), as the products sync measures it.
 */
export async function measureCatalogSync(
  world: World,
  worker: FunctionBundle,
  options: {
    readonly latencyMs: number;
    readonly products: number;
    readonly repeats: number;
    readonly memory?: { readonly sizes: readonly [number, number]; readonly repeats: number };
    readonly log: (line: string) => void;
  },
): Promise<CatalogSyncResult> {
  const script = await buildChild('invoke-child');
  const env = world.lambdaEnv(sourceEnvironment(worker.environment, 'catalog'));
  const failures: string[] = [];
  world.setDelay(0);

  const runOnce = async (pim: BenchPim): Promise<{ report: InvokeReport; requests: number; serveMs: number }> => {
    await resetCursor(world, pim);
    const before = await lastRun(world, pim);
    pim.sandbox.resetApiStats();
    const report = await invokeInChild(script, env, worker.bundlePath, sqsEvent(pim.host));
    const requests = pim.sandbox.apiStats.requests;
    const serveMs = pim.sandbox.apiStats.answerMs / Math.max(requests, 1);
    const batchFailures = (report.result as { batchItemFailures?: unknown[] } | undefined)?.batchItemFailures ?? [];
    if (!report.ok || batchFailures.length > 0) {
      failures.push(`catalog: ${report.detail || JSON.stringify(report.result)}`);
    }
    const after = await lastRun(world, pim);
    if (after.runId === before.runId || after.productCount !== pim.sandbox.productCount) {
      failures.push(`catalog: no run completed with ${pim.sandbox.productCount} products (${JSON.stringify(after)})`);
    }
    return { report, requests, serveMs };
  };

  const limitPerSecond = (PRODUCT_PAGE_SIZE / options.latencyMs) * 1000;
  const pim = await startCatalogPim(world, options.products);
  pim.sandbox.setApiLatency(options.latencyMs);
  const runs: CatalogSyncRun[] = [];
  for (let repeat = 0; repeat < options.repeats; repeat += 1) {
    const { report, requests, serveMs } = await runOnce(pim);
    const productsPerSecond = options.products / (report.handlerMs / 1000);
    const servedLimit = (PRODUCT_PAGE_SIZE / (options.latencyMs + serveMs)) * 1000;
    runs.push({
      ms: round(report.handlerMs, 0),
      productsPerSecond: round(productsPerSecond, 0),
      multipleOfLimit: round(productsPerSecond / limitPerSecond, 2),
      apiRequests: requests,
      pimServeMs: round(serveMs, 2),
      multipleOfServedLimit: round(productsPerSecond / servedLimit, 2),
    });
    options.log(
      `  catalog sync: ${round(report.handlerMs / 1000, 2)} s for ${options.products} products, ${requests} requests`,
    );
  }
  await pim.close();

  return {
    latencyMs: options.latencyMs,
    products: options.products,
    pageSize: CATALOG_PRODUCT_PAGE_SIZE,
    limitPerSecond,
    targetMultiple: CATALOG_SYNC_TARGET_MULTIPLE,
    runs,
    medianMultipleOfLimit: round(median(runs.map((run) => run.multipleOfLimit)), 2),
    medianProductsPerSecond: round(median(runs.map((run) => run.productsPerSecond)), 0),
    medianPimServeMs: round(median(runs.map((run) => run.pimServeMs)), 2),
    medianMultipleOfServedLimit: round(median(runs.map((run) => run.multipleOfServedLimit)), 2),
    ...(options.memory
      ? {
          memory: await measurePeakMemory(
            options.memory,
            (size) => startCatalogPim(world, size),
            runOnce,
            (line) => options.log(`  catalog memory: ${line}`),
          ),
        }
      : {}),
    failures,
  };
}

/**
 * A sandbox PIM connected with the catalog source: the callback created the app's catalog; a PIM user then selects
 * every family (the whole catalog) and enables it.
 */
async function startCatalogPim(world: World, products: number): Promise<BenchPim> {
  const pim = await world.startPim({ productCount: products });
  await world.connect(pim, 'catalog');
  const [catalog, ...others] = pim.sandbox.catalogs(pim.app.clientId);
  if (catalog === undefined || others.length > 0) {
    throw new Error(`The callback should have created one catalog in ${pim.host}, not ${others.length + 1}`);
  }
  pim.sandbox.setCatalogSelection(catalog.id, { families: [...FAMILY_CODES], categories: [] });
  pim.sandbox.enableCatalog(catalog.id, true);
  const selected = pim.sandbox.catalogProductUuids(catalog.id).length;
  if (selected !== products) throw new Error(`The catalog selects ${selected} products of ${products}`);
  return pim;
}

/** The connection's last completed run and the products it exported, as the worker recorded them. */
async function lastRun(world: World, pim: BenchPim): Promise<{ runId?: unknown; productCount?: unknown }> {
  const { Item } = await world.documents.send(
    new GetCommand({ TableName: NAMES.connectionsTable, Key: { pimHost: pim.host } }),
  );
  return { runId: Item?.lastSyncRunId, productCount: Item?.lastSyncProductCount };
}
