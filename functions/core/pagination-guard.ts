import { PaginationLimitError, PaginationLoopError } from './sync-errors';
import { DEFAULT_RUN_LIMITS, linkFingerprint, type RunLimits } from './sync-run';

/** How far one listing may go: the same bounds as a sync run (`DEFAULT_RUN_LIMITS`). */
export type PaginationLimits = Pick<RunLimits, 'maxPages' | 'maxLinkLength'>;

/**
 * One listing's pages as they are read, so that a `_links.next` that loops, never ends or grows without bound ends
 * the listing with a clear error (`PaginationLoopError`, `PaginationLimitError`) instead of reading forever. The sync's
 * `RunLedger` does the same across a run's continuations; a listing lives in one invocation, so its memory is enough.
 */
export class PaginationGuard {
  private readonly seen = new Set<string>();
  private pageCount = 0;

  constructor(
    readonly pimHost: string,
    private readonly limits: PaginationLimits = DEFAULT_RUN_LIMITS,
  ) {}

  get pages(): number {
    return this.pageCount;
  }

  /** Records that the page at `url` is read next; throws when reading it would be wrong. */
  visit(url: string): void {
    if (url.length > this.limits.maxLinkLength) {
      throw new PaginationLimitError(
        this.pimHost,
        `${this.pimHost} sent a next-page link of ${url.length} characters (at most ${this.limits.maxLinkLength})`,
      );
    }
    const fingerprint = linkFingerprint(url);
    if (this.seen.has(fingerprint)) {
      throw new PaginationLoopError(
        this.pimHost,
        `${this.pimHost} sent a next-page link to a page already read in this listing (after ${this.pageCount} ` +
          'pages): its pagination loops',
      );
    }
    if (this.pageCount >= this.limits.maxPages) {
      throw new PaginationLimitError(
        this.pimHost,
        `${this.pimHost} still had a next page after ${this.pageCount} pages, the most one listing reads ` +
          `(${this.limits.maxPages}): its pagination does not end`,
      );
    }
    this.seen.add(fingerprint);
    this.pageCount += 1;
  }
}
