import type { ReconciliationCompletedDetail } from '../../contract/reconciliation-completed-event';
import type { RunCompletedDetail } from '../../contract/run-completed-event';

/**
 * Tells downstream consumers that a sync run (`contract/run-completed-event.ts`) or a reconciliation pass completed: an EventBridge bus on
 * AWS, one file per run under the data directory locally. Picked by the `RUN_EVENTS_BUS_NAME` setting
 * (`functions/wiring/adapters/run-events.ts`).
 *
 * Delivery is at least once: the same run may be published again (a retried step); consumers drop a repeat by its
 * run id.
 */
export interface RunEvents {
  /** Publishes the event, or throws if it cannot say it was delivered. */
  publishRunCompleted(detail: RunCompletedDetail): Promise<void>;
  /** The same for a completed reconciliation pass (`contract/reconciliation-completed-event.ts`). */
  publishReconciliationCompleted(detail: ReconciliationCompletedDetail): Promise<void>;
}
