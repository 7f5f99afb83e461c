import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { PRODUCT_PAGE_SIZE } from '../functions/akeneo/products';
import { buildChild, type FunctionBundle } from './support/build';
import { invokeInChild } from './support/invoke';
import { sqsEvent } from './support/lambda-events';
import { median, round } from './support/stats';
import { type BenchPim, NAMES, type World } from './support/world';
import { forgetSync } from './sync-throughput';

/** The most calls Akeneo serves at once per connection. */
export const MAX_IN_FLIGHT = 4;

export interface PartitionedRun {
  readonly ms: number;
  readonly productsPerSecond: number;
  /** Against one cursor's limit, one page of 100 per round trip: 100 / D. */
  readonly timesSingleCursorLimit: number;
  /** The sandbox's own time per answer (after D): part of every round trip. */
  readonly pimServeMs: number;
  /** Against one cursor's limit with that serve time: 100 / (D + S). */
  readonly timesServedLimit: number;
  readonly apiRequests: number;
  /** The most API calls the sandbox had in flight at once for the connection's token. */
  readonly maxInFlight: number;
  readonly exported: number;
  readonly lost: number;
  readonly duplicates: number;
  /** CPU time of the worker process during the handler, and of the bench process (sandbox, s3rver, dynalite). */
  readonly workerCpuMs: number;
  readonly pimAndStandInsCpuMs: number;
  /** Both, per second of the run: cores kept busy (the machine has 2, shared). */
  readonly coresBusy: number;
}

export interface PartitionedAtLatency {
  readonly latencyMs: number;
  readonly runs: readonly PartitionedRun[];
  readonly timesSingleCursorLimit: number;
  readonly timesServedLimit: number;
  readonly maxInFlight: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly coresBusy: number;
}

export interface PartitionedSyncResult {
  readonly products: number;
  readonly atLatency: readonly PartitionedAtLatency[];
  /** Median over the runs at the first latency (D = 50 ms). */
  readonly timesSingleCursorLimit: number;
  /** The most in flight over every run. */
  readonly maxInFlight: number;
  readonly failures: readonly string[];
}

/**
 * Issue 18, part 1. The synth SyncWorker bundle, in a fresh process, makes a first sync of a `products`-product
 * sandbox catalog to s3rver, which it splits into `created` ranges walked side by side; the sandbox holds every API
 * request D ms and counts the calls in flight. The export is read back: every product once, none lost.
 */
export async function measurePartitionedSync(
  world: World,
  worker: FunctionBundle,
  options: {
    readonly products: number;
    readonly latencies: readonly { readonly latencyMs: number; readonly repeats: number }[];
    readonly log: (line: string) => void;
  },
): Promise<PartitionedSyncResult> {
  const script = await buildChild('invoke-child');
  const env = world.lambdaEnv(worker.environment);
  const failures: string[] = [];
  world.setDelay(0);
  const pim = await world.startPim({ productCount: options.products });
  await world.connect(pim);
  const atLatency: PartitionedAtLatency[] = [];
  try {
    for (const { latencyMs, repeats } of options.latencies) {
      pim.sandbox.setApiLatency(latencyMs);
      const runs: PartitionedRun[] = [];
      for (let repeat = 0; repeat < repeats; repeat += 1) {
        await forgetSync(world, pim);
        pim.sandbox.resetApiStats();
        const benchCpu = process.cpuUsage();
        const report = await invokeInChild(script, env, worker.bundlePath, sqsEvent(pim.host));
        const benchCpuUsed = process.cpuUsage(benchCpu);
        const batchFailures = (report.result as { batchItemFailures?: unknown[] } | undefined)?.batchItemFailures;
        if (!report.ok || (batchFailures?.length ?? 0) > 0) {
          failures.push(`D = ${latencyMs} ms: ${report.detail || JSON.stringify(report.result)}`);
          continue;
        }
        const stats = pim.sandbox.apiStats;
        const serveMs = stats.answerMs / Math.max(stats.requests, 1);
        const productsPerSecond = options.products / (report.handlerMs / 1000);
        const limit = (PRODUCT_PAGE_SIZE / latencyMs) * 1000;
        const servedLimit = (PRODUCT_PAGE_SIZE / (latencyMs + serveMs)) * 1000;
        const maxInFlight = Math.max(stats.maxConcurrent, ...Object.values(stats.maxConcurrentPerToken));
        const exported = await exportedUuids(world, pim);
        const unique = new Set(exported).size;
        const workerCpuMs = report.handlerCpuMs ?? 0;
        // The bench process's CPU over the child's whole life: a little more than the handler's call.
        const pimAndStandInsCpuMs = (benchCpuUsed.user + benchCpuUsed.system) / 1000;
        const run: PartitionedRun = {
          ms: round(report.handlerMs, 0),
          productsPerSecond: round(productsPerSecond, 0),
          timesSingleCursorLimit: round(productsPerSecond / limit, 2),
          pimServeMs: round(serveMs, 2),
          timesServedLimit: round(productsPerSecond / servedLimit, 2),
          apiRequests: stats.requests,
          maxInFlight,
          exported: exported.length,
          lost: options.products - unique,
          duplicates: exported.length - unique,
          workerCpuMs: round(workerCpuMs, 0),
          pimAndStandInsCpuMs: round(pimAndStandInsCpuMs, 0),
          coresBusy: round((workerCpuMs + pimAndStandInsCpuMs) / report.handlerMs, 2),
        };
        if (maxInFlight > MAX_IN_FLIGHT) failures.push(`D = ${latencyMs} ms: ${maxInFlight} calls in flight at once`);
        if (run.lost > 0) failures.push(`D = ${latencyMs} ms: ${run.lost} products lost`);
        runs.push(run);
        options.log(
          `  partitioned first sync at D = ${latencyMs} ms: ${round(report.handlerMs / 1000, 2)} s, ` +
            `${run.timesSingleCursorLimit}× 100/D, ${maxInFlight} in flight, ${run.lost} lost, ${run.duplicates} duplicates; ` +
            `CPU: worker ${run.workerCpuMs} ms, sandbox and stand-ins ${run.pimAndStandInsCpuMs} ms (${run.coresBusy} cores)`,
        );
      }
      atLatency.push({
        latencyMs,
        runs,
        timesSingleCursorLimit: round(median(runs.map((run) => run.timesSingleCursorLimit)), 2),
        timesServedLimit: round(median(runs.map((run) => run.timesServedLimit)), 2),
        maxInFlight: Math.max(0, ...runs.map((run) => run.maxInFlight)),
        lost: Math.max(0, ...runs.map((run) => run.lost)),
        duplicates: Math.max(0, ...runs.map((run) => run.duplicates)),
        coresBusy: round(median(runs.map((run) => run.coresBusy)), 2),
      });
    }
  } finally {
    pim.sandbox.setApiLatency(0);
    await pim.close();
  }
  return {
    products: options.products,
    atLatency,
    timesSingleCursorLimit: atLatency[0]?.timesSingleCursorLimit ?? 0,
    maxInFlight: Math.max(0, ...atLatency.map((at) => at.maxInFlight)),
    failures,
  };
}

/** The uuids of the last run's parts, in the order of its manifest. */
async function exportedUuids(world: World, pim: BenchPim): Promise<string[]> {
  const connection = await world.documents.send(
    new GetCommand({ TableName: NAMES.connectionsTable, Key: { pimHost: pim.host } }),
  );
  const runId = connection.Item?.lastSyncRunId as string | undefined;
  if (runId === undefined) return [];
  const prefix = `${pim.host.replace(':', '_')}/products/${runId}/`;
  const manifest = JSON.parse(await world.s3.text(`${prefix}manifest.json`)) as {
    readonly parts: readonly { readonly name: string }[];
  };
  const uuids: string[] = [];
  for (const part of manifest.parts) {
    const lines = (await world.s3.text(`${prefix}${part.name}`)).trim().split('\n');
    for (const line of lines) if (line !== '') uuids.push((JSON.parse(line) as { uuid: string }).uuid);
  }
  return uuids;
}
