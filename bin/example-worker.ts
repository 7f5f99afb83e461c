import { Command } from 'commander';
import { loadConfig } from '../functions/config';
import { SETTINGS } from '../functions/contract/settings';
import { asAppError, reasonOf } from '../functions/core/errors';
import { normalisePimUrl } from '../functions/core/pim-url';
import { ExampleWorkerReport } from '../local/example-worker-report';
import { runLocalExampleWorker } from '../local/example-worker-runner';

/** `npm run example-worker [-- --pim <pimUrl>]`: the example worker, once, on the latest local sync run's event. */
async function main(): Promise<void> {
  const program = new Command('example-worker')
    .description(
      "Run the example worker (functions/name-with-sku.ts) on the latest run event of npm run sync (DATA_DIR/events): each product's SKU at the end of its English name.",
    )
    .option('--pim <pimUrl>', "only this PIM's latest run")
    .parse();
  const options = program.opts<{ pim?: string }>();
  process.env[SETTINGS.mode.env] = 'local';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // The report prints every line's result; the worker's own log lines would say the same again.
  process.env[SETTINGS.logLevel.env] ??= 'ERROR';
  const config = loadConfig(process.env);
  const pimHost = options.pim ? normalisePimUrl(options.pim, { local: true }).host : undefined;
  const report = new ExampleWorkerReport((line) => process.stdout.write(`${line}\n`));

  const run = await runLocalExampleWorker({ config, pimHost, onResults: (results) => report.results(results) });
  report.run(run);
  if (run.outcome.status !== 'done') process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`Example worker failed: ${reasonOf(asAppError(error))}\n`);
  process.exit(1);
});
