import type { SyncStateStore } from '../adapters/connection-store';
import type { ProductSink, RunRef } from '../adapters/product-sink';
import type { RunEvents } from '../adapters/run-events';
import type { SyncQueue } from '../adapters/sync-queue';
import { type ProductPage, productsUrl } from '../akeneo/products';
import { RetryBeyondTimeLeftError } from '../akeneo/rest-errors';
import { runCompletedDetail } from '../contract/run-completed-event';
import type { Connection, SyncCheckpoint } from '../core/connection';
import { PimUnavailableError } from '../core/errors';
import { RunLedger, type RunLimits } from '../core/sync-run';
import { newRunId, rereadCount, syncWindow } from '../core/sync-window';
import type { PimAccess, PimAccessRefusal, PimClient } from '../pim-access';
import { publishRunEvent } from './publish-run-event';
import { type PageRead, readPage } from './read-page';

export interface SyncProductsDeps {
  /**
   * The entry point to the PIMs: reads the connection, decrypts its token for the PIM it is sealed to, and marks the
   * connection on a 401, a 403 or a stored URL that names another host.
   */
  readonly pims: Pick<PimAccess, 'withPim'>;
  /** Where a run's progress and its end are recorded. */
  readonly store: Pick<SyncStateStore, 'get' | 'saveCheckpoint' | 'completeRun' | 'clearRunEvent'>;
  readonly sink: ProductSink;
  readonly queue: SyncQueue;
  /** Told of each completed run, once its cursor moved. */
  readonly runEvents: RunEvents;
  readonly overlapSeconds: number;
  /** How far one run may go before its PIM's pagination is taken for broken. @default DEFAULT_RUN_LIMITS */
  readonly limits?: RunLimits;
  /** Time kept for the last write, the checkpoint and the continuation message once the run must stop. */
  readonly reserveMs: number;
  readonly now: () => Date;
  readonly randomBytes: (size: number) => Uint8Array;
  readonly onPage?: (event: PageEvent) => void;
}

/** A part written: `products` read from one page, of which `reread` the previous run had already exported. */
export interface PageEvent {
  readonly pimHost: string;
  readonly partNumber: number;
  readonly products: number;
  readonly reread: number;
}

export interface SyncProductsInput {
  readonly pimHost: string;
  /** Set for a continuation: only this run is resumed. */
  readonly runId?: string;
  /** How long the process may still run (Lambda's remaining time). */
  readonly timeLeftMs: () => number;
}

/** A run's products so far: `productCount` includes the `rereadCount` products the overlap read again. */
export interface RunTotals {
  readonly runId: string;
  readonly productCount: number;
  readonly rereadCount: number;
  readonly parts: number;
}

export type SyncOutcome =
  | ({ readonly kind: 'completed' } & RunTotals)
  | ({ readonly kind: 'continued' } & RunTotals & ContinueReason)
  | {
      readonly kind: 'revoked' | 'scope_missing' | 'pim_url_mismatch';
      readonly reason: string;
      /** Whether the connection was marked with that status (not when a reconnect replaced the token meanwhile). */
      readonly marked: boolean;
    }
  | { readonly kind: 'skipped'; readonly reason: string };

/** Why a run saved a checkpoint and queued its continuation. */
export type ContinueReason =
  /** The invocation's time ran low. */
  | { readonly reason: 'time' }
  /** The PIM asked for a wait (429 or a backoff) longer than the time left: the next invocation makes it. */
  | { readonly reason: 'rate-limited'; readonly waitMs: number };

export type SyncProducts = (input: SyncProductsInput) => Promise<SyncOutcome>;

/**
 * Pulls the products updated since the connection's cursor into the sink, page by page: each page is written while
 * the next one is read. The cursor moves only once every page is in the sink; when time runs low, a checkpoint and
 * a continuation message carry the run into another invocation.
 */
export const syncProducts =
  (deps: SyncProductsDeps): SyncProducts =>
  async (input) => {
    const connection = await deps.store.get(input.pimHost);
    // A complete run whose event a stopped step left waiting: published first, whatever this message is.
    if (connection?.pendingRunEvent) await publishRunEvent(deps, connection.pimHost, connection.pendingRunEvent);
    const outcome = await deps.pims.withPim(connection ?? input.pimHost, (pim) => syncWith(deps, input, pim), {
      waitBudgetMs: () => input.timeLeftMs() - deps.reserveMs,
      // A checkpoint's next page must lead to the PIM too, like the stored URL.
      storedLinks: (stored) => (stored.syncCheckpoint ? [stored.syncCheckpoint.nextUrl] : []),
    });
    return outcome.status === 'done' ? outcome.value : refusedOutcome(outcome);
  };

/** The run on a ready client: a new one from the cursor, or the one the continuation names. */
async function syncWith(deps: SyncProductsDeps, input: SyncProductsInput, pim: PimClient): Promise<SyncOutcome> {
  const { connection } = pim;
  if (input.runId !== undefined && connection.syncCheckpoint?.runId !== input.runId) {
    return { kind: 'skipped', reason: 'the run to continue has already ended' };
  }
  const run = connection.syncCheckpoint ?? startRun(deps, connection, pim.baseUrl);
  return readPages(deps, input, pim, run);
}

/**
 * A PIM that cannot be synced: skipped when it was already so when read; otherwise this run met the refusal and the
 * entry point marked the connection (SQS retries would meet the same answer), so it is no longer dispatched.
 */
function refusedOutcome(refusal: PimAccessRefusal): SyncOutcome {
  if (refusal.status === 'not_connected') return { kind: 'skipped', reason: 'no connection for this PIM' };
  if (refusal.marked === undefined) return { kind: 'skipped', reason: `the connection is ${refusal.status}` };
  return { kind: refusal.status, reason: refusal.reason, marked: refusal.marked };
}

function startRun(deps: SyncProductsDeps, connection: Connection, baseUrl: string): SyncCheckpoint {
  const startedAt = deps.now();
  const window = syncWindow(connection.syncCursor, startedAt, deps.overlapSeconds);
  return {
    runId: newRunId(startedAt, deps.randomBytes),
    startedAt: startedAt.toISOString(),
    window,
    nextUrl: productsUrl(baseUrl, window.from),
    ...(connection.syncCursor === undefined ? {} : { rereadBefore: connection.syncCursor }),
  };
}

async function readPages(
  deps: SyncProductsDeps,
  input: SyncProductsInput,
  pim: PimClient,
  run: SyncCheckpoint,
): Promise<SyncOutcome> {
  const { pimHost } = pim;
  const ref: RunRef = { pimHost, runId: run.runId };
  const ledger = new RunLedger(pimHost, run, deps.limits);
  const enoughTime = () => input.timeLeftMs() >= deps.reserveMs;
  const totals = (): RunTotals => ({
    runId: run.runId,
    productCount: ledger.productCount,
    rereadCount: ledger.rereadCount,
    parts: ledger.parts,
  });
  let writing: Promise<void> = Promise.resolve();
  let pagesRead = 0;
  const continueLater = async (nextUrl: string, why: ContinueReason): Promise<SyncOutcome> => {
    await writing;
    await deps.store.saveCheckpoint(pimHost, ledger.checkpoint(nextUrl));
    await deps.queue.send([
      { pimHost, kind: 'continuation', runId: run.runId, deduplicationId: `${run.runId}-${ledger.pages}` },
    ]);
    return { kind: 'continued', ...totals(), ...why };
  };
  /** A failure ends this step only once the part being written is in the sink: never half a part. */
  const failAfterWriting = async (error: unknown): Promise<never> => {
    await writing.catch(() => undefined);
    throw error;
  };

  // The first page is always read: a run moves forward however little time its invocation was given.
  ledger.checkNext(run.nextUrl);
  let current: PageRead | undefined = readPage(pim, run.nextUrl);

  while (current !== undefined) {
    const reading: PageRead = current;
    // The next page is asked for as soon as its link is known, most often from the first bytes of this answer:
    // the PIM's round trip is the bound, not the transfer of this page, its parsing or its upload.
    let ahead: PageRead | undefined;
    const early = reading.nextUrl.then((url) => {
      if (url !== undefined && url !== reading.url && enoughTime() && ledger.mayRead(url)) ahead = readPage(pim, url);
    });
    let page: ProductPage;
    let partNumber: number | undefined;
    let reread = 0;
    try {
      page = await reading.page;
      reread = rereadCount(page.items, run.rereadBefore);
      partNumber = ledger.pageRead(reading.url, page.items.length, reread);
      if (page.nextUrl !== undefined) ledger.checkNext(page.nextUrl);
    } catch (error) {
      if (!(error instanceof RetryBeyondTimeLeftError)) return failAfterWriting(error);
      // A fresh invocation can afford any one (capped) wait; one that read nothing yet has spent its time waiting.
      if (pagesRead === 0) {
        throw new PimUnavailableError(
          `${pimHost} asked for a wait of ${Math.ceil(error.waitMs / 1000)} s (${error.status}), ` +
            'longer than this run step had left, before any page was read',
          { cause: error },
        );
      }
      return await continueLater(reading.url, { reason: 'rate-limited', waitMs: error.waitMs });
    }
    pagesRead += 1;
    await early;
    if (ahead !== undefined && ahead.url !== page.nextUrl) {
      ahead = undefined;
    }
    if (ahead === undefined && page.nextUrl !== undefined && enoughTime()) {
      ahead = readPage(pim, page.nextUrl);
      // Let the request reach the socket before this page's serialising and upload take the event loop.
      await new Promise((resolve) => setImmediate(resolve));
    }
    current = ahead;
    await writing;
    if (partNumber !== undefined) {
      writing = deps.sink.writePart(ref, partNumber, page.items);
      writing.catch(() => undefined);
      deps.onPage?.({ pimHost, partNumber, products: page.items.length, reread });
    }
    if (page.nextUrl !== undefined && current === undefined) {
      return await continueLater(page.nextUrl, { reason: 'time' });
    }
  }
  await writing;

  const completedAt = deps.now().toISOString();
  const summary = {
    pimUrl: pim.baseUrl,
    window: run.window,
    parts: ledger.partCounts().map((productCount, index) => ({ partNumber: index + 1, productCount })),
    rereadCount: ledger.rereadCount,
    startedAt: run.startedAt,
    completedAt,
  };
  const manifest = await deps.sink.completeRun(ref, summary);
  const event = runCompletedDetail({ ...ref, ...summary, partProductCounts: ledger.partCounts() }, manifest);
  await deps.store.completeRun(pimHost, {
    runId: run.runId,
    cursor: run.window.to,
    completedAt,
    durationMs: Math.max(0, Date.parse(completedAt) - Date.parse(run.startedAt)),
    productCount: ledger.productCount,
    event,
  });
  await publishRunEvent(deps, pimHost, event);
  return { kind: 'completed', ...totals() };
}
