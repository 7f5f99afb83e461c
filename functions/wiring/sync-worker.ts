import type { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDbCatalogStore, DynamoDbSyncStateStore } from '../adapters/connection-store';
import type { RunEvents } from '../adapters/run-events';
import type { SyncQueue } from '../adapters/sync-queue';
import { type Config, requireSetting } from '../config';
import type { RunCompletedDetail } from '../contract/run-completed-event';
import type { RetryPolicy } from '../core/backoff';
import { PIM_CALL_TIMEOUT_MS } from '../core/fair-use';
import { createLogger } from '../observability/logger';
import { type AppMetrics, createMetrics, METRIC_NAMES } from '../observability/metrics';
import type { PimRetryEvent } from '../pim-access';
import { notifyingMissingScopes, notifyMissingScopes } from '../use-cases/notify-missing-scopes';
import { DEFAULT_FIRST_SYNC_SPLIT, type FirstSyncSplit } from '../use-cases/plan-first-sync';
import { type ReconcileProducts, reconcileProducts } from '../use-cases/reconcile-products';
import { recordingSyncFailures } from '../use-cases/record-sync-failures';
import {
  type CatalogSourceDeps,
  type SyncProducts,
  type SyncProductsDeps,
  syncProducts,
} from '../use-cases/sync-products';
import { createCallSlots } from './adapters/call-slots';
import { createDocumentClient } from './adapters/dynamodb';
import { createProductSink } from './adapters/product-sink';
import { createRunEvents } from './adapters/run-events';
import { createSyncQueue } from './adapters/sync-queue';
import { createTokenCipher } from './adapters/token-cipher';
import { createUuidSnapshots } from './adapters/uuid-snapshots';
import { type AwsClients, awsClients } from './aws-clients';
import { pimAccessOver } from './pim-access';
import { type RuntimeOptions, systemRandomBytes } from './runtime-options';

/** Time the worker keeps for the last write, the checkpoint and the continuation once it must stop. */
export const WORKER_RESERVE_MS = 45_000;

/** Everything the sync worker handler uses. */
export interface SyncWorkerHandlerDeps {
  readonly syncProducts: SyncProducts;
  /** `reconcile` messages: a reconciliation pass, or its continuation. */
  readonly reconcileProducts: ReconcileProducts;
  readonly logger: Logger;
  /** Runs, products, pages, 429s and retries, run durations, failures by code. */
  readonly metrics?: AppMetrics;
}

/** A wait before a retry, with the PIM it is for. */
export type SyncRetryEvent = PimRetryEvent;

export interface SyncWorkerOptions extends RuntimeOptions {
  /** Where continuations go instead of SQS: the local run's in-memory queue. */
  readonly queue?: SyncQueue;
  readonly reserveMs?: number;
  readonly onPage?: SyncProductsDeps['onPage'];
  /** Told of each run-completed event once it is published. */
  readonly onRunEvent?: (detail: RunCompletedDetail) => void;
  /** Told of each wait before a retry, with the PIM it is for. */
  readonly onRetry?: (event: SyncRetryEvent) => void;
  /** UUIDs per reconciliation snapshot part and deleted part; tests make it small to cross parts. */
  readonly reconcilePartSize?: number;
  /** Tests shorten the backoff; the defaults follow Akeneo's advice. */
  readonly retry?: RetryPolicy;
  /** How a first sync is split into date ranges (`false`: one cursor). @default DEFAULT_FIRST_SYNC_SPLIT */
  readonly firstSyncSplit?: FirstSyncSplit | false;
}

/**
 * The worker reads and updates connections, decrypts tokens (and sends them only where the sealed host says), takes
 * the PIM's call slots, writes to the sink, queues continuations, and publishes an event for each completed run.
 */
export function createSyncWorkerAdapters(
  config: Config,
  options: Pick<SyncWorkerOptions, 'queue'> = {},
  aws: AwsClients = awsClients('sync-worker'),
) {
  return {
    store: new DynamoDbSyncStateStore({
      client: createDocumentClient(config, aws),
      tableName: requireSetting(config, 'connectionsTableName'),
    }),
    cipher: createTokenCipher(config, aws),
    callSlots: createCallSlots(config, aws),
    sink: createProductSink(config, aws),
    snapshots: createUuidSnapshots(config, aws),
    queue: options.queue ?? createSyncQueue(config, aws),
    runEvents: createRunEvents(config, aws),
  };
}

/** Everything the worker uses, chosen from the configuration once per cold start. */
export function createSyncWorkerDeps(config: Config, options: SyncWorkerOptions = {}): SyncWorkerHandlerDeps {
  const aws = awsClients('sync-worker');
  const { store, cipher, sink, snapshots, queue, runEvents, callSlots } = createSyncWorkerAdapters(
    config,
    options,
    aws,
  );
  const now = () => new Date((options.now?.() ?? Date.now() / 1000) * 1000);
  const logger = createLogger(config);
  const metrics = createMetrics(config);
  const pims = pimAccessOver(
    config,
    { store, cipher },
    { now, callSlots, retry: options.retry, onRetry: countingRetries(metrics, options.onRetry) },
  );
  const reserveMs = options.reserveMs ?? WORKER_RESERVE_MS;
  const randomBytes = options.randomBytes ?? systemRandomBytes;
  const sync = syncProducts({
    pims,
    store,
    sink,
    queue,
    runEvents: telling(runEvents, countingRuns(metrics, options.onRunEvent)),
    overlapSeconds: config.syncOverlapSeconds,
    reserveMs,
    now,
    randomBytes,
    onPage: (page) => {
      metrics.count(METRIC_NAMES.syncPages);
      metrics.count(METRIC_NAMES.syncProducts, page.products);
      options.onPage?.(page);
    },
    ...(config.productSource === 'catalog' ? { catalog: catalogSource(config, aws, logger) } : {}),
    ...(options.firstSyncSplit === false ? {} : { firstSyncSplit: options.firstSyncSplit ?? DEFAULT_FIRST_SYNC_SPLIT }),
  });
  const notify = notifyMissingScopes({ pims, store, requestedScopes: config.scopes, now });
  const notifying = notifyingMissingScopes(sync, notify, (pimHost, outcome) => {
    if (outcome.kind === 'sent') logger.info('Missing scopes notified to the PIM', { pimHost, ...outcome });
    if (outcome.kind === 'failed' || outcome.kind === 'not_callable') {
      logger.warn('Missing scopes not notified; tried again at the next sync', { pimHost, ...outcome });
    }
  });
  return {
    syncProducts: recordingSyncFailures(notifying, {
      store,
      now,
      onRecordFailed: (pimHost, error) =>
        logger.warn('Sync failure not recorded on the connection', { pimHost, reason: String(error) }),
    }),
    reconcileProducts: reconcileProducts({
      pims,
      store,
      sink,
      snapshots,
      queue,
      runEvents,
      productSource: config.productSource,
      periodHours: config.reconcileHours,
      reserveMs,
      now,
      randomBytes,
      partSize: options.reconcilePartSize,
    }),
    logger,
    metrics,
  };
}

/** The catalog source: the worker reads, finds, creates and marks the app's catalog on the connection's item. */
function catalogSource(config: Config, aws: AwsClients, logger: Logger): CatalogSourceDeps {
  return {
    name: config.catalogName,
    store: new DynamoDbCatalogStore({
      client: createDocumentClient(config, aws),
      tableName: requireSetting(config, 'connectionsTableName'),
    }),
    callTimeoutMs: PIM_CALL_TIMEOUT_MS,
    // The worker has minutes, not a waiting page: room for a few calls (the list's pages, a POST) at their longest.
    setupTimeoutMs: 4 * PIM_CALL_TIMEOUT_MS,
    onRecreated: (event) =>
      logger.warn("The app's catalog was deleted in the PIM: re-created, disabled until a PIM user enables it", {
        ...event,
      }),
  };
}

function countingRetries(metrics: AppMetrics, onRetry: SyncWorkerOptions['onRetry']): SyncWorkerOptions['onRetry'] {
  return (event) => {
    metrics.count(event.status === 429 ? METRIC_NAMES.syncRateLimited : METRIC_NAMES.syncRetries);
    onRetry?.(event);
  };
}

/** A published run's duration, from its event (a run's continuations are in other invocations). */
function countingRuns(
  metrics: AppMetrics,
  onRunEvent: SyncWorkerOptions['onRunEvent'],
): SyncWorkerOptions['onRunEvent'] {
  return (detail) => {
    const durationMs = Date.parse(detail.completedAt) - Date.parse(detail.startedAt);
    if (Number.isFinite(durationMs)) metrics.milliseconds(METRIC_NAMES.syncRunDuration, Math.max(0, durationMs));
    const lagMs =
      detail.window.from === undefined ? Number.NaN : Date.parse(detail.completedAt) - Date.parse(detail.window.from);
    if (Number.isFinite(lagMs)) metrics.seconds(METRIC_NAMES.syncLag, Math.max(0, Math.round(lagMs / 1000)));
    onRunEvent?.(detail);
  };
}

/** The events, and whoever wants to hear of each once it is published (`npm run sync` prints it). */
function telling(runEvents: RunEvents, onRunEvent: SyncWorkerOptions['onRunEvent']): RunEvents {
  if (onRunEvent === undefined) return runEvents;
  return {
    publishRunCompleted: async (detail) => {
      await runEvents.publishRunCompleted(detail);
      onRunEvent(detail);
    },
    publishReconciliationCompleted: (detail) => runEvents.publishReconciliationCompleted(detail),
  };
}
