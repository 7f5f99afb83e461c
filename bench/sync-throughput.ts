import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { PRODUCT_PAGE_SIZE } from '../functions/akeneo/products';
import { buildChild, type FunctionBundle } from './support/build';
import { invokeInChild } from './support/invoke';
import type { InvokeReport } from './support/invoke-child';
import { sqsEvent } from './support/lambda-events';
import { median, round } from './support/stats';
import { type BenchPim, NAMES, type World } from './support/world';

export interface ThroughputRun {
  readonly ms: number;
  readonly productsPerSecond: number;
  readonly percentOfLimit: number;
  readonly apiRequests: number;
  /** The sandbox's own time per answer (building and sending it, after D): part of every round trip. */
  readonly pimServeMs: number;
  /** Against one page per round trip of D plus that serve time: what the worker makes of the PIM it has. */
  readonly percentOfServedLimit: number;
}

export interface SyncThroughputResult {
  readonly latencyMs: number;
  readonly products: number;
  /** One page of 100 per round trip: 100 / D products per second. */
  readonly limitPerSecond: number;
  readonly worker: {
    readonly runs: readonly ThroughputRun[];
    readonly medianPercentOfLimit: number;
    readonly medianProductsPerSecond: number;
    readonly medianPimServeMs: number;
    readonly medianPercentOfServedLimit: number;
  };
  readonly naive: {
    readonly runs: readonly ThroughputRun[];
    readonly medianPercentOfLimit: number;
    readonly medianProductsPerSecond: number;
    readonly medianPimServeMs: number;
    readonly medianPercentOfServedLimit: number;
  };
  readonly memory?: {
    /** Catalog size → the worker process's peak RSS (bytes), one value per run. */
    readonly peakRssBytes: Record<string, readonly number[]>;
    readonly smallProducts: number;
    readonly largeProducts: number;
    /** max(large) / max(small) − 1, as a percentage. */
    readonly growthPercent: number;
    readonly latencyMs: number;
  };
  readonly failures: readonly string[];
}

/**
 * Issue 7, point 3. The synth SyncWorker bundle in a fresh process exports a 20,000-product sandbox catalog to S3
 * (s3rver) with the sandbox holding every API request D ms; the naive sequential sync does the same from the same
 * adapters. Then the worker's peak RSS for a small and a large catalog (no latency: only the data matters).
 */
export async function measureSyncThroughput(
  world: World,
  worker: FunctionBundle,
  options: {
    readonly latencyMs: number;
    readonly products: number;
    readonly repeats: number;
    /** The peak-memory part, at no latency: left out when undefined (a second pass at another D). */
    readonly memory?: { readonly sizes: readonly [number, number]; readonly repeats: number };
    readonly log: (line: string) => void;
  },
): Promise<SyncThroughputResult> {
  const script = await buildChild('invoke-child');
  const env = world.lambdaEnv(worker.environment);
  const failures: string[] = [];
  world.setDelay(0);

  const runOnce = async (
    pim: BenchPim,
    kind: 'worker' | 'naive',
  ): Promise<{ report: InvokeReport; requests: number; serveMs: number }> => {
    await resetCursor(world, pim);
    pim.sandbox.resetApiStats();
    const report =
      kind === 'worker'
        ? await invokeInChild(script, env, worker.bundlePath, sqsEvent(pim.host))
        : await invokeInChild(script, env, 'naive-sync', { pimHost: pim.host });
    const requests = pim.sandbox.apiStats.requests;
    const serveMs = pim.sandbox.apiStats.answerMs / Math.max(requests, 1);
    const batchFailures = (report.result as { batchItemFailures?: unknown[] } | undefined)?.batchItemFailures ?? [];
    if (!report.ok || batchFailures.length > 0)
      failures.push(`${kind}: ${report.detail || JSON.stringify(report.result)}`);
    const expected = Math.ceil(pim.sandbox.productCount / PRODUCT_PAGE_SIZE);
    if (requests < expected) failures.push(`${kind}: ${requests} API requests, expected ${expected}`);
    return { report, requests, serveMs };
  };

  const limitPerSecond = (PRODUCT_PAGE_SIZE / options.latencyMs) * 1000;
  const pim = await world.startPim({ productCount: options.products });
  await world.connect(pim);
  pim.sandbox.setApiLatency(options.latencyMs);
  const runs: Record<'worker' | 'naive', ThroughputRun[]> = { worker: [], naive: [] };
  for (let repeat = 0; repeat < options.repeats; repeat += 1) {
    for (const kind of repeat % 2 === 0 ? (['worker', 'naive'] as const) : (['naive', 'worker'] as const)) {
      const { report, requests, serveMs } = await runOnce(pim, kind);
      const productsPerSecond = options.products / (report.handlerMs / 1000);
      const servedLimit = (PRODUCT_PAGE_SIZE / (options.latencyMs + serveMs)) * 1000;
      runs[kind].push({
        ms: round(report.handlerMs, 0),
        productsPerSecond: round(productsPerSecond, 0),
        percentOfLimit: round((productsPerSecond / limitPerSecond) * 100, 1),
        apiRequests: requests,
        pimServeMs: round(serveMs, 2),
        percentOfServedLimit: round((productsPerSecond / servedLimit) * 100, 1),
      });
      options.log(`  sync throughput: ${kind} ${round(report.handlerMs / 1000, 2)} s for ${options.products} products`);
    }
  }
  await pim.close();

  const summary = (list: ThroughputRun[]) => ({
    runs: list,
    medianPercentOfLimit: round(median(list.map((run) => run.percentOfLimit)), 1),
    medianPimServeMs: round(median(list.map((run) => run.pimServeMs)), 2),
    medianPercentOfServedLimit: round(median(list.map((run) => run.percentOfServedLimit)), 1),
    medianProductsPerSecond: round(median(list.map((run) => run.productsPerSecond)), 0),
  });
  return {
    latencyMs: options.latencyMs,
    products: options.products,
    limitPerSecond,
    worker: summary(runs.worker),
    naive: summary(runs.naive),
    ...(options.memory
      ? {
          memory: await measurePeakMemory(
            options.memory,
            async (size) => {
              const sized = await world.startPim({ productCount: size });
              await world.connect(sized);
              return sized;
            },
            (sized) => runOnce(sized, 'worker'),
            (line) => options.log(`  sync memory: ${line}`),
          ),
        }
      : {}),
    failures,
  };
}

export type PeakMemory = NonNullable<SyncThroughputResult['memory']>;

/**
 * The worker process's peak RSS for a small and a large catalog, at no latency (alternating): `startPim` gives a
 * connected PIM of a size, ready to sync, and `runOnce` syncs it in a fresh process.
 */
export async function measurePeakMemory(
  options: { readonly sizes: readonly [number, number]; readonly repeats: number },
  startPim: (size: number) => Promise<BenchPim>,
  runOnce: (pim: BenchPim) => Promise<{ report: InvokeReport }>,
  log: (line: string) => void,
): Promise<PeakMemory> {
  const peakRssBytes: Record<string, number[]> = {};
  for (const size of options.sizes) {
    peakRssBytes[String(size)] = [];
  }
  const memoryPims = new Map<number, BenchPim>();
  for (const size of options.sizes) memoryPims.set(size, await startPim(size));
  for (let repeat = 0; repeat < options.repeats; repeat += 1) {
    for (const size of repeat % 2 === 0 ? options.sizes : [...options.sizes].reverse()) {
      const sized = memoryPims.get(size);
      if (!sized) continue;
      const { report } = await runOnce(sized);
      peakRssBytes[String(size)].push(report.maxRssBytes);
      log(`${size} products, peak RSS ${round(report.maxRssBytes / 2 ** 20, 1)} MiB`);
    }
  }
  for (const sized of memoryPims.values()) await sized.close();

  const [small, large] = options.sizes;
  return {
    peakRssBytes,
    smallProducts: small,
    largeProducts: large,
    growthPercent: round(
      (Math.max(...peakRssBytes[String(large)]) / Math.max(...peakRssBytes[String(small)]) - 1) * 100,
      1,
    ),
    latencyMs: 0,
  };
}

/** The next run is a first sync again: no cursor (nor the source it was read from), no checkpoint. */
export async function forgetSync(world: World, pim: BenchPim): Promise<void> {
  await world.documents.send(
    new UpdateCommand({
      TableName: NAMES.connectionsTable,
      Key: { pimHost: pim.host },
      UpdateExpression: 'REMOVE syncCursor, syncCursorSource, syncCheckpoint',
    }),
  );
}

/**
 * The next run reads the whole catalog again with one cursor: a cursor from before every product (a first sync would
 * be split into created ranges, which `partitioned-sync.ts` measures).
 */
async function resetCursor(world: World, pim: BenchPim): Promise<void> {
  await world.documents.send(
    new UpdateCommand({
      TableName: NAMES.connectionsTable,
      Key: { pimHost: pim.host },
      UpdateExpression: 'SET syncCursor = :before REMOVE syncCheckpoint',
      ExpressionAttributeValues: { ':before': '2000-01-01T00:00:00.000Z' },
    }),
  );
}
