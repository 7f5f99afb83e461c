import type { ScheduledEvent } from 'aws-lambda';
import { loadConfig } from './config';
import { flushingMetrics, METRIC_NAMES } from './observability/metrics';
import type { DispatchSummary } from './use-cases/dispatch-syncs';
import { lazyHandler } from './wiring/lazy-handler';
import { createSyncDispatchDeps, type SyncDispatchHandlerDeps } from './wiring/sync-dispatch';

export type SyncDispatchHandler = (event: Pick<ScheduledEvent, 'time'>) => Promise<DispatchSummary>;

/** Scheduled: one sync message per active connection. The event's time fixes the slot, so a retry sends nothing new. */
export const makeSyncDispatchHandler =
  (deps: SyncDispatchHandlerDeps): SyncDispatchHandler =>
  (event) =>
    flushingMetrics(deps.metrics, async () => {
      const scheduledAt = event.time ? new Date(event.time) : new Date();
      const summary = await deps.dispatch({ now: Number.isNaN(scheduledAt.getTime()) ? new Date() : scheduledAt });
      deps.logger.info('Sync dispatched', { ...summary });
      deps.metrics?.count(METRIC_NAMES.dispatchedConnections, summary.connections);
      if (summary.stale !== undefined) deps.metrics?.count(METRIC_NAMES.staleConnections, summary.stale);
      return summary;
    });

export const handler: SyncDispatchHandler = lazyHandler(() =>
  makeSyncDispatchHandler(createSyncDispatchDeps(loadConfig(process.env))),
);
