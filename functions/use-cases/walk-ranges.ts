import type { ProductPage } from '../akeneo/products';
import { RetryBeyondTimeLeftError } from '../akeneo/rest-errors';
import { PimUnavailableError } from '../core/errors';
import type { RunLedger } from '../core/sync-run';
import { type PageSource, readPage } from './read-page';

/** A page read before the walk (the plan's): its URL and its products. */
export interface PageAlreadyRead {
  readonly url: string;
  readonly page: ProductPage;
}

export interface RangeWalk {
  readonly pim: PageSource;
  /** The run's pages, parts and links: shared by every range, so part numbers follow the order pages arrive in. */
  readonly ledger: RunLedger;
  /** The next page of each range still to read. */
  readonly links: readonly string[];
  /** The page the plan read, whose products no range reads again: the walk's first part, written as the ranges start. */
  readonly firstPage?: PageAlreadyRead;
  /** Whether another page may be asked for; each range reads one page per invocation whatever the time left. */
  readonly enoughTime: () => boolean;
  /** Makes a page of an answer's text (a catalog's products may answer an error instead). */
  readonly parse: (text: string) => ProductPage;
  /** Writes a part (the products of one page). */
  readonly writePart: (partNumber: number, products: readonly unknown[]) => Promise<void>;
}

/** Why the walk stopped before every range ended: the time left, or a wait the PIM asked for beyond it. */
export type RangeWalkStop = { readonly reason: 'time' } | { readonly reason: 'rate-limited'; readonly waitMs: number };

export type RangeWalkEnd =
  | { readonly kind: 'done' }
  | {
      readonly kind: 'stopped';
      /** The next page of each range not yet at its end: what the checkpoint keeps. */
      readonly openLinks: readonly string[];
      readonly why: RangeWalkStop;
    };

/**
 * Walks every range side by side, each with its own search_after chain and one page in flight: with 4 ranges, 4
 * calls, the most Akeneo allows per connection (the call slots hold every caller to it). Each page's part is written
 * while its range reads the next page; the plan's page, when the ranges start after it, is the first part. Ranges of
 * dates are disjoint, so no product is read twice, and nothing keeps the uuids seen: a set of them grew with the
 * catalog (about 10 MB of peak RSS at 50,000 products, measured), where the walk's memory must not, and the export is
 * at least once anyway. The first failure stops every range; it is thrown once the parts being written are in the
 * sink.
 */
export async function walkRanges(walk: RangeWalk): Promise<RangeWalkEnd> {
  const openLinks: string[] = [];
  let pagesRead = 0;
  let stopping = false;
  let failure: { readonly error: unknown } | undefined;
  let rateLimited: RetryBeyondTimeLeftError | undefined;

  /**
   * Reads the page at `url` and starts writing its part. Nothing holds the page's products once this returns: the
   * sink has made its bytes of them, which cost the heap far less than the products while the part uploads.
   */
  const readAndWrite = async (url: string): Promise<{ readonly nextUrl?: string; readonly written: Promise<void> }> => {
    const page = await readPage(walk.pim, url, walk.parse).page;
    pagesRead += 1;
    const partNumber = walk.ledger.pageRead(url, page.items.length);
    if (page.nextUrl !== undefined) walk.ledger.checkNext(page.nextUrl);
    const written = partNumber === undefined ? Promise.resolve() : walk.writePart(partNumber, page.items);
    written.catch(() => undefined);
    return { ...(page.nextUrl === undefined ? {} : { nextUrl: page.nextUrl }), written };
  };

  const walkRange = async (link: string): Promise<void> => {
    let writing: Promise<void> = Promise.resolve();
    let url: string | undefined = link;
    let readHere = 0;
    try {
      while (url !== undefined) {
        if (stopping || (readHere > 0 && !walk.enoughTime())) {
          openLinks.push(url);
          break;
        }
        walk.ledger.checkNext(url);
        let read: Awaited<ReturnType<typeof readAndWrite>>;
        try {
          read = await readAndWrite(url);
        } catch (error) {
          if (!(error instanceof RetryBeyondTimeLeftError)) throw error;
          if (rateLimited === undefined || error.waitMs > rateLimited.waitMs) rateLimited = error;
          stopping = true;
          openLinks.push(url);
          break;
        }
        readHere += 1;
        // Up to two parts of a range upload at once: the next page is asked for once the older one is in.
        const previous = writing;
        writing = read.written;
        await previous;
        url = read.nextUrl;
      }
      await writing;
    } catch (error) {
      failure ??= { error };
      stopping = true;
      await writing.catch(() => undefined);
    }
  };

  const writeFirstPage = async ({ url, page }: PageAlreadyRead): Promise<void> => {
    try {
      pagesRead += 1;
      const partNumber = walk.ledger.pageRead(url, page.items.length);
      if (partNumber !== undefined) await walk.writePart(partNumber, page.items);
    } catch (error) {
      failure ??= { error };
      stopping = true;
    }
  };

  await Promise.all([...(walk.firstPage ? [writeFirstPage(walk.firstPage)] : []), ...walk.links.map(walkRange)]);
  if (failure !== undefined) throw failure.error;
  if (rateLimited !== undefined) {
    // A fresh invocation can afford any one (capped) wait; one that read nothing yet has spent its time waiting.
    if (pagesRead === 0) {
      throw new PimUnavailableError(
        `${walk.ledger.pimHost} asked for a wait of ${Math.ceil(rateLimited.waitMs / 1000)} s ` +
          `(${rateLimited.status}), longer than this run step had left, before any page was read`,
        { cause: rateLimited },
      );
    }
    return { kind: 'stopped', openLinks, why: { reason: 'rate-limited', waitMs: rateLimited.waitMs } };
  }
  if (openLinks.length > 0) return { kind: 'stopped', openLinks, why: { reason: 'time' } };
  return { kind: 'done' };
}
