import type { RunCompletedDetail } from '../../contract/run-completed-event';

/**
 * Tells downstream consumers that a sync run completed (`contract/run-completed-event.ts`): an EventBridge bus on
 * AWS, one file per run under the data directory locally. Picked by the `RUN_EVENTS_BUS_NAME` setting
 * (`functions/wiring/adapters/run-events.ts`).
 *
 * Delivery is at least once: the same run may be published again (a retried step); consumers drop a repeat by its
 * run id.
 */
export interface RunEvents {
  /** Publishes the event, or throws if it cannot say it was delivered. */
  publishRunCompleted(detail: RunCompletedDetail): Promise<void>;
}
