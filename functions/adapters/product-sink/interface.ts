/**
 * Where synced products go. The default writes NDJSON parts to S3; an integrator who wants them elsewhere writes
 * one class implementing this interface and wires it in `functions/wiring/worker-deps.ts`.
 *
 * Delivery is at least once: a part may be written again with the same number (a retried or resumed run), so a
 * sink must overwrite, not append. A run is complete only once `completeRun` returns.
 */
export interface ProductSink {
  /** Writes part `partNumber` (1, 2, …) of a run: one page of products, as the PIM sent them. */
  writePart(run: RunRef, partNumber: number, products: readonly unknown[]): Promise<void>;
  /** The run is complete: every part is written. */
  completeRun(run: RunRef, manifest: RunManifest): Promise<void>;
}

export interface RunRef {
  readonly pimHost: string;
  readonly runId: string;
}

export interface RunManifest {
  readonly pimHost: string;
  readonly pimUrl: string;
  readonly runId: string;
  /** The `updated` window: `from` absent on a first (full) sync. */
  readonly window: { readonly from?: string; readonly to: string };
  readonly parts: ReadonlyArray<{ readonly name: string; readonly productCount: number }>;
  readonly productCount: number;
  /** Of `productCount`, the products the previous run had already exported (read again by the overlap). */
  readonly rereadCount: number;
  readonly startedAt: string;
  readonly completedAt: string;
}
