import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pimHostKey } from '../../contract/names';
import { type RunCompletedDetail, runCompletedEvent } from '../../contract/run-completed-event';
import type { RunEvents } from './interface';

/**
 * Local runs: each event in a file of its own, `<pim host key>/<run id>.json` under the directory (`DATA_DIR/events/`),
 * as a rule's target would receive it, so a consumer's handler can be tried on it. Publishing a run again replaces its
 * file.
 */
export class LocalDirectoryRunEvents implements RunEvents {
  constructor(readonly directory: string) {}

  async publishRunCompleted(detail: RunCompletedDetail): Promise<void> {
    const directory = join(this.directory, pimHostKey(detail.pimHost));
    await mkdir(directory, { recursive: true });
    const path = join(directory, `${detail.runId}.json`);
    // Written aside, then renamed: a reader never sees half an event.
    await writeFile(`${path}.tmp`, `${JSON.stringify(runCompletedEvent(detail), null, 2)}\n`);
    await rename(`${path}.tmp`, path);
  }
}
