import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { CATALOG_PRODUCT_PAGE_SIZE } from '../functions/akeneo/catalogs';
import { PRODUCT_PAGE_SIZE } from '../functions/akeneo/products';
import { FAMILY_CODES } from '../sandbox/catalog-structure';
import { buildChild, type FunctionBundle } from './support/build';
import { invokeInChild } from './support/invoke';
import type { InvokeReport } from './support/invoke-child';
import { sqsEvent } from './support/lambda-events';
import { sourceEnvironment } from './support/source-environment';
import { median, round } from './support/stats';
import { type BenchPim, NAMES, type World } from './support/world';
import { forgetSync, measurePeakMemory, type PeakMemory } from './sync-throughput';

/** Issue 15, item 5: the catalog sync's products/s against the single-cursor limit 100/D, at least this multiple. */
export const CATALOG_SYNC_TARGET_MULTIPLE = 8;

export interface CatalogSyncRun {
  readonly ms: number;
  /** The worker process's CPU time during the run (user + system). */
  readonly workerCpuMs: number;
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
  /** One run before the measured ones, not counted: the sandbox's code warms up in it (its serve time is higher). */
  readonly warmUpRun?: CatalogSyncRun;
  readonly runs: readonly CatalogSyncRun[];
  readonly medianMultipleOfLimit: number;
  readonly medianProductsPerSecond: number;
  readonly medianPimServeMs: number;
  readonly medianMultipleOfServedLimit: number;
  /**
   * The worker's CPU time (user + system) per page of 1,000, from the 10,000- and 50,000-product runs (their difference
   * over the pages between them), and the run's fixed part (first calls, the manifest, the checkpoint). A page cannot
   * come faster than the worker handles one. Without the memory runs: the runs at D, all CPU over the pages.
   */
  readonly workerCpu: { readonly perPageMs: number; readonly perRunMs: number };
  /** The most calls the sandbox saw at once in a measured run: the ranges a split first sync walks side by side. */
  readonly maxInFlight: number;
  /**
   * 1,000 per max((D + serve time) / calls in flight, the worker's CPU per page), over 100/D: the most these leave
   * possible (the planning's round trip and the run's fixed part aside).
   */
  readonly ceilingMultipleOfLimit: number;
  /**
   * The same sync with no latency, where nothing is left to wait for: the worker's and the sandbox's own time per
   * page. When this is slower than the target, no overlap of the round trips can reach it on this machine.
   */
  readonly atNoLatency: {
    readonly runs: readonly CatalogSyncRun[];
    readonly medianMsPerPage: number;
    readonly medianProductsPerSecond: number;
    /** Products/s at no latency over 100/D (D of the measured runs). */
    readonly medianMultipleOfLimit: number;
  };
  readonly memory?: PeakMemory;
  readonly failures: readonly string[];
}

/**
 * Issue 15, item 5. The synth SyncWorker bundle, configured for the catalog source as the stack configures it, in a
 * fresh process per run, makes the first sync of the app's catalog (every family selected, enabled; split by `updated`
 * at 10 pages or more) of a sandbox PIM to S3 (s3rver),
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

  let maxInFlight = 0;
  const runOnce = async (pim: BenchPim): Promise<{ report: InvokeReport; requests: number; serveMs: number }> => {
    await forgetSync(world, pim);
    const before = await lastRun(world, pim);
    pim.sandbox.resetApiStats();
    const report = await invokeInChild(script, env, worker.bundlePath, sqsEvent(pim.host));
    const requests = pim.sandbox.apiStats.requests;
    maxInFlight = Math.max(maxInFlight, pim.sandbox.apiStats.maxConcurrent);
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
  const measure = async (latencyMs: number, repeats = options.repeats, what = ''): Promise<CatalogSyncRun[]> => {
    pim.sandbox.setApiLatency(latencyMs);
    const runs: CatalogSyncRun[] = [];
    for (let repeat = 0; repeat < repeats; repeat += 1) {
      const { report, requests, serveMs } = await runOnce(pim);
      const productsPerSecond = options.products / (report.handlerMs / 1000);
      const servedLimit = (PRODUCT_PAGE_SIZE / (latencyMs + serveMs)) * 1000;
      runs.push({
        ms: round(report.handlerMs, 0),
        workerCpuMs: round(report.handlerCpuMs, 0),
        productsPerSecond: round(productsPerSecond, 0),
        multipleOfLimit: round(productsPerSecond / limitPerSecond, 2),
        apiRequests: requests,
        pimServeMs: round(serveMs, 2),
        multipleOfServedLimit: round(productsPerSecond / servedLimit, 2),
      });
      options.log(
        `  catalog sync at D = ${latencyMs} ms${what}: ${round(report.handlerMs / 1000, 2)} s for ${options.products} ` +
          `products, ${requests} requests, ${round(serveMs, 1)} ms to serve each`,
      );
    }
    return runs;
  };
  // The sandbox runs in this process: its first run serves each page in 15-20 ms, while its code compiles, then
  // 11-13 ms. A real PIM is a warm server; the worker is a fresh process in every run, measured or not.
  const [warmUpRun] = await measure(options.latencyMs, 1, ' (warm-up, not counted)');
  maxInFlight = 0;
  const runs = await measure(options.latencyMs);
  const measuredInFlight = Math.max(1, maxInFlight);
  const unhindered = await measure(0);
  await pim.close();

  // The memory runs' CPU by catalog size: their difference is the CPU of the pages alone, without the run's fixed part.
  const cpuBySize = new Map<number, number[]>();
  const memory = options.memory
    ? await measurePeakMemory(
        options.memory,
        (size) => startCatalogPim(world, size),
        async (sized) => {
          const outcome = await runOnce(sized);
          const size = sized.sandbox.productCount;
          cpuBySize.set(size, [...(cpuBySize.get(size) ?? []), outcome.report.handlerCpuMs]);
          return outcome;
        },
        (line) => options.log(`  catalog memory: ${line}`),
      )
    : undefined;
  const serveMs = median(runs.map((run) => run.pimServeMs));
  const workerCpu = workerCpuPerPage(runs, cpuBySize);
  const ceilingPerSecond =
    (CATALOG_PRODUCT_PAGE_SIZE / Math.max((options.latencyMs + serveMs) / measuredInFlight, workerCpu.perPageMs)) *
    1000;

  return {
    latencyMs: options.latencyMs,
    products: options.products,
    pageSize: CATALOG_PRODUCT_PAGE_SIZE,
    limitPerSecond,
    targetMultiple: CATALOG_SYNC_TARGET_MULTIPLE,
    ...(warmUpRun ? { warmUpRun } : {}),
    runs,
    medianMultipleOfLimit: round(median(runs.map((run) => run.multipleOfLimit)), 2),
    medianProductsPerSecond: round(median(runs.map((run) => run.productsPerSecond)), 0),
    medianPimServeMs: round(serveMs, 2),
    medianMultipleOfServedLimit: round(median(runs.map((run) => run.multipleOfServedLimit)), 2),
    workerCpu: { perPageMs: round(workerCpu.perPageMs, 1), perRunMs: round(workerCpu.perRunMs, 0) },
    maxInFlight: measuredInFlight,
    ceilingMultipleOfLimit: round(ceilingPerSecond / limitPerSecond, 2),
    atNoLatency: {
      runs: unhindered,
      medianMsPerPage: round(median(unhindered.map((run) => run.ms / run.apiRequests)), 1),
      medianProductsPerSecond: round(median(unhindered.map((run) => run.productsPerSecond)), 0),
      medianMultipleOfLimit: round(median(unhindered.map((run) => run.multipleOfLimit)), 2),
    },
    ...(memory ? { memory } : {}),
    failures,
  };
}

function workerCpuPerPage(
  runs: readonly CatalogSyncRun[],
  cpuBySize: ReadonlyMap<number, readonly number[]>,
): { perPageMs: number; perRunMs: number } {
  const sizes = [...cpuBySize.keys()].sort((a, b) => a - b);
  const [small, large] = [sizes[0], sizes.at(-1)];
  if (small === undefined || large === undefined || small === large) {
    return { perPageMs: median(runs.map((run) => run.workerCpuMs / run.apiRequests)), perRunMs: 0 };
  }
  const cpu = (size: number) => median(cpuBySize.get(size) ?? []);
  const perPageMs = (cpu(large) - cpu(small)) / ((large - small) / CATALOG_PRODUCT_PAGE_SIZE);
  return { perPageMs, perRunMs: cpu(small) - perPageMs * (small / CATALOG_PRODUCT_PAGE_SIZE) };
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
