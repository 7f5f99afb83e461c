/**
 * The event the sync worker publishes once a run is complete (every part and the manifest written, the cursor moved),
 * for downstream consumers: an EventBridge rule on `source` and `detail-type` starts them without polling the exports.
 * The stack's grant names the same `source` and `detail-type`; consumers read `detail`, whose shape `version` names.
 * Delivery is at least once: the run id is the natural key to drop a repeat.
 */

export const RUN_COMPLETED_SOURCE = 'akeneo-custom-app';
export const RUN_COMPLETED_DETAIL_TYPE = 'Sync Run Completed';
/** Bumped only for a change a consumer must know of (a field removed or changed); new fields keep it. */
export const RUN_COMPLETED_VERSION = 1;

/** Where the run's manifest (its parts, their counts, the window) can be read. */
export type ManifestLocation = S3ManifestLocation | FileManifestLocation;

export interface S3ManifestLocation {
  readonly bucket: string;
  readonly key: string;
  /** `s3://<bucket>/<key>`. */
  readonly uri: string;
}

export interface FileManifestLocation {
  /** The manifest's absolute path on the machine that ran the sync. */
  readonly path: string;
  /** `file://<path>`. */
  readonly uri: string;
}

export interface RunCompletedDetail {
  readonly version: typeof RUN_COMPLETED_VERSION;
  /** `events` for a run made of the Event Platform's product events; absent for the scheduled sync. */
  readonly kind?: 'events';
  readonly pimHost: string;
  readonly pimUrl: string;
  readonly runId: string;
  readonly manifest: ManifestLocation;
  readonly counts: RunCounts;
  /** The `updated` window the run read: `from` absent on a first (full) sync. */
  readonly window: { readonly from?: string; readonly to: string };
  readonly startedAt: string;
  readonly completedAt: string;
}

export interface RunCounts {
  /** Products exported by the run: `changed` + `reread`. */
  readonly products: number;
  /** Products updated since the previous run. */
  readonly changed: number;
  /** Products the previous run had already exported, read again by the overlap. */
  readonly reread: number;
  /** Parts (NDJSON files) of the run. */
  readonly parts: number;
  /** Products the run learnt were deleted (`deleted.ndjson`): an events run only. */
  readonly deleted?: number;
}

/** The event as a rule's target receives it (a Lambda's `event`, less the fields EventBridge adds). */
export interface RunCompletedEvent {
  readonly source: typeof RUN_COMPLETED_SOURCE;
  readonly 'detail-type': typeof RUN_COMPLETED_DETAIL_TYPE;
  readonly time: string;
  readonly detail: RunCompletedDetail;
}

export interface CompletedRunFacts {
  readonly pimHost: string;
  readonly pimUrl: string;
  readonly runId: string;
  readonly window: { readonly from?: string; readonly to: string };
  /** Products in each part, in order. */
  readonly partProductCounts: readonly number[];
  readonly rereadCount: number;
  readonly startedAt: string;
  readonly completedAt: string;
}

export function runCompletedDetail(run: CompletedRunFacts, manifest: ManifestLocation): RunCompletedDetail {
  const products = run.partProductCounts.reduce((sum, count) => sum + count, 0);
  return {
    version: RUN_COMPLETED_VERSION,
    pimHost: run.pimHost,
    pimUrl: run.pimUrl,
    runId: run.runId,
    manifest,
    counts: {
      products,
      changed: products - run.rereadCount,
      reread: run.rereadCount,
      parts: run.partProductCounts.length,
    },
    window: run.window,
    startedAt: run.startedAt,
    completedAt: run.completedAt,
  };
}

export function runCompletedEvent(detail: RunCompletedDetail): RunCompletedEvent {
  return {
    source: RUN_COMPLETED_SOURCE,
    'detail-type': RUN_COMPLETED_DETAIL_TYPE,
    time: detail.completedAt,
    detail,
  };
}
