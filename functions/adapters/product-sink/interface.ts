import type { ManifestLocation } from '../../contract/run-completed-event';
import type { ListingSource } from '../../core/reconciliation';

/**
 * Where synced products go, run by run: the parts of a run (one page of products each, as the PIM sent them), then
 * what the run read. The sink owns its layout: how it names parts, keys or files, and what it writes to complete a
 * run. The S3 sink and the local directory sink write NDJSON parts and a manifest (`layout.ts`); another sink is one
 * class implementing this interface, picked by the `EXPORT_SINK` setting (`functions/wiring/adapters/product-sink.ts`)
 * and proven by the contract suite `test/contracts/product-sink.contract.ts`.
 *
 * A reconciliation pass is a run too: its parts are the UUIDs of the products deleted since the previous pass
 * (`writeDeletedPart`), and its completion says so (`completeReconciliation`): a reader tells the two kinds of run
 * apart by what completed them.
 *
 * Delivery is at least once: a part may be written again with the same number (a retried or resumed run), and a run
 * completed again (a retried last step). Either replaces what was written before, never adds to it.
 */
export interface ProductSink {
  /**
   * Writes part `partNumber` (1, 2, …) of a run: one page of products, as the PIM sent them. The sync calls it as soon
   * as a page is read, while the part before may still be written, and keeps nothing of the page: a sink should make
   * what it writes of `products` before it first awaits (both sinks here serialize them at once), so that a page
   * being uploaded is held as bytes, not as the PIM's parsed JSON.
   */
  writePart(run: RunRef, partNumber: number, products: readonly unknown[]): Promise<void>;
  /**
   * Completes the run once every part is written. A reader sees the run complete only once this returns. Returns
   * where the run's manifest can be read, for the run-completed event.
   */
  completeRun(run: RunRef, summary: RunSummary): Promise<ManifestLocation>;
  /**
   * Writes the products a run learnt were deleted in the PIM (`deleted.ndjson`, one `{"uuid": …}` per line), before
   * the run is completed. Written again, it replaces what was written.
   */
  writeDeleted(run: RunRef, uuids: readonly string[]): Promise<void>;
  /** Writes part `partNumber` (1, 2, …) of a reconciliation pass: UUIDs of deleted products, in UUID order. */
  writeDeletedPart(run: RunRef, partNumber: number, uuids: readonly string[]): Promise<void>;
  /** Completes a reconciliation pass once every deleted part is written; returns where its manifest can be read. */
  completeReconciliation(run: RunRef, summary: ReconciliationSummary): Promise<ManifestLocation>;
}

/** What made a run: the scheduled sync (an `updated` window), or a batch of the Event Platform's product events. */
export type RunKind = 'sync' | 'events';

export interface RunRef {
  readonly pimHost: string;
  readonly runId: string;
}

/** One part of a run and the number of products in it. */
export interface PartCount {
  readonly partNumber: number;
  readonly productCount: number;
}

/** What a completed run read. */
export interface RunSummary {
  /** @default 'sync' */
  readonly kind?: RunKind;
  /** Products deleted in the PIM, written with `writeDeleted` (an events run). */
  readonly deletedCount?: number;
  /** The PIM the products came from. */
  readonly pimUrl: string;
  /** The `updated` window: `from` absent on a first (full) sync. */
  readonly window: { readonly from?: string; readonly to: string };
  /** Every part written, in order. */
  readonly parts: readonly PartCount[];
  /** Of the products in the parts, those the previous run had already exported (read again by the overlap). */
  readonly rereadCount: number;
  readonly startedAt: string;
  readonly completedAt: string;
}

/** One part of deleted UUIDs and how many it holds. */
export interface DeletedPartCount {
  readonly partNumber: number;
  readonly uuidCount: number;
}

/** What a completed reconciliation pass found. */
export interface ReconciliationSummary {
  readonly pimUrl: string;
  /** What was listed: every product the token can see, or the app's catalog's selection. */
  readonly source: ListingSource;
  /** Products listed: the app's view of the PIM during the pass. */
  readonly listedCount: number;
  /** Every part of deleted UUIDs, in order. */
  readonly parts: readonly DeletedPartCount[];
  /** The pass compared with; absent on a first pass, which finds nothing deleted. */
  readonly previousRunId?: string;
  readonly startedAt: string;
  readonly completedAt: string;
}
