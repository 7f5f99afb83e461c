import { pimHostKey } from '../../contract/names';
import { ProductAsSent } from '../../core/product-as-sent';
import type { ReconciliationSummary, RunKind, RunRef, RunSummary } from './interface';

/**
 * The NDJSON layout of the S3 and local directory sinks: under `<pim host key>/products/<run id>/`, one
 * `part-NNNNN.ndjson` per part (one product per line, as the PIM sent it), then `manifest.json` once the run is
 * complete. A reconciliation pass is a run of the same series: `deleted-NNNNN.ndjson` parts (one `{"uuid": "…"}` per
 * line, in UUID order), then its manifest (`kind: "reconciliation"`); a sync run's manifest says `kind: "sync"`.
 */

export function runPrefix({ pimHost, runId }: RunRef): string {
  return `${pimHostKey(pimHost)}/products/${runId}/`;
}

export function partName(partNumber: number): string {
  return `part-${String(partNumber).padStart(5, '0')}.ndjson`;
}

export function deletedPartName(partNumber: number): string {
  return `deleted-${String(partNumber).padStart(5, '0')}.ndjson`;
}

export const MANIFEST_NAME = 'manifest.json';
/** The products a run learnt were deleted: one `{"uuid": …}` per line. */
export const DELETED_NAME = 'deleted.ndjson';

/** What `manifest.json` holds for a sync run, or a run of the Event Platform's product events. */
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

/** What `manifest.json` holds for a reconciliation pass. */
export interface ReconciliationManifest {
  readonly kind: 'reconciliation';
  readonly pimHost: string;
  readonly pimUrl: string;
  readonly runId: string;
  /** `products`: every product the token can see; `catalog`: the selection of the app's catalog `catalogId`. */
  readonly source: 'products' | 'catalog';
  readonly catalogId?: string;
  /** The pass this one compared with; absent on a first pass. */
  readonly previousRunId?: string;
  /** Products listed by the pass. */
  readonly listedCount: number;
  /** Products of the previous pass's listing missing from this one: every line of every part. */
  readonly deletedCount: number;
  readonly parts: ReadonlyArray<{ readonly name: string; readonly uuidCount: number }>;
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

export function reconciliationManifestOf(run: RunRef, summary: ReconciliationSummary): ReconciliationManifest {
  const { source } = summary;
  return {
    kind: 'reconciliation',
    pimHost: run.pimHost,
    pimUrl: summary.pimUrl,
    runId: run.runId,
    source: source.kind,
    ...(source.kind === 'catalog' ? { catalogId: source.catalogId } : {}),
    ...(summary.previousRunId === undefined ? {} : { previousRunId: summary.previousRunId }),
    listedCount: summary.listedCount,
    deletedCount: summary.parts.reduce((sum, part) => sum + part.uuidCount, 0),
    parts: summary.parts.map((part) => ({ name: deletedPartName(part.partNumber), uuidCount: part.uuidCount })),
    startedAt: summary.startedAt,
    completedAt: summary.completedAt,
  };
}

export function manifestText(manifest: RunManifest | ReconciliationManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** One `{"uuid":"…"}` per line: an object, so that a line can grow a field without breaking its readers. */
export function deletedNdjson(uuids: readonly string[]): string {
  return uuids.map((uuid) => `${JSON.stringify({ uuid })}\n`).join('');
}

/** Bytes of output a chunk of a part holds: each line is encoded into one as soon as it is made. */
const NDJSON_CHUNK_BYTES = 256 * 1024;

/**
 * One product per line, as UTF-8 bytes. No string of the whole part is ever built: a part's worth of text would be
 * one more large object for the garbage collector's old generation on every page, beside the page itself.
 */
export function toNdjson(products: readonly unknown[]): Buffer {
  const chunks: Buffer[] = [];
  let chunk = Buffer.alloc(0);
  let used = 0;
  for (const product of products) {
    const line = `${product instanceof ProductAsSent ? product.json : JSON.stringify(product)}\n`;
    // A UTF-16 code unit takes at most 3 bytes of UTF-8.
    if (used + line.length * 3 > chunk.length) {
      if (used > 0) chunks.push(chunk.subarray(0, used));
      chunk = Buffer.allocUnsafe(Math.max(NDJSON_CHUNK_BYTES, line.length * 3));
      used = 0;
    }
    used += chunk.write(line, used);
  }
  if (used > 0) chunks.push(chunk.subarray(0, used));
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
}
