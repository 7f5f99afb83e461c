import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { buildChild, type FunctionBundle } from './support/build';
import { invokeInChild } from './support/invoke';
import { sqsEvent } from './support/lambda-events';
import { round } from './support/stats';
import { type BenchPim, NAMES, type World } from './support/world';

export interface ReconcileMemoryResult {
  readonly sizes: readonly number[];
  /** Catalog size → the worker process's peak RSS (bytes) during a pass that compares with a previous snapshot. */
  readonly peakRssBytes: Record<string, readonly number[]>;
  /** max(largest) / max(smallest) − 1, as a percentage. */
  readonly growthPercent: number;
  readonly failures: readonly string[];
}

/**
 * Issue 15, item 3. The synth SyncWorker bundle in a fresh process runs a reconciliation pass (the products source:
 * every product listed, 100 a page, against the previous snapshot read back from S3) for each catalog size; its peak
 * RSS must not grow with the catalog. Each size: a first pass makes the snapshot, then two products are deleted and
 * the measured pass finds them, `repeats` times.
 */
export async function measureReconcileMemory(
  world: World,
  worker: FunctionBundle,
  options: { readonly sizes: readonly number[]; readonly repeats: number; readonly log: (line: string) => void },
): Promise<ReconcileMemoryResult> {
  const script = await buildChild('invoke-child');
  const env = world.lambdaEnv(worker.environment);
  const failures: string[] = [];
  world.setDelay(0);
  const peakRssBytes: Record<string, number[]> = {};

  const pass = async (pim: BenchPim) => {
    await makeDue(world, pim);
    const report = await invokeInChild(script, env, worker.bundlePath, sqsEvent(pim.host, 'reconcile'));
    const batchFailures = (report.result as { batchItemFailures?: unknown[] } | undefined)?.batchItemFailures ?? [];
    if (!report.ok || batchFailures.length > 0) {
      failures.push(`reconcile ${pim.sandbox.productCount}: ${report.detail || JSON.stringify(report.result)}`);
    }
    return report;
  };

  for (const size of options.sizes) {
    peakRssBytes[String(size)] = [];
    const pim = await world.startPim({ productCount: size });
    try {
      await world.connect(pim);
      await pass(pim);
      for (let repeat = 0; repeat < options.repeats; repeat += 1) {
        pim.sandbox.deleteProducts(2);
        const report = await pass(pim);
        peakRssBytes[String(size)]?.push(report.maxRssBytes);
        options.log(
          `  reconcile memory: ${size} products, ${round(report.handlerMs / 1000, 1)} s, ` +
            `peak RSS ${round(report.maxRssBytes / 2 ** 20, 1)} MiB`,
        );
      }
    } finally {
      await pim.close();
    }
  }
  const smallest = Math.max(...(peakRssBytes[String(options.sizes[0])] ?? []));
  const largest = Math.max(...(peakRssBytes[String(options.sizes.at(-1))] ?? []));
  return {
    sizes: options.sizes,
    peakRssBytes,
    growthPercent: round((largest / smallest - 1) * 100, 1),
    failures,
  };
}

/** Makes the PIM's next reconciliation pass due now (a pass is due once per period). */
async function makeDue(world: World, pim: BenchPim): Promise<void> {
  await world.documents.send(
    new UpdateCommand({
      TableName: NAMES.connectionsTable,
      Key: { pimHost: pim.host },
      UpdateExpression: 'SET reconcileDueAt = :past',
      ExpressionAttributeValues: { ':past': new Date(Date.now() - 1_000).toISOString() },
    }),
  );
}
