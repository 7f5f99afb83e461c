import type { PartRun, SyncCheckpoint } from './connection';
import { sha256Hex } from './state';
import { PaginationLimitError, PaginationLoopError } from './sync-errors';

/** What one run may grow to before its PIM's pagination is taken for broken. */
export interface RunLimits {
  /** Pages read in one run, continuations included: 100,000 pages of 100 is a catalog of ten million products. */
  readonly maxPages: number;
  /**
   * Runs of equal part sizes kept in the checkpoint. Akeneo's search_after pages are full until the last one, so a
   * real run has one or two; only a PIM whose page sizes keep changing reaches this.
   */
  readonly maxPartRuns: number;
  /** Characters in a `_links.next`: Akeneo's are a few hundred. */
  readonly maxLinkLength: number;
}

export const DEFAULT_RUN_LIMITS: RunLimits = { maxPages: 100_000, maxPartRuns: 1_000, maxLinkLength: 8_192 };

/** Links remembered across a checkpoint, to recognise a loop that spans a continuation. */
export const RECENT_LINKS_KEPT = 32;

/*
 * The largest checkpoint these limits allow, in DynamoDB's item size (a list costs 3 bytes plus 1 per element, a
 * number 1 byte plus 1 per two significant digits, a string its UTF-8 length):
 *   nextUrl       8,192 bytes at most (maxLinkLength; a URL is ASCII)
 *   partRuns      1,000 pairs × 15 bytes at most (list 3, its 2 elements, a count of up to 7 digits 5, a number of
 *                 parts of up to 6 digits 4, and 1 as an element of the outer list)
 *   recentLinks   32 × 17 bytes (16 hex characters and the element)
 *   the rest      under 300 bytes (run id, dates, counts, attribute names)
 *   rangeLinks    a first sync split into `created` ranges: up to 4 more links of 8,192 bytes at most
 * ≈ 57 KB (a real run's is about 1 KB, 2 KB split): with the rest of the connection (a few KB), far from DynamoDB's
 * 400 KB.
 */
/** A short, stable fingerprint of a link: 64 bits of its SHA-256. */
export function linkFingerprint(url: string): string {
  return sha256Hex(url).slice(0, 16);
}

/**
 * One run's progress as it reads pages: the parts written, the pages read, and the links followed, so that a
 * `_links.next` that loops, never ends or grows without bound ends the run with a clear error instead of an endless
 * chain of continuations. Resumed from a checkpoint, and turned back into one.
 */
export class RunLedger {
  private readonly partRuns: Array<[number, number]>;
  private readonly recentLinks: string[];
  private readonly seen: Set<string>;
  private pageCount: number;
  private products: number;
  private rereads: number;

  constructor(
    readonly pimHost: string,
    private readonly run: SyncCheckpoint,
    private readonly limits: RunLimits = DEFAULT_RUN_LIMITS,
  ) {
    this.partRuns = (run.partRuns ?? runsOf(run.partCounts ?? [])).map(([count, parts]) => [count, parts]);
    this.recentLinks = [...(run.recentLinks ?? [])];
    this.seen = new Set(this.recentLinks);
    this.pageCount = run.pages ?? run.partCounts?.length ?? this.parts;
    this.products = this.partRuns.reduce((sum, [count, parts]) => sum + count * parts, 0);
    this.rereads = run.rereadCount ?? 0;
  }

  get parts(): number {
    return this.partRuns.reduce((sum, [, parts]) => sum + parts, 0);
  }

  get productCount(): number {
    return this.products;
  }

  get pages(): number {
    return this.pageCount;
  }

  /** Of `productCount`, those the previous run had already exported. */
  get rereadCount(): number {
    return this.rereads;
  }

  /** Products in each part, in order, one number per part (for the run's manifest). */
  partCounts(): number[] {
    return this.partRuns.flatMap(([count, parts]) => Array.from({ length: parts }, () => count));
  }

  /** Throws `PaginationLoopError` or `PaginationLimitError` when reading `url` next would be wrong. */
  checkNext(url: string): void {
    if (url.length > this.limits.maxLinkLength) {
      throw new PaginationLimitError(
        this.pimHost,
        `${this.pimHost} sent a next-page link of ${url.length} characters (at most ${this.limits.maxLinkLength})`,
      );
    }
    if (this.seen.has(linkFingerprint(url))) {
      throw new PaginationLoopError(
        this.pimHost,
        `${this.pimHost} sent a next-page link to a page already read in this run (after ${this.pageCount} pages): ` +
          'its pagination loops',
      );
    }
    if (this.pageCount >= this.limits.maxPages) {
      throw new PaginationLimitError(
        this.pimHost,
        `${this.pimHost} still had a next page after ${this.pageCount} pages, the most one run reads ` +
          `(${this.limits.maxPages}): its pagination does not end`,
      );
    }
  }

  /** Whether `url` may be read next: for reading ahead, which must not ask for a page it would then refuse. */
  mayRead(url: string): boolean {
    try {
      this.checkNext(url);
      return true;
    } catch {
      return false;
    }
  }

  /** Records the page read at `url`; returns the number of its part when it had products. */
  pageRead(url: string, products: number, rereads = 0): number | undefined {
    const fingerprint = linkFingerprint(url);
    this.seen.add(fingerprint);
    this.recentLinks.push(fingerprint);
    if (this.recentLinks.length > RECENT_LINKS_KEPT) this.recentLinks.shift();
    this.pageCount += 1;
    if (products === 0) return undefined;
    const last = this.partRuns.at(-1);
    if (last?.[0] === products) last[1] += 1;
    else if (this.partRuns.length >= this.limits.maxPartRuns) {
      throw new PaginationLimitError(
        this.pimHost,
        `${this.pimHost} changed its page size ${this.limits.maxPartRuns} times in one run ` +
          '(Akeneo pages are full until the last one): its pagination is broken',
      );
    } else this.partRuns.push([products, 1]);
    this.products += products;
    this.rereads += rereads;
    return this.parts;
  }

  /** Where to resume: the run as read so far, and the next page to read. */
  checkpoint(nextUrl: string): SyncCheckpoint {
    const { partCounts: _legacy, ...run } = this.run;
    return {
      ...run,
      nextUrl,
      partRuns: this.partRuns.map(([count, parts]): PartRun => [count, parts]),
      pages: this.pageCount,
      recentLinks: [...this.recentLinks],
      rereadCount: this.rereads,
    };
  }
}

function runsOf(counts: readonly number[]): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (const count of counts) {
    const last = runs.at(-1);
    if (last?.[0] === count) last[1] += 1;
    else runs.push([count, 1]);
  }
  return runs;
}
