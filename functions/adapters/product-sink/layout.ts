import { pimHostKey } from '../../contract/names';
import type { RunKind, RunRef, RunSummary } from './interface';

/**
 * The NDJSON layout of the S3 and local directory sinks: under `<pim host key>/products/<run id>/`, one
 * `part-NNNNN.ndjson` per part (one product per line, as the PIM sent it), then `manifest.json` once the run is
 * complete.
 */

export function runPrefix({ pimHost, runId }: RunRef): string {
  return `${pimHostKey(pimHost)}/products/${runId}/`;
}

export function partName(partNumber: number): string {
  return `part-${String(partNumber).padStart(5, '0')}.ndjson`;
}

export const MANIFEST_NAME = 'manifest.json';
/** The products a run learnt were deleted: one `{"uuid": …}` per line. */
export const DELETED_NAME = 'deleted.ndjson';

export function deletedNdjson(uuids: readonly string[]): string {
  return toNdjson(uuids.map((uuid) => ({ uuid })));
}

/** What `manifest.json` holds. */
export interface RunManifest {
  readonly pimHost: string;
  readonly pimUrl: string;
  readonly runId: string;
  /** `sync` (the schedule) or `events` (the Event Platform's product events). */
  readonly kind: RunKind;
  /** The `updated` window: `from` absent on a first (full) sync. */
  readonly window: { readonly from?: string; readonly to: string };
  readonly parts: ReadonlyArray<{ readonly name: string; readonly productCount: number }>;
  readonly productCount: number;
  /** Of `productCount`, the products the previous run had already exported (read again by the overlap). */
  readonly rereadCount: number;
  /** `deleted.ndjson` and its line count, when the run learnt of deleted products. */
  readonly deleted?: { readonly name: string; readonly productCount: number };
  readonly startedAt: string;
  readonly completedAt: string;
}

export function manifestOf(run: RunRef, summary: RunSummary): RunManifest {
  return {
    pimHost: run.pimHost,
    pimUrl: summary.pimUrl,
    runId: run.runId,
    kind: summary.kind ?? 'sync',
    window: summary.window,
    parts: summary.parts.map((part) => ({ name: partName(part.partNumber), productCount: part.productCount })),
    productCount: summary.parts.reduce((sum, part) => sum + part.productCount, 0),
    rereadCount: summary.rereadCount,
    ...(summary.deletedCount ? { deleted: { name: DELETED_NAME, productCount: summary.deletedCount } } : {}),
    startedAt: summary.startedAt,
    completedAt: summary.completedAt,
  };
}

export function manifestText(run: RunRef, summary: RunSummary): string {
  return `${JSON.stringify(manifestOf(run, summary), null, 2)}\n`;
}

export function toNdjson(products: readonly unknown[]): string {
  return products.map((product) => JSON.stringify(product)).join('\n') + (products.length > 0 ? '\n' : '');
}
