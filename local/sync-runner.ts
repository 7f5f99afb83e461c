import { InMemorySyncQueue } from '../functions/adapters/sync-queue';
import type { Config } from '../functions/config';
import { sha256Hex } from '../functions/core/state';
import type { SyncOutcome } from '../functions/use-cases/sync-products';
import { createSyncDispatchDeps } from '../functions/wiring/sync-dispatch';
import { createSyncWorkerDeps, type SyncWorkerOptions } from '../functions/wiring/sync-worker';
import { withLocalDynamoDb } from './embedded-dynamodb';
import { ensureLocalTables } from './tables';

export interface LocalSyncOptions
  extends Pick<SyncWorkerOptions, 'onPage' | 'onRetry' | 'onRunEvent' | 'now' | 'retry'> {
  /** A local-mode configuration. */
  readonly config: Config;
  /** Only this PIM (its host), instead of every active connection. */
  readonly pimHost?: string;
  /** How long each worker run may take before it checkpoints and continues (Lambda's timeout, locally). */
  readonly runTimeMs?: number;
  readonly reserveMs?: number;
  readonly onOutcome?: (pimHost: string, outcome: SyncOutcome) => void;
  /** Told of a run step that failed (the PIM kept failing, say), before `runLocalSync` rejects with its error. */
  readonly onFailure?: (pimHost: string, error: unknown) => void;
}

export interface LocalSyncSummary {
  readonly dispatched: number;
  readonly outcomes: ReadonlyArray<{ readonly pimHost: string; readonly outcome: SyncOutcome }>;
}

/** Dispatch and worker in this process, on the local database, with an in-memory FIFO queue between them. */
export async function runLocalSync(options: LocalSyncOptions): Promise<LocalSyncSummary> {
  const { dataDir, dynamodbEndpoint } = options.config;
  return withLocalDynamoDb(dataDir, dynamodbEndpoint, 'npm run sync', async (database) => {
    const config: Config = {
      ...options.config,
      dynamodbEndpoint: database.endpoint,
      dynamodbAccessKeyId: database.accessKeyId,
    };
    await ensureLocalTables(config);
    const queue = new InMemorySyncQueue();
    let dispatched: number;
    if (options.pimHost) {
      dispatched = 1;
      await queue.send([
        { pimHost: options.pimHost, kind: 'scheduled', deduplicationId: sha256Hex(`${options.pimHost}|manual`) },
      ]);
    } else {
      dispatched = (await createSyncDispatchDeps(config, { queue }).dispatch({ now: new Date() })).connections;
    }
    const sync = createSyncWorkerDeps(config, {
      queue,
      onPage: options.onPage,
      onRetry: options.onRetry,
      onRunEvent: options.onRunEvent,
      now: options.now,
      reserveMs: options.reserveMs,
      retry: options.retry,
    }).syncProducts;
    const outcomes: Array<{ pimHost: string; outcome: SyncOutcome }> = [];
    for (let message = queue.take(); message !== undefined; message = queue.take()) {
      const deadline = Date.now() + (options.runTimeMs ?? 15 * 60_000);
      let outcome: SyncOutcome;
      try {
        outcome = await sync({ ...message, timeLeftMs: () => deadline - Date.now() });
      } catch (error) {
        options.onFailure?.(message.pimHost, error);
        throw error;
      }
      options.onOutcome?.(message.pimHost, outcome);
      outcomes.push({ pimHost: message.pimHost, outcome });
    }
    return { dispatched, outcomes };
  });
}
