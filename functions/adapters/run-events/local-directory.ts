import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pimHostKey } from '../../contract/names';
import {
  type ReconciliationCompletedDetail,
  reconciliationCompletedEvent,
} from '../../contract/reconciliation-completed-event';
import { type RunCompletedDetail, runCompletedEvent } from '../../contract/run-completed-event';
import type { RunEvents } from './interface';

/**
 * Local runs: each event in a file of its own, `<pim host key>/<run id>.json` under the directory (`DATA_DIR/events/`),
 * as a rule's target would receive it, so a consumer's handler can be tried on it. Publishing a run again replaces its
 * file.
 */
export class LocalDirectoryRunEvents implements RunEvents {
  constructor(readonly directory: string) {}

  publishRunCompleted(detail: RunCompletedDetail): Promise<void> {
    return this.write(detail, runCompletedEvent(detail));
  }

  /** A pass's run id is of the same kind as a sync run's: one file per run id either way. */
  publishReconciliationCompleted(detail: ReconciliationCompletedDetail): Promise<void> {
    return this.write(detail, reconciliationCompletedEvent(detail));
  }

  private async write(detail: { readonly pimHost: string; readonly runId: string }, event: object): Promise<void> {
    const directory = join(this.directory, pimHostKey(detail.pimHost));
    await mkdir(directory, { recursive: true });
    const path = join(directory, `${detail.runId}.json`);
    // Written aside, then renamed: a reader never sees half an event.
    await writeFile(`${path}.tmp`, `${JSON.stringify(event, null, 2)}\n`);
    await rename(`${path}.tmp`, path);
  }
}
