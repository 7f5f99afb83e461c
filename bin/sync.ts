import { Command } from 'commander';
import { loadConfig } from '../functions/config';
import { SETTINGS } from '../functions/contract/settings';
import { asAppError, reasonOf } from '../functions/core/errors';
import { normalisePimUrl } from '../functions/core/pim-url';
import { SyncReport } from '../local/sync-report';
import { runLocalSync } from '../local/sync-runner';

/** `npm run sync [-- --pim <pimUrl>]`: the scheduled sync, once, in this process, on the local data. */
async function main(report: SyncReport): Promise<void> {
  const program = new Command('sync')
    .description(
      'Pull the products changed in each connected PIM into DATA_DIR/exports (or EXPORT_BUCKET_NAME), and tell of ' +
        'each completed run in DATA_DIR/events (or on RUN_EVENTS_BUS_NAME).',
    )
    .option('--pim <pimUrl>', 'only this PIM')
    .option('--reconcile', 'run a reconciliation pass (the deleted products) for each PIM synced, due or not')
    .parse();
  const options = program.opts<{ pim?: string; reconcile?: boolean }>();
  process.env[SETTINGS.mode.env] = 'local';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // The metrics' EMF lines are for CloudWatch; this run prints its own summary (POWERTOOLS_METRICS_DISABLED=false shows them).
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  const config = loadConfig(process.env);
  const pimHost = options.pim ? normalisePimUrl(options.pim, { local: true }).host : undefined;

  const summary = await runLocalSync({
    config,
    pimHost,
    reconcile: options.reconcile === true,
    onPass: (host, outcome) => report.pass(host, outcome),
    onPage: (event) => report.page(event),
    onRetry: (event) => report.retry(event),
    onRunEvent: (detail) => report.runEvent(detail),
    onOutcome: (host, outcome) => report.outcome(host, outcome),
    onFailure: (host, error) => report.failure(host, error),
  });
  report.summary(summary);
}

const report = new SyncReport((line) => process.stdout.write(`${line}\n`));
main(report).catch((error: unknown) => {
  // A PIM's failure was reported with what happens next; anything else (a bad setting, say) is said here.
  if (!report.reportedFailure) {
    process.stderr.write(`Sync failed: ${reasonOf(asAppError(error))}\n`);
  }
  process.exit(1);
});
