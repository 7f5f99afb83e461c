import type { SyncStateStore } from '../adapters/connection-store';
import type { RunEvents } from '../adapters/run-events';
import type { RunCompletedDetail } from '../contract/run-completed-event';
import { RunEventPendingError } from '../core/sync-errors';

export interface PublishRunEventDeps {
  readonly store: Pick<SyncStateStore, 'clearRunEvent'>;
  readonly runEvents: RunEvents;
}

/**
 * Publishes a complete run's event, which waits on the connection (`pendingRunEvent`, written with the cursor), then
 * forgets it. At least once: a step that stops between the two publishes it again on the next message, with the same
 * run id. Any failure leaves the event waiting and ends the step with `RunEventPendingError`.
 */
export async function publishRunEvent(
  deps: PublishRunEventDeps,
  pimHost: string,
  event: RunCompletedDetail,
): Promise<void> {
  try {
    await deps.runEvents.publishRunCompleted(event);
    await deps.store.clearRunEvent(pimHost, event.runId);
  } catch (error) {
    throw new RunEventPendingError(pimHost, event.runId, { cause: error });
  }
}
