import { type ManifestLocation, RUN_COMPLETED_SOURCE } from './run-completed-event';

/**
 * The event the sync worker publishes once a reconciliation pass is complete (its deleted parts and manifest written,
 * its snapshot the new reference): the products that left the app's view since the previous pass. A detail-type of
 * its own, so that a rule written for `Sync Run Completed` never receives a detail of another shape; same source and
 * bus. Delivery is at least once: drop a repeat by `detail.runId`.
 */

export const RECONCILIATION_COMPLETED_DETAIL_TYPE = 'Reconciliation Completed';
/** Bumped only for a change a consumer must know of (a field removed or changed); new fields keep it. */
export const RECONCILIATION_COMPLETED_VERSION = 1;

export interface ReconciliationCompletedDetail {
  readonly version: typeof RECONCILIATION_COMPLETED_VERSION;
  readonly pimHost: string;
  readonly pimUrl: string;
  readonly runId: string;
  /** Where the pass's manifest (its deleted parts and their counts) can be read. */
  readonly manifest: ManifestLocation;
  /** What was listed: every product the token can see, or the app's catalog's selection. */
  readonly source: 'products' | 'catalog';
  readonly catalogId?: string;
  readonly counts: ReconciliationCounts;
  /** The pass compared with; absent on a first pass, which deletes nothing. */
  readonly previousRunId?: string;
  readonly startedAt: string;
  readonly completedAt: string;
}

export interface ReconciliationCounts {
  /** Products listed by the pass: the app's view of the PIM when the pass ran. */
  readonly listed: number;
  /** Products in the previous pass's listing that are not in this one. */
  readonly deleted: number;
  /** Parts (NDJSON files of deleted UUIDs) of the pass. */
  readonly parts: number;
}

/** The event as a rule's target receives it (a Lambda's `event`, less the fields EventBridge adds). */
export interface ReconciliationCompletedEvent {
  readonly source: typeof RUN_COMPLETED_SOURCE;
  readonly 'detail-type': typeof RECONCILIATION_COMPLETED_DETAIL_TYPE;
  readonly time: string;
  readonly detail: ReconciliationCompletedDetail;
}

export function reconciliationCompletedEvent(detail: ReconciliationCompletedDetail): ReconciliationCompletedEvent {
  return {
    source: RUN_COMPLETED_SOURCE,
    'detail-type': RECONCILIATION_COMPLETED_DETAIL_TYPE,
    time: detail.completedAt,
    detail,
  };
}
