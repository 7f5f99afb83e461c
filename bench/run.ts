/**
 * `npm run bench`: issue 7's measurements, side by side in one run. Prints a table (figure, value, target, status)
 * and writes bench/results.json. Nothing here asserts a time: the statuses say where the code stands.
 *
 * Options: `--only cold,callback,sync,catalog,far,partitioned,dispatch,sandbox,freshness,reconcile` runs a subset
 * (`far`: the callback and sync figures again at D = 200 ms; `partitioned`: a first sync split into created ranges, at
 * D = 50 and 200 ms); `--no-synth` reuses bench/.out/cdk.out.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { type CallbackHopsResult, measureCallbackHops } from './callback-hops';
import { type CatalogSyncResult, measureCatalogSync } from './catalog-sync';
import { CALLBACK_FLOOR, type ColdStartResult, measureColdStart } from './cold-start';
import { type DispatchScaleResult, measureDispatchScale } from './dispatch-scale';
import { type EventFreshnessResult, FRESHNESS_TARGET_MS, measureEventFreshness } from './event-freshness';
import { MAX_IN_FLIGHT, measurePartitionedSync, type PartitionedSyncResult } from './partitioned-sync';
import { measureReconcileMemory, type ReconcileMemoryResult } from './reconcile-memory';
import { measureSandboxStart, type SandboxStartResult } from './sandbox-start';
import { type FunctionBundle, functionBundles, PROJECT_ROOT, synth } from './support/build';
import { kib, round } from './support/stats';
import { startWorld } from './support/world';
import { measureSyncThroughput, type SyncThroughputResult } from './sync-throughput';

/** The fixed latency D on every remote call: large against this machine's noise (a few ms), small enough to finish. */
const LATENCY_MS = 50;
/** The second latency (the `far` section): closer to a real PIM across regions. */
const FAR_LATENCY_MS = 200;
const COLD_START_RUNS = 11;
const CALLBACK_PROCESSES = 5;
const SYNC_PRODUCTS = 20_000;
const MEMORY_SIZES: [number, number] = [10_000, 50_000];
const RECONCILE_SIZES = [50_000, 250_000];
const DISPATCH_CONNECTIONS = 10_000;
const SANDBOX_PRODUCTS = 50_000;
/** Saves timed one after the other, from the sandbox to the export, for the freshness median and 99th percentile. */
const FRESHNESS_SAVES = 100;

interface Row {
  readonly figure: string;
  readonly value: string;
  readonly target: string;
  /** undefined: reported only, no target. */
  readonly met?: boolean;
}

const log = (line: string) => process.stderr.write(`${line}\n`);
// The Lambda runtime is Node 24, where the SDK does not warn; this machine may run Node 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const onlyArg = args.find((arg) => arg.startsWith('--only'));
  const only = onlyArg ? (onlyArg.split('=')[1] ?? args[args.indexOf(onlyArg) + 1] ?? '').split(',') : undefined;
  const wants = (name: string) => only === undefined || only.includes(name);
  const started = Date.now();

  if (!args.includes('--no-synth')) {
    log('cdk synth (bundles exactly as deployed)…');
    synth();
  }
  const bundles = functionBundles();
  const bundle = (name: string): FunctionBundle => {
    const found = bundles.find((candidate) => candidate.name === name);
    if (!found) throw new Error(`No ${name} function in the synthesized template`);
    return found;
  };

  const world = await startWorld({ callback: bundle('Callback') });
  let cold: ColdStartResult | undefined;
  let callback: CallbackHopsResult | undefined;
  let sync: SyncThroughputResult | undefined;
  let catalog: CatalogSyncResult | undefined;
  let farCallback: CallbackHopsResult | undefined;
  let farSync: SyncThroughputResult | undefined;
  let dispatch: DispatchScaleResult | undefined;
  let sandbox: SandboxStartResult | undefined;
  let freshness: EventFreshnessResult | undefined;
  let reconcile: ReconcileMemoryResult | undefined;
  let partitioned: PartitionedSyncResult | undefined;
  try {
    if (wants('cold')) {
      log('1. cold start…');
      cold = await measureColdStart(world, bundles, { runs: COLD_START_RUNS, log });
    }
    if (wants('callback')) {
      log(`2. callback critical path (D = ${LATENCY_MS} ms)…`);
      callback = await measureCallbackHops(world, bundle('Callback'), {
        latencyMs: LATENCY_MS,
        processes: CALLBACK_PROCESSES,
        log,
      });
    }
    if (wants('sync')) {
      log(`3. sync throughput (D = ${LATENCY_MS} ms) and memory…`);
      sync = await measureSyncThroughput(world, bundle('SyncWorker'), {
        latencyMs: LATENCY_MS,
        products: SYNC_PRODUCTS,
        repeats: 2,
        memory: { sizes: MEMORY_SIZES, repeats: 2 },
        log,
      });
    }
    if (wants('catalog')) {
      log(`3c. catalog sync throughput (D = ${LATENCY_MS} ms, pages of 1,000) and memory…`);
      catalog = await measureCatalogSync(world, bundle('SyncWorker'), {
        latencyMs: LATENCY_MS,
        products: SYNC_PRODUCTS,
        repeats: 2,
        memory: { sizes: MEMORY_SIZES, repeats: 2 },
        log,
      });
    }
    if (wants('far')) {
      log(`3b. callback critical path and sync throughput again at D = ${FAR_LATENCY_MS} ms…`);
      farCallback = await measureCallbackHops(world, bundle('Callback'), {
        latencyMs: FAR_LATENCY_MS,
        processes: CALLBACK_PROCESSES,
        log,
      });
      farSync = await measureSyncThroughput(world, bundle('SyncWorker'), {
        latencyMs: FAR_LATENCY_MS,
        products: SYNC_PRODUCTS,
        repeats: 2,
        log,
      });
    }
    if (wants('partitioned')) {
      log(`3c. a first sync split into created ranges (D = ${LATENCY_MS} and ${FAR_LATENCY_MS} ms)…`);
      partitioned = await measurePartitionedSync(world, bundle('SyncWorker'), {
        products: SYNC_PRODUCTS,
        latencies: [
          { latencyMs: LATENCY_MS, repeats: 3 },
          { latencyMs: FAR_LATENCY_MS, repeats: 2 },
        ],
        log,
      });
    }
    if (wants('dispatch')) {
      log(`4. dispatch scale (${DISPATCH_CONNECTIONS} connections)…`);
      dispatch = await measureDispatchScale(world, bundle('SyncDispatch'), {
        connections: DISPATCH_CONNECTIONS,
        latencyMs: LATENCY_MS,
        log,
      });
    }
    if (wants('reconcile')) {
      log(`6. reconciliation pass memory (${RECONCILE_SIZES.join(' and ')} products)…`);
      reconcile = await measureReconcileMemory(world, {
        sizes: RECONCILE_SIZES,
        repeats: 2,
        log,
      });
    }
    if (wants('sandbox')) {
      log(`5. sandbox PIM start (${SANDBOX_PRODUCTS} products)…`);
      sandbox = await measureSandboxStart({ products: SANDBOX_PRODUCTS, repeats: 5 });
    }
    if (wants('freshness')) {
      log(`6. event freshness (${FRESHNESS_SAVES} saves, sandbox Event Platform → local app → export)…`);
      freshness = await measureEventFreshness({ saves: FRESHNESS_SAVES, log });
    }
  } finally {
    await world.close();
  }

  const rows = [
    ...coldRows(cold),
    ...callbackRows(callback),
    ...syncRows(sync),
    ...catalogRows(catalog),
    ...callbackRows(farCallback, FAR_LATENCY_MS),
    ...syncRows(farSync, FAR_LATENCY_MS),
    ...partitionedRows(partitioned),
    ...dispatchRows(dispatch),
    ...sandboxRows(sandbox),
    ...freshnessRows(freshness),
    ...reconcileRows(reconcile),
  ];
  const results = {
    generatedAt: new Date().toISOString(),
    machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '' },
    latencyMs: LATENCY_MS,
    durationSeconds: round((Date.now() - started) / 1000, 1),
    table: rows.map((row) => ({ ...row, status: status(row) })),
    coldStart: cold,
    callbackHops: callback,
    syncThroughput: sync,
    catalogSync: catalog,
    far:
      farCallback || farSync
        ? { latencyMs: FAR_LATENCY_MS, callbackHops: farCallback, syncThroughput: farSync }
        : undefined,
    partitionedSync: partitioned,
    dispatchScale: dispatch,
    sandboxStart: sandbox,
    eventFreshness: freshness,
    reconcileMemory: reconcile,
  };
  const path = join(PROJECT_ROOT, 'bench', 'results.json');
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);

  process.stdout.write(`\n${renderTable(rows)}\n`);
  if (cold) process.stdout.write(`\n${renderContributors(cold)}\n`);
  if (callback)
    process.stdout.write(
      `\nCold callback, remote calls at D = ${LATENCY_MS} ms (one process):\n  ${callback.coldTimeline.join('\n  ')}\n`,
    );
  const failures = [
    ...(cold
      ? [...cold.functions, ...cold.variants, cold.empty].flatMap((t) => t.failures.map((f) => `cold ${t.name}: ${f}`))
      : []),
    ...(callback?.failures ?? []),
    ...(sync?.failures ?? []),
    ...(catalog?.failures ?? []),
    ...(farCallback?.failures ?? []),
    ...(farSync?.failures ?? []),
    ...(partitioned?.failures ?? []),
    ...(dispatch?.failures ?? []),
    ...(reconcile?.failures ?? []),
  ];
  if (failures.length > 0)
    process.stdout.write(`\nRuns that failed (left out of the figures):\n  ${failures.slice(0, 20).join('\n  ')}\n`);
  const latencies =
    farCallback || farSync ? `D = ${LATENCY_MS} ms (far: ${FAR_LATENCY_MS} ms)` : `D = ${LATENCY_MS} ms`;
  process.stdout.write(`\n${latencies}. Results: ${path} (${results.durationSeconds} s)\n`);
}

function coldRows(cold: ColdStartResult | undefined): Row[] {
  if (!cold) return [];
  const rows: Row[] = cold.bundles.map((bundle) => ({
    figure: `Bundle size, ${bundle.name}`,
    value: `${kib(bundle.bundleBytes)} (+ ${kib(bundle.sourceMapBytes)} map)${bundle.rebuiltBytes === bundle.bundleBytes ? '' : ` [rebuild ${kib(bundle.rebuiltBytes)}]`}`,
    target: 'printed, with contributors',
  }));
  rows.push({
    figure: 'Cold start, empty handler (the base of each ratio)',
    value: `${cold.empty.medianMs} ms (CPU ${cold.empty.medianCpuMs} ms)`,
    target: `median of ${cold.runsPerTarget}`,
  });
  for (const fn of cold.functions) {
    rows.push({
      figure: `Cold start, ${fn.name} / empty`,
      value: `${fn.ratioToEmpty}× (${fn.medianMs} ms); CPU ${fn.cpuRatioToEmpty}×`,
      // The Callback's target is against its floor (issue 18), in the row after the variants.
      target: 'reported',
    });
  }
  const floorMs = cold.variants.find((variant) => variant.name === CALLBACK_FLOOR)?.medianMs;
  for (const variant of cold.variants) {
    const toFloor =
      variant.name !== CALLBACK_FLOOR && floorMs ? `; ${round(variant.medianMs / floorMs, 2)}× the floor` : '';
    rows.push({
      figure: `  ${variant.name === CALLBACK_FLOOR ? 'floor' : 'what-if'}: ${variant.name}`,
      value: `${variant.ratioToEmpty}× (${variant.medianMs} ms); CPU ${variant.cpuRatioToEmpty}×${toFloor}`,
      target: variant.name === CALLBACK_FLOOR ? 'the least any callback can do' : 'profiling',
    });
  }
  const callback = cold.functions.find((fn) => fn.name === 'Callback');
  const floor = cold.variants.find((variant) => variant.name === CALLBACK_FLOOR);
  if (callback && floor) {
    const ratio = round(callback.medianMs / floor.medianMs, 2);
    rows.push({
      figure: 'Cold start, Callback / its floor',
      value: `${ratio}× (${round(callback.medianMs - floor.medianMs, 1)} ms above it); CPU ${round(callback.medianCpuMs / floor.medianCpuMs, 2)}×`,
      target: '≤ 2.5×',
      met: ratio <= 2.5,
    });
  }
  const memorySize = cold.bundles.find((bundle) => bundle.name === 'Callback')?.memorySize;
  if (callback && memorySize) {
    rows.push({
      figure: 'Cold callbacks, init cost per 1,000 at the Arm price',
      value: `$${coldStartCost(callback.medianMs, memorySize, 1000).toFixed(5)} (${callback.medianMs} ms × ${memorySize} MB)`,
      target: 'reported',
    });
  }
  return rows;
}

/**
 * Lambda's price per GB-second on Arm (us-east-1, first tier: https://aws.amazon.com/lambda/pricing/), which the init
 * phase is billed at since August 2025.
 */
const ARM_PRICE_PER_GB_SECOND = 0.0000133334;

/** What `count` cold starts of `ms` each cost at `memoryMb`, in US dollars (this machine's time, not Lambda's). */
function coldStartCost(ms: number, memoryMb: number, count: number): number {
  return (ms / 1000) * (memoryMb / 1024) * ARM_PRICE_PER_GB_SECOND * count;
}

/** ` at D = 200 ms` for a section run at another latency than `LATENCY_MS`. */
const atLatency = (latencyMs: number) => (latencyMs === LATENCY_MS ? '' : ` at D = ${latencyMs} ms`);

function callbackRows(callback: CallbackHopsResult | undefined, latencyMs = LATENCY_MS): Row[] {
  if (!callback) return [];
  const at = atLatency(latencyMs);
  const hops = (figures: CallbackHopsResult['warm']) =>
    `${figures.sequentialCalls} in sequence (max ${figures.sequentialCallsMax}); (t(D)−t(0))/D = ${figures.hops} [${figures.medianMsAtD} − ${figures.medianMsAt0} ms]`;
  return [
    {
      figure: `Callback hops, warm${at}`,
      value: hops(callback.warm),
      target: '3',
      met: callback.warm.sequentialCallsMax <= 3,
    },
    {
      figure: `Callback hops, cold (first in process)${at}`,
      value: hops(callback.cold),
      target: '≤ 4',
      met: callback.cold.sequentialCallsMax <= 4,
    },
    { figure: `Callback hops, naive sequential${at}`, value: hops(callback.naive), target: 'baseline' },
    {
      figure: `Callback, naive / warm (wall time at D)${at}`,
      value: `${round(callback.naive.medianMsAtD / callback.warm.medianMsAtD, 2)}×`,
      target: 'reported',
    },
  ];
}

function reconcileRows(reconcile: ReconcileMemoryResult | undefined): Row[] {
  if (!reconcile) return [];
  const mib = (size: number | undefined) =>
    round(Math.max(...(reconcile.peakRssBytes[String(size)] ?? [])) / 2 ** 20, 1);
  const [small, large] = [reconcile.sizes[0], reconcile.sizes.at(-1)];
  return [
    {
      figure: `Reconciliation pass peak RSS, ${large} vs ${small} products`,
      value: `${mib(large)} vs ${mib(small)} MiB (${reconcile.growthPercent >= 0 ? '+' : ''}${reconcile.growthPercent}%)`,
      target: '±10 %',
      met: Math.abs(reconcile.growthPercent) <= 10,
    },
  ];
}

function syncRows(sync: SyncThroughputResult | undefined, latencyMs = LATENCY_MS): Row[] {
  if (!sync) return [];
  const at = atLatency(latencyMs);
  const rows: Row[] = [
    {
      figure: `Sync throughput, ${sync.products} products${at}`,
      value: `${sync.worker.medianPercentOfLimit}% of 100/D (${sync.worker.medianProductsPerSecond}/s of ${sync.limitPerSecond}/s)`,
      target: '≥ 90%',
      met: sync.worker.medianPercentOfLimit >= 90,
    },
    {
      figure: '  the sandbox PIM serving each page',
      value: `${sync.worker.medianPimServeMs} ms after D: ${sync.worker.medianPercentOfServedLimit}% of 100/(D + that)`,
      target: 'reported',
    },
    {
      figure: `Sync throughput, naive sequential${at}`,
      value: `${sync.naive.medianPercentOfLimit}% (${sync.naive.medianProductsPerSecond}/s)`,
      target: 'baseline',
    },
    {
      figure: `Sync, worker / naive (products/s)${at}`,
      value: `${round(sync.worker.medianProductsPerSecond / sync.naive.medianProductsPerSecond, 2)}×`,
      target: 'reported',
    },
  ];
  const memory = sync.memory;
  if (memory) {
    const small = Math.max(...(memory.peakRssBytes[String(memory.smallProducts)] ?? []));
    const large = Math.max(...(memory.peakRssBytes[String(memory.largeProducts)] ?? []));
    rows.push({
      figure: `Worker peak RSS, ${memory.largeProducts} vs ${memory.smallProducts} products`,
      value: `${round(large / 2 ** 20, 1)} vs ${round(small / 2 ** 20, 1)} MiB (${memory.growthPercent >= 0 ? '+' : ''}${memory.growthPercent}%)`,
      target: 'within 10%',
      met: Math.abs(memory.growthPercent) <= 10,
    });
  }
  return rows;
}

function catalogRows(catalog: CatalogSyncResult | undefined): Row[] {
  if (!catalog) return [];
  const rows: Row[] = [
    {
      figure: `Catalog sync throughput, ${catalog.products} products, pages of ${catalog.pageSize}`,
      value: `${catalog.medianMultipleOfLimit}× 100/D (${catalog.medianProductsPerSecond}/s of ${catalog.limitPerSecond}/s)`,
      target: `≥ ${catalog.targetMultiple}×`,
      met: catalog.medianMultipleOfLimit >= catalog.targetMultiple,
    },
    {
      figure: '  the sandbox PIM serving each page',
      value: `${catalog.medianPimServeMs} ms after D: ${catalog.medianMultipleOfServedLimit}× 100/(D + that)`,
      target: 'reported',
    },
    {
      figure: "  the worker's CPU per page",
      value: `${catalog.workerCpu.perPageMs} ms (+ ${catalog.workerCpu.perRunMs} ms a run): with D + the serve time over ${catalog.maxInFlight} calls in flight, at most ${catalog.ceilingMultipleOfLimit}× 100/D`,
      target: 'reported',
    },
    {
      figure: '  the same sync at no latency (worker and sandbox alone)',
      value: `${catalog.atNoLatency.medianMsPerPage} ms a page: ${catalog.atNoLatency.medianMultipleOfLimit}× 100/D (${catalog.atNoLatency.medianProductsPerSecond}/s)`,
      target: 'reported',
    },
  ];
  const memory = catalog.memory;
  if (memory) {
    const small = Math.max(...(memory.peakRssBytes[String(memory.smallProducts)] ?? []));
    const large = Math.max(...(memory.peakRssBytes[String(memory.largeProducts)] ?? []));
    rows.push({
      figure: `Catalog worker peak RSS, ${memory.largeProducts} vs ${memory.smallProducts} products`,
      value: `${round(large / 2 ** 20, 1)} vs ${round(small / 2 ** 20, 1)} MiB (${memory.growthPercent >= 0 ? '+' : ''}${memory.growthPercent}%)`,
      target: '±10 %',
      met: Math.abs(memory.growthPercent) <= 10,
    });
  }
  return rows;
}

function partitionedRows(partitioned: PartitionedSyncResult | undefined): Row[] {
  if (!partitioned) return [];
  return partitioned.atLatency.flatMap((at) => [
    {
      figure: `First sync in created ranges, ${partitioned.products} products${atLatency(at.latencyMs)}`,
      value: `${at.timesSingleCursorLimit}× 100/D; ${at.timesServedLimit}× 100/(D + S) (median of ${at.runs.length})`,
      target: at.latencyMs === LATENCY_MS ? '≥ 3× and ≥ 3.2×' : 'reported',
      ...(at.latencyMs === LATENCY_MS ? { met: at.timesSingleCursorLimit >= 3 && at.timesServedLimit >= 3.2 } : {}),
    },
    {
      figure: `  calls in flight at once, products lost, duplicates${atLatency(at.latencyMs)}`,
      value: `${at.maxInFlight} in flight; ${at.lost} lost; ${at.duplicates} duplicates`,
      target: `≤ ${MAX_IN_FLIGHT}; 0 lost`,
      met: at.maxInFlight <= MAX_IN_FLIGHT && at.lost === 0 && at.runs.length > 0,
    },
    {
      figure: `  CPU of the worker and of the sandbox with the stand-ins, per second${atLatency(at.latencyMs)}`,
      value: `${at.coresBusy} cores (median)`,
      target: 'reported (2 shared cores)',
    },
  ]);
}

function dispatchRows(dispatch: DispatchScaleResult | undefined): Row[] {
  if (!dispatch) return [];
  const rows: Row[] = [];
  const atD = dispatch.runs.find((run) => run.latencyMs > 0);
  const at0 = dispatch.runs.find((run) => run.latencyMs === 0);
  const queries = (run: DispatchScaleResult['runs'][number] | undefined) =>
    Object.entries(run?.dynamodbCalls ?? {}).reduce((sum, [, count]) => sum + count, 0);
  const sqsCalls = (run: DispatchScaleResult['runs'][number] | undefined) => run?.sqsCalls.SendMessageBatch ?? 0;
  rows.push({
    figure: `Dispatch, DynamoDB calls (${dispatch.connections} connections)`,
    value: `${queries(atD)} (${Object.entries(atD?.dynamodbCalls ?? {})
      .map(([op, n]) => `${op} ${n}`)
      .join(', ')}); index ${kib(dispatch.indexBytes)}`,
    target: `${dispatch.expectedQueryPages} (1 per MB)`,
    met: queries(atD) <= dispatch.expectedQueryPages,
  });
  rows.push({
    figure: 'Dispatch, SQS calls',
    value: `${sqsCalls(atD)} (largest batch ${atD?.largestBatch ?? 0}, ${atD?.messages ?? 0} messages)`,
    target: `${dispatch.expectedSqsCalls} (1 per 10)`,
    met: sqsCalls(atD) <= dispatch.expectedSqsCalls,
  });
  rows.push({
    figure: 'Dispatch, wall time',
    value: `${at0?.ms ?? '?'} ms at 0; ${atD?.ms ?? '?'} ms at D (${atD?.sequentialRoundTrips ?? '?'} round trips)`,
    target: 'reported',
  });
  return rows;
}

function sandboxRows(sandbox: SandboxStartResult | undefined): Row[] {
  if (!sandbox) return [];
  return [
    {
      figure: `Sandbox catalog of ${sandbox.products} products, built`,
      value: `${sandbox.catalogMedianMs} ms (median of ${sandbox.repeats})`,
      target: '< 50 ms',
      met: sandbox.catalogMedianMs < 50,
    },
    {
      figure: `Sandbox PIM with ${sandbox.products} products, listening`,
      value: `${sandbox.startMedianMs} ms (median of ${sandbox.repeats})`,
      target: '< 3 s',
      met: sandbox.startMedianMs < 3000,
    },
  ];
}

function status(row: Row): string {
  if (row.met === undefined) return '–';
  return row.met ? '✓' : '✗';
}

function freshnessRows(result: EventFreshnessResult | undefined): Row[] {
  if (!result) return [];
  const target = `< ${FRESHNESS_TARGET_MS / 1000} s`;
  return [
    {
      figure: 'Event freshness: save → part written, median',
      value: `${result.medianMs} ms`,
      target,
      met: result.medianMs < FRESHNESS_TARGET_MS,
    },
    {
      figure: 'Event freshness: save → part written, p99',
      value: `${result.p99Ms} ms (max ${result.maxMs} ms)`,
      target,
      met: result.p99Ms < FRESHNESS_TARGET_MS,
    },
  ];
}

function renderTable(rows: readonly Row[]): string {
  const header = ['Figure', 'Value', 'Target', ''];
  const lines = rows.map((row) => [row.figure, row.value, row.target, status(row)]);
  const widths = header.map((_, column) => Math.max(...[header, ...lines].map((line) => line[column].length)));
  const format = (line: string[]) => `| ${line.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [format(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...lines.map(format)].join(
    '\n',
  );
}

function renderContributors(cold: ColdStartResult): string {
  return [
    'Largest contributors to each bundle (esbuild metafile, bytes in the minified output):',
    ...cold.bundles.map(
      (bundle) =>
        `  ${bundle.name}: ${bundle.contributors.map((contributor) => `${contributor.name} ${kib(contributor.bytes)}`).join(', ')}`,
    ),
  ].join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
