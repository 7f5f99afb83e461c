import type { Logger } from '@aws-lambda-powertools/logger';
import type { ScheduledEvent } from 'aws-lambda';
import { loadConfig } from './config';
import { createLogger } from './observability/logger';
import type { DispatchSummary, DispatchSyncs } from './use-cases/dispatch-syncs';
import { createDispatch } from './wiring/dispatch-deps';

export interface DispatchHandlerDeps {
  readonly dispatch: DispatchSyncs;
  readonly logger: Logger;
}

export type DispatchHandler = (event: Pick<ScheduledEvent, 'time'>) => Promise<DispatchSummary>;

/** Scheduled: one sync message per active connection. The event's time fixes the slot, so a retry sends nothing new. */
export const makeDispatchHandler =
  (deps: DispatchHandlerDeps): DispatchHandler =>
  async (event) => {
    const scheduledAt = event.time ? new Date(event.time) : new Date();
    const summary = await deps.dispatch({ now: Number.isNaN(scheduledAt.getTime()) ? new Date() : scheduledAt });
    deps.logger.info('Sync dispatched', { ...summary });
    return summary;
  };

let dispatch: DispatchHandler | undefined;

export const handler: DispatchHandler = (event) => {
  dispatch ??= makeDispatchHandler({ dispatch: createDispatch(loadConfig(process.env)), logger: createLogger() });
  return dispatch(event);
};
