import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYNC_WORKER_NODE_OPTIONS } from '../functions/core/page-budget';
import type { ReconcileOutcome } from '../functions/use-cases/reconcile-products';
import { buildChild, OUT_DIR } from './support/build';
import { round } from './support/stats';
import type { BenchPim, World } from './support/world';

export interface ReconcileMemoryResult {
  readonly sizes: readonly number[];
  /** Catalog size → the pass process's peak RSS (bytes), for passes that compare with a previous snapshot. */
  readonly peakRssBytes: Record<string, readonly number[]>;
  /** Catalog size → the pass's time (ms): reported only. */
  readonly passMs: Record<string, readonly number[]>;
  /** max(largest) / max(smallest) − 1, as a percentage. */
  readonly growthPercent: number;
  readonly failures: readonly string[];
}

interface PassReport {
  readonly outcome: ReconcileOutcome;
  readonly ms: number;
  readonly maxRssBytes: number;
}

/**
 * Issue 15, item 3. A reconciliation pass (the products source: every product listed, 100 a page, against the
 * previous snapshot read back one part at a time) in a fresh process per pass, for each catalog size; its peak RSS
 * must not grow with the catalog. The use case and the PIM client are the app's own, over HTTP to the sandbox; the
 * sink and the snapshots are the local directory ones, and the connection record a JSON file: the deployed worker
 * cannot be used here, as its AWS mode refuses the bench sandbox's IP-literal, plain-http URL; the process gets the
 * worker's heap bounds. Each size: a first
 * pass makes the snapshot, then two products are deleted and the measured pass must find exactly those, `repeats`
 * times.
 */
export async function measureReconcileMemory(
  world: World,
  options: { readonly sizes: readonly number[]; readonly repeats: number; readonly log: (line: string) => void },
): Promise<ReconcileMemoryResult> {
  const script = await buildChild('reconcile-child');
  const failures: string[] = [];
  world.setDelay(0);
  const peakRssBytes: Record<string, number[]> = {};
  const passMs: Record<string, number[]> = {};

  for (const size of options.sizes) {
    peakRssBytes[String(size)] = [];
    passMs[String(size)] = [];
    const pim = await world.startPim({ productCount: size });
    const directory = mkdtempSync(join(mkdirAndReturn(join(OUT_DIR, 'reconcile')), `${size}-`));
    try {
      await world.connect(pim);
      const state = join(directory, 'connection.json');
      writeFileSync(state, JSON.stringify({ pimHost: pim.host, pimUrl: pim.url, status: 'active' }));
      const first = await pass(script, pim, directory, state);
      if (first.outcome.kind !== 'completed' || first.outcome.listed !== size) {
        failures.push(`reconcile ${size}: the first pass ${JSON.stringify(first.outcome)}`);
      }
      for (let repeat = 0; repeat < options.repeats; repeat += 1) {
        const gone = pim.sandbox.deleteProducts(2);
        const report = await pass(script, pim, directory, state);
        if (report.outcome.kind !== 'completed' || report.outcome.deleted !== gone.length) {
          failures.push(`reconcile ${size}: expected ${gone.length} deleted, ${JSON.stringify(report.outcome)}`);
        }
        peakRssBytes[String(size)]?.push(report.maxRssBytes);
        passMs[String(size)]?.push(round(report.ms, 0));
        options.log(
          `  reconcile memory: ${size} products, ${round(report.ms / 1000, 1)} s, ` +
            `peak RSS ${round(report.maxRssBytes / 2 ** 20, 1)} MiB`,
        );
      }
    } finally {
      await pim.close();
      rmSync(directory, { recursive: true, force: true });
    }
  }
  const smallest = Math.max(...(peakRssBytes[String(options.sizes[0])] ?? []));
  const largest = Math.max(...(peakRssBytes[String(options.sizes.at(-1))] ?? []));
  return {
    sizes: options.sizes,
    peakRssBytes,
    passMs,
    growthPercent: round((largest / smallest - 1) * 100, 1),
    failures,
  };
}

function mkdirAndReturn(directory: string): string {
  mkdirSync(directory, { recursive: true });
  return directory;
}

async function pass(script: string, pim: BenchPim, directory: string, state: string): Promise<PassReport> {
  const token = pim.sandbox.connectedApp(pim.app.clientId)?.accessToken ?? '';
  const resultFile = join(directory, 'result.json');
  await new Promise<void>((resolve, reject) => {
    // The deployed worker's heap bounds (lib/constructs/sync-jobs.ts): without them V8 lets its heap grow over a long run.
    const child = spawn(
      process.execPath,
      [...SYNC_WORKER_NODE_OPTIONS, script, pim.url, token, directory, state, resultFile],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`The pass exited with ${code}`))));
  });
  return JSON.parse(readFileSync(resultFile, 'utf8')) as PassReport;
}
