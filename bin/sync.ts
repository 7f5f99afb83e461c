import { Command } from 'commander';
import { loadConfig } from '../functions/config';
import { normalisePimUrl } from '../functions/core/pim-url';
import { runLocalSync } from '../functions/local/sync-runner';
import type { SyncOutcome } from '../functions/use-cases/sync-products';

/** `npm run sync [-- --pim <pimUrl>]`: the scheduled sync, once, in this process, on the local data. */
async function main(): Promise<void> {
  const program = new Command('sync')
    .description('Pull the products changed in each connected PIM into DATA_DIR/exports (or EXPORT_BUCKET_NAME).')
    .option('--pim <pimUrl>', 'only this PIM')
    .parse();
  const options = program.opts<{ pim?: string }>();
  process.env.APP_MODE = 'local';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const config = loadConfig(process.env);
  const pimHost = options.pim ? normalisePimUrl(options.pim, { local: true }).host : undefined;

  const started = new Map<string, { at: number; products: number; pages: number }>();
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const summary = await runLocalSync({
    config,
    pimHost,
    onPage: ({ pimHost: host, products }) => {
      const progress = started.get(host) ?? { at: Date.now(), products: 0, pages: 0 };
      progress.products += products;
      progress.pages += 1;
      started.set(host, progress);
      if (progress.pages % 10 === 1)
        print(`  ${host}: ${progress.products} products, ${progress.pages} pages, ${rate(progress)}`);
    },
    onRetry: ({ status, delayMs }) => print(`  the PIM answered ${status}: waiting ${Math.round(delayMs)} ms`),
    onOutcome: (host, outcome) => print(`${host}: ${describe(outcome, started.get(host))}`),
  });
  print(`Dispatched ${summary.dispatched} connection(s); ${summary.outcomes.length} run(s).`);
}

function rate(progress: { at: number; products: number }): string {
  const seconds = Math.max((Date.now() - progress.at) / 1000, 0.001);
  return `${Math.round(progress.products / seconds)} products/s`;
}

function describe(outcome: SyncOutcome, progress?: { at: number; products: number }): string {
  switch (outcome.kind) {
    case 'completed':
      return `run ${outcome.runId} complete: ${outcome.productCount} products in ${outcome.parts} parts${progress ? `, ${rate(progress)}` : ''}`;
    case 'continued':
      return `run ${outcome.runId} checkpointed after ${outcome.productCount} products; continuing`;
    case 'revoked':
      return `the PIM refused the token (${outcome.reason}): marked revoked until it reconnects`;
    case 'scope_missing':
      return `the PIM refused for lack of a scope (${outcome.reason}): marked scope_missing until it reconnects`;
    case 'pim_url_mismatch':
      return `refused, nothing was sent (${outcome.reason}): marked pim_url_mismatch until it reconnects`;
    case 'skipped':
      return `skipped: ${outcome.reason}`;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Sync failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
