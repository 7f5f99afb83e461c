import { ListingOrderError, PaginationLimitError } from './sync-errors';

/**
 * Reconciliation: a pass lists every product the app can see, in UUID order, and compares that list with the
 * previous pass's (its snapshot, kept as sorted parts): the UUIDs that left are the deleted products. Both lists are
 * sorted, so one walk through both finds them, holding one part of each at a time.
 */

/** What a pass lists: every product the token can see, or the app's catalog's selection. */
export type ListingSource = { readonly kind: 'products' } | { readonly kind: 'catalog'; readonly catalogId: string };

/** UUIDs per part of a snapshot, and per part of deleted UUIDs: about 370 KB of text, a few MB in memory at most. */
export const UUIDS_PER_PART = 10_000;

/** Counts per part, run-length encoded: `[[10000, 3], [412, 1]]` is three parts of 10,000 and one of 412. */
export type CountRuns = ReadonlyArray<readonly [count: number, parts: number]>;

/** The last complete pass: where its snapshot is and what it holds. Replaced only by a pass that completed. */
export interface ReconciliationSnapshot {
  readonly runId: string;
  readonly startedAt: string;
  readonly completedAt: string;
  readonly source: ListingSource;
  /** Parts of the snapshot, numbered from 1. */
  readonly parts: number;
  readonly uuidCount: number;
}

/**
 * Enough to resume a pass exactly where it stopped, in another invocation: the listing's next page, where the walk
 * through the previous snapshot is, and the parts written so far. Every UUID read before the cut is in a part already
 * (written before the checkpoint), so the checkpoint holds positions and counts only: under 10 KB, the next link
 * included.
 */
export interface ReconcileCheckpoint {
  readonly runId: string;
  readonly startedAt: string;
  readonly source: ListingSource;
  /** The listing's next page. */
  readonly nextUrl: string;
  /** The snapshot this pass compares with (the last complete pass when it started); absent for a first pass. */
  readonly previous?: { readonly runId: string; readonly parts: number };
  /** The next UUID of the previous snapshot not yet walked past: its part (from 1) and its index in that part. */
  readonly previousAt: { readonly part: number; readonly index: number };
  /** The last UUID listed: the next one must sort after it. */
  readonly lastUuid?: string;
  readonly pages: number;
  /** The parts of this pass's snapshot written so far. */
  readonly listedParts: CountRuns;
  /** The parts of deleted UUIDs written so far. */
  readonly deletedParts: CountRuns;
}

/** Pages one pass may read, continuations included: 100,000 pages of 100 is ten million products. */
export const MAX_PASS_PAGES = 100_000;
/** Runs of equal part sizes kept in a checkpoint: each continuation adds at most two. */
export const MAX_COUNT_RUNS = 1_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A UUID as the PIM sorts it (lower case), or undefined for anything that is not one. */
export function canonicalUuid(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.toLowerCase();
  return UUID.test(lower) ? lower : undefined;
}

/**
 * Checks that a listing comes in strictly ascending UUID order, as Akeneo's search_after lists do (the cursor is the
 * last UUID): the walk that finds deletions relies on it, so a listing out of order ends the pass rather than
 * report products as deleted that are not.
 */
export class ListingOrder {
  constructor(
    readonly pimHost: string,
    private last: string | undefined,
  ) {}

  get lastUuid(): string | undefined {
    return this.last;
  }

  accept(uuid: string): void {
    if (this.last !== undefined && uuid <= this.last) {
      throw new ListingOrderError(
        this.pimHost,
        `${this.pimHost} listed ${uuid} after ${this.last}: its listing is not in UUID order, so deletions cannot be told`,
      );
    }
    this.last = uuid;
  }
}

/** The counts with one more part of `count`. */
export function withPart(runs: CountRuns, count: number, pimHost: string): CountRuns {
  const last = runs.at(-1);
  if (last?.[0] === count) return [...runs.slice(0, -1), [count, last[1] + 1]];
  if (runs.length >= MAX_COUNT_RUNS) {
    throw new PaginationLimitError(pimHost, `${pimHost}'s reconciliation pass wrote parts of too many sizes`);
  }
  return [...runs, [count, 1]];
}

export function partCount(runs: CountRuns): number {
  return runs.reduce((sum, [, parts]) => sum + parts, 0);
}

export function totalCount(runs: CountRuns): number {
  return runs.reduce((sum, [count, parts]) => sum + count * parts, 0);
}

/** One count per part, in order (for a manifest). */
export function partCounts(runs: CountRuns): number[] {
  return runs.flatMap(([count, parts]) => Array.from({ length: parts }, () => count));
}

/** When the pass after one that started at `startedAt` is due. */
export function nextReconcileDue(startedAt: string, periodHours: number): string {
  return new Date(Date.parse(startedAt) + periodHours * 3_600_000).toISOString();
}

/** Whether a pass is due now: a connection without a due time has not completed its first sync yet. */
export function isReconcileDue(dueAt: string | undefined, now: Date): boolean {
  return dueAt !== undefined && Date.parse(dueAt) <= now.getTime();
}

export function sameSource(a: ListingSource, b: ListingSource): boolean {
  return a.kind === b.kind && (a.kind === 'products' || a.catalogId === (b as { catalogId?: string }).catalogId);
}
