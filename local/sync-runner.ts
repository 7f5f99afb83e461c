import { InMemorySyncQueue } from '../functions/adapters/sync-queue';
import type { Config } from '../functions/config';
import { sha256Hex } from '../functions/core/state';
import type { ReconcileOutcome } from '../functions/use-cases/reconcile-products';
import type { SyncOutcome } from '../functions/use-cases/sync-products';
import { createSyncDispatchAdapters, createSyncDispatchDeps } from '../functions/wiring/sync-dispatch';
import { createSyncWorkerDeps, type SyncWorkerOptions } from '../functions/wiring/sync-worker';
import { withLocalDynamoDb } from './embedded-dynamodb';
import { ensureLocalTables } from './tables';

export interface LocalSyncOptions
  extends Pick<SyncWorkerOptions, 'onPage' | 'onRetry' | 'onRunEvent' | 'now' | 'retry' | 'firstSyncSplit'> {
  /** A local-mode configuration. */
  readonly config: Config;
  /** Only this PIM (its host), instead of every active connection. */
  readonly pimHost?: string;
  /** How long each worker run may take before it checkpoints and continues (Lambda's timeout, locally). */
  readonly runTimeMs?: number;
  readonly reserveMs?: number;
  readonly onOutcome?: (pimHost: string, outcome: SyncOutcome) => void;
  /** Runs a reconciliation pass for each PIM synced, due or not (`npm run sync -- --reconcile`). */
  readonly reconcile?: boolean;
  /** UUIDs per reconciliation part (tests make it small). */
  readonly reconcilePartSize?: number;
  readonly onPass?: (pimHost: string, outcome: ReconcileOutcome) => void;
  /** Told of a run step that failed (the PIM kept failing, say), before `runLocalSync` rejects with its error. */
  readonly onFailure?: (pimHost: string, error: unknown) => void;
}

export interface LocalSyncSummary {
  readonly dispatched: number;
  readonly outcomes: ReadonlyArray<{ readonly pimHost: string; readonly outcome: SyncOutcome }>;
  /** The reconciliation passes' steps, in order. */
  readonly passes: ReadonlyArray<{ readonly pimHost: string; readonly outcome: ReconcileOutcome }>;
}

/**
 * Dispatch and worker in this process, on the local database, with an in-memory FIFO queue between them. Once the
 * syncs are done, the reconciliation passes due by then (a first sync makes the first one due), or forced.
 */
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
    const worker = createSyncWorkerDeps(config, {
      queue,
      onPage: options.onPage,
      onRetry: options.onRetry,
      onRunEvent: options.onRunEvent,
      now: options.now,
      reserveMs: options.reserveMs,
      retry: options.retry,
      reconcilePartSize: options.reconcilePartSize,
      ...(options.firstSyncSplit === undefined ? {} : { firstSyncSplit: options.firstSyncSplit }),
    });
    const outcomes: Array<{ pimHost: string; outcome: SyncOutcome }> = [];
    const passes: Array<{ pimHost: string; outcome: ReconcileOutcome }> = [];
    const drain = async () => {
      for (let message = queue.take(); message !== undefined; message = queue.take()) {
        const deadline = Date.now() + (options.runTimeMs ?? 15 * 60_000);
        const input = { ...message, force: options.reconcile, timeLeftMs: () => deadline - Date.now() };
        try {
          if (message.kind === 'reconcile') {
            const outcome = await worker.reconcileProducts(input);
            options.onPass?.(message.pimHost, outcome);
            passes.push({ pimHost: message.pimHost, outcome });
          } else {
            const outcome = await worker.syncProducts(input);
            options.onOutcome?.(message.pimHost, outcome);
            outcomes.push({ pimHost: message.pimHost, outcome });
          }
        } catch (error) {
          options.onFailure?.(message.pimHost, error);
          throw error;
        }
      }
    };
    await drain();
    const now = new Date((options.now?.() ?? Date.now() / 1000) * 1000);
    const synced = [...new Set(outcomes.map(({ pimHost }) => pimHost))];
    if (options.reconcile) {
      await queue.send(
        synced.map((pimHost) => ({ pimHost, kind: 'reconcile', deduplicationId: sha256Hex(`${pimHost}|forced`) })),
      );
    } else {
      const { reconcileDue } = createSyncDispatchAdapters(config, { queue });
      for await (const page of reconcileDue.duePages(now)) {
        await queue.send(
          page
            .filter(({ pimHost }) => options.pimHost === undefined || pimHost === options.pimHost)
            .map(({ pimHost, reconcileDueAt }) => ({
              pimHost,
              kind: 'reconcile',
              deduplicationId: sha256Hex(`${pimHost}|reconcile|${reconcileDueAt}`),
            })),
        );
      }
    }
    await drain();
    return { dispatched, outcomes, passes };
  });
}
