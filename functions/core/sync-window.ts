/**
 * Which products a sync run asks for. A run covers "updated after the previous run started, minus an overlap", up
 * to its own start: a product updated in the same second as the previous cursor, or while the previous run was
 * reading, is read again rather than missed. Reading a product twice is harmless; missing one is not.
 */
export const SYNC_OVERLAP_SECONDS = 5;

export interface SyncWindow {
  /** ISO 8601; absent for a connection's first sync, which reads every product. */
  readonly from?: string;
  /** ISO 8601: when this run started; becomes the next run's cursor once the run is complete. */
  readonly to: string;
}

export function syncWindow(cursor: string | undefined, runStartedAt: Date, overlapSeconds = SYNC_OVERLAP_SECONDS) {
  const to = runStartedAt.toISOString();
  if (cursor === undefined) return { to } satisfies SyncWindow;
  const from = new Date(Date.parse(cursor) - overlapSeconds * 1000).toISOString();
  return { from, to } satisfies SyncWindow;
}

/**
 * How many products of a page the previous run already exported: the overlap reads them again. `updated` has whole
 * seconds, so only a product whose second ended before the previous run started (its cursor) surely was in it; one
 * updated in that very second counts as changed.
 */
export function rereadCount(items: readonly unknown[], previousRunStart: string | undefined): number {
  if (previousRunStart === undefined) return 0;
  const before = Date.parse(previousRunStart);
  let count = 0;
  for (const item of items) {
    const updated = (item as { readonly updated?: unknown } | null)?.updated;
    const at = typeof updated === 'string' ? Date.parse(updated) : Number.NaN;
    if (at + 1000 <= before) count += 1;
  }
  return count;
}

/** Akeneo's date format for the `updated` filter: `YYYY-MM-DD hh:mm:ss`, UTC (the SaaS server timezone). */
export function akeneoDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a date: ${iso}`);
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** The schedule slot a time falls in: dispatches within one slot share a deduplication id per PIM. */
export function scheduleSlot(at: Date, scheduleMinutes: number): string {
  const slotMs = scheduleMinutes * 60_000;
  return new Date(Math.floor(at.getTime() / slotMs) * slotMs).toISOString();
}

/** A run id that sorts by time and reads well in an S3 key: `20261128T120000Z-3f9a1c`. */
export function newRunId(startedAt: Date, randomBytes: (size: number) => Uint8Array): string {
  const stamp = startedAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `${stamp}-${Buffer.from(randomBytes(3)).toString('hex')}`;
}
