import { withoutControlCharacters } from '../functions/core/plain-text';
import type { ProductWriteResult } from '../functions/pim-access';
import type { LocalExampleWorkerRun } from './example-worker-runner';

/**
 * What `npm run example-worker` prints: one line per product line written (its place, uuid, outcome, the PIM's
 * status and, for a refused line, the PIM's words), then what the run did. The PIM's words go to the terminal without
 * control characters.
 */
export class ExampleWorkerReport {
  constructor(private readonly print: (line: string) => void) {}

  results(results: readonly ProductWriteResult[]): void {
    for (const result of results) {
      const status = result.statusCode === undefined ? '' : ` ${result.statusCode}`;
      const why = [result.message, ...(result.errors ?? []).map((error) => error.message)].filter(Boolean).join(' ');
      this.print(
        `  ${result.uuid ?? `line ${result.line}`} ${result.outcome}${status}${why ? `: ${withoutControlCharacters(why)}` : ''}`,
      );
    }
  }

  run({ eventPath, event, outcome }: LocalExampleWorkerRun): void {
    const { pimHost, runId } = event.detail;
    if (outcome.status !== 'done') {
      this.print(`${pimHost}: ${outcome.status}, nothing written: ${withoutControlCharacters(outcome.reason)}`);
      return;
    }
    const report = outcome.value;
    if (report.writeScopeMissing) {
      this.print(
        `${pimHost}: the PIM did not grant write_products, nothing written. Add it to APP_SCOPES, then connect the ` +
          'app again from the PIM.',
      );
      return;
    }
    this.print(
      `${pimHost}, run ${runId} (${eventPath}): ${report.read} products read, ${report.sent} lines sent: ` +
        `${report.updated} updated, ${report.created} created, ${report.refused} refused, ${report.unknown} unknown`,
    );
  }
}
