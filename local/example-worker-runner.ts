import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../functions/config';
import { pimHostKey } from '../functions/contract/names';
import type { RunCompletedEvent } from '../functions/contract/run-completed-event';
import { makeNameWithSkuHandler } from '../functions/name-with-sku';
import type { PimWorkOutcome, ProductWriteResult } from '../functions/pim-access';
import type { NamingReport } from '../functions/use-cases/name-products-with-sku';
import { createNameWithSkuDeps } from '../functions/wiring/name-with-sku';
import type { PimAccessOptions } from '../functions/wiring/pim-access';
import { withLocalDynamoDb } from './embedded-dynamodb';
import { ensureLocalTables } from './tables';

export interface LocalExampleWorkerOptions extends Pick<PimAccessOptions, 'retry'> {
  /** A local-mode configuration. */
  readonly config: Config;
  /** Only this PIM's latest run (its host); else the latest run of any PIM. */
  readonly pimHost?: string;
  readonly onResults?: (results: readonly ProductWriteResult[]) => void;
}

export interface LocalExampleWorkerRun {
  /** Where the event came from. */
  readonly eventPath: string;
  readonly event: RunCompletedEvent;
  readonly outcome: PimWorkOutcome<NamingReport>;
}

/**
 * The example worker, once, in this process, on the local data: given the latest run event the local sync wrote
 * under `DATA_DIR/events/`, as the Lambda would receive it from the run events bus.
 */
export async function runLocalExampleWorker(options: LocalExampleWorkerOptions): Promise<LocalExampleWorkerRun> {
  const eventPath = await latestRunEvent(join(options.config.dataDir, 'events'), options.pimHost);
  const event = JSON.parse(await readFile(eventPath, 'utf8')) as RunCompletedEvent;
  const { dataDir, dynamodbEndpoint } = options.config;
  return withLocalDynamoDb(dataDir, dynamodbEndpoint, 'npm run example-worker', async (database) => {
    const config: Config = {
      ...options.config,
      dynamodbEndpoint: database.endpoint,
      dynamodbAccessKeyId: database.accessKeyId,
    };
    await ensureLocalTables(config);
    const deps = createNameWithSkuDeps(config, {
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.onResults ? { onResults: options.onResults } : {}),
    });
    return { eventPath, event, outcome: await makeNameWithSkuHandler(deps)(event) };
  });
}

/**
 * The newest `<run id>.json` of one PIM's folder, or of all of them: the last written. Run ids sort by the second
 * their run started, then by a random suffix, so two runs of the same second are told apart by when each event was
 * written.
 */
async function latestRunEvent(directory: string, pimHost: string | undefined): Promise<string> {
  const folders = pimHost === undefined ? await entries(directory) : [pimHostKey(pimHost)];
  const events = (
    await Promise.all(
      folders.map(async (folder) =>
        (
          await entries(join(directory, folder))
        )
          .filter((name) => name.endsWith('.json'))
          .map((name) => join(directory, folder, name)),
      ),
    )
  ).flat();
  const written = await Promise.all(events.map(async (path) => ({ path, at: (await stat(path)).mtimeMs })));
  const latest = written.sort((a, b) => a.at - b.at || a.path.localeCompare(b.path)).at(-1);
  if (latest === undefined) {
    const which = pimHost === undefined ? 'any PIM' : pimHost;
    throw new Error(`No completed sync run of ${which} under ${directory}: run npm run sync first`);
  }
  return latest.path;
}

async function entries(directory: string): Promise<string[]> {
  try {
    return await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
